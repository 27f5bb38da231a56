// The verdict on a JVM fatal error log (what killed the VM, and why we say so) and its detail
// in text, Markdown and JSON.
#ifndef INQUEST_DUMPS_JAVA_HS_ERR_REPORT_H_
#define INQUEST_DUMPS_JAVA_HS_ERR_REPORT_H_

#include <string>
#include <string_view>
#include <vector>

#include "dumps/dump.h"
#include "dumps/java/hs_err.h"

namespace inquest {

// The one verdict, with its kind:
//   jvm-native-oom      out of native memory (malloc/mmap failed)
//   jvm-thread-limit    could not create a native thread
//   jvm-internal-error  an assert or guarantee inside the VM failed
//   jvm-crash-bad-jump  a jump to address 0 or outside every mapping (a null function pointer,
//                       a corrupted return address)
//   jvm-crash-jni       crash in a native library called through JNI (named)
//   jvm-crash-native    crash in native code outside the VM (system library, JNA)
//   jvm-crash-jit       crash in JIT-compiled Java code, or in the JIT compiler itself
//   jvm-crash-unsafe    crash in the VM's sun.misc.Unsafe accessors: Java code used a bad address
//   jvm-crash-gc        crash in the garbage collector: heap corruption or a GC bug
//   jvm-crash-vm        crash elsewhere in the VM, interpreted code or a stub
//   hs-err-fragment     no error header: a fragment of a log; the title says what it holds
// Titles never carry an empty name: a frame without a symbol is named by library and offset,
// or by its address.
// `path` is used for the evidence ("path:line").
Finding HsErrVerdict(const HsErrLog& log, std::string_view path);

DumpAnalysis AnalyzeHsErr(std::string_view path, const HsErrLog& log,
                          std::vector<std::string> diagnostics, const DumpOptions& options);

}  // namespace inquest

#endif  // INQUEST_DUMPS_JAVA_HS_ERR_REPORT_H_
