// Java frames for the threads of a JVM core. The frames of interpreted and compiled Java code
// are laid out by the JVM's own rules (not in any table a reader can follow), so they come from
// the JDK's Serviceability Agent: `jhsdb jstack --locks --core CORE --exe JAVA`, run with the
// JDK whose libjvm.so is the one the process ran (same GNU build-id: the agent refuses any
// other). Its output is read with the Java thread dump reader and joined to the core's Java
// threads (native/jvm_core.h) on the native thread id (jstack's nid = the LWP).
//
//   JvmFrames f = AddJavaFrames(core_path, &report, {});
//   // report.runtime.threads[i].frames: "java.lang.Thread.join(long)" line 1313, ...
//   // f.text: jhsdb's thread dump, for the Java dump reader's verdicts (deadlocks)
#ifndef INQUEST_ANALYZE_JVM_FRAMES_H_
#define INQUEST_ANALYZE_JVM_FRAMES_H_

#include <cstddef>
#include <string>
#include <vector>

#include "native/core_report.h"

namespace inquest {

inline constexpr int kJhsdbTimeoutMs = 300'000;
inline constexpr size_t kMaxJhsdbOutput = size_t{256} << 20;  // bytes of jhsdb's output read

struct JvmFramesOptions {
  std::vector<std::string> jdks;  // JDK homes to try (--jdk); when given, the only ones
  // Folders whose subfolders are JDK homes, searched after them.
  std::vector<std::string> jdk_roots = {"/usr/lib/jvm"};
  int timeout_ms = kJhsdbTimeoutMs;  // `inquest core` gives its --time-limit
};

struct JvmFrames {
  std::string jdk;      // the JDK home used ("" when none matched)
  std::string text;     // jhsdb's output: a thread dump in its own form
  std::string missing;  // why there are no Java frames ("" when there are)
  size_t joined = 0;    // threads of the core given frames
};

// The JDK home whose lib/server/libjvm.so has `build_id` and which has bin/jhsdb, among: the
// homes of options.jdks when given (only those); else the home of `module` (the libjvm.so path
// the process ran), $JAVA_HOME and the subfolders of options.jdk_roots. "" when none.
std::string FindJdkFor(const std::string& build_id, const std::string& module,
                       const JvmFramesOptions& options);

// For a HotSpot core (report->runtime.runtime == "HotSpot"): runs jhsdb and gives each Java
// thread its frames; says why not in the result and in report->runtime.problems.
JvmFrames AddJavaFrames(const std::string& core_path, CoreReport* report,
                        const JvmFramesOptions& options);

// The Java thread dump reader's verdicts on jhsdb's output ("CRITICAL deadlock: ..."), each as
// one line; `source` names the dump in their evidence.
std::vector<std::string> JavaDumpVerdictLines(const std::string& text, const std::string& source);

// Joins a jhsdb (or jstack) thread dump to the view: frames and Thread.State by LWP. Returns
// the number of threads joined.
size_t JoinJavaDump(const std::string& text, RuntimeView* view);

}  // namespace inquest

#endif  // INQUEST_ANALYZE_JVM_FRAMES_H_
