// Where a JVM crash happened, from the hs_err log's problematic frame, its pc and the mapped
// ranges it lists: a jump to nowhere, a named native library, JIT-compiled or interpreted Java
// code, a stub the VM generated, or the VM itself (and which part of it). Every site has a
// name to print, never an empty one: the symbol, else "library+offset", else the address.
//
//   CrashSite site = LocateCrash(log);
//   if (site.kind == CrashSiteKind::kBadJump) ...   // site.name == "0x0000000000000000"
#ifndef INQUEST_DUMPS_JAVA_HS_ERR_SITE_H_
#define INQUEST_DUMPS_JAVA_HS_ERR_SITE_H_

#include <cstdint>
#include <string>

#include "dumps/java/hs_err.h"

namespace inquest {

enum class CrashSiteKind : uint8_t {
  kNone,           // no problematic frame in the log
  kBadJump,        // pc 0, a frame at address 0, or an address outside every mapping: a call
                   // through a bad function pointer or a corrupted return address
  kAnonymousCode,  // a bare address inside a mapping with no file (code written at run time)
  kJniLibrary,     // a C frame in a library the program loaded, entered through JNI
  kNativeLibrary,  // a C frame in a named library, not through JNI
  kSystemLibrary,  // libc, libpthread, ntdll ...
  kJnaLibrary,     // a library JNA unpacked (jna*.tmp)
  kJitCode,        // J: JIT-compiled Java code
  kAotCode,        // A: AOT-compiled Java code
  kInterpreted,    // j: interpreted Java code
  kStub,           // v: code the VM generated (stubs, the interpreter's templates)
  kVmCompiler,     // V in the JIT compiler
  kVmUnsafe,       // V in Unsafe_*: a bad address from Java code through sun.misc.Unsafe
  kVmGc,           // V in the garbage collector
  kVm,             // V elsewhere in libjvm
};

struct CrashSite {
  CrashSiteKind kind = CrashSiteKind::kNone;
  std::string name;     // never empty when kind != kNone
  std::string library;  // the library the frame is in, or the file of the mapping holding it
  uint64_t address = 0;
  bool address_known = false;
};

CrashSite LocateCrash(const HsErrLog& log);

// Whether `lib` is a system library (libc, libpthread, ld-linux, ntdll, ...).
bool IsSystemLibrary(std::string_view lib);
// Whether `lib` is the JVM itself (libjvm.so, jvm.dll, libjvm.dylib).
bool IsJvmLibrary(std::string_view lib);

}  // namespace inquest

#endif  // INQUEST_DUMPS_JAVA_HS_ERR_SITE_H_
