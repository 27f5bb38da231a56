// The model of a Java thread dump: threads with their frames, the locks each holds and waits
// for, and the JVM's own deadlock report when the dump carries one. Filled by the text parser
// (thread_dump_parser.h: jstack, jcmd Thread.print, SIGQUIT output, the JMX ThreadInfo form,
// JRockit) and by the JSON reader (thread_dump_json.h: jcmd Thread.dump_to_file).
//
// Strings are owned (dumps are small next to their analysis, and a UTF-16 file is decoded into
// a temporary buffer), so a JavaThreadDump outlives the bytes it was read from.
#ifndef INQUEST_DUMPS_JAVA_THREAD_DUMP_H_
#define INQUEST_DUMPS_JAVA_THREAD_DUMP_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"

namespace inquest {

// java.lang.Thread.State, plus kUnknown when the dump does not say.
enum class JavaThreadState : uint8_t {
  kNew,
  kRunnable,
  kBlocked,
  kWaiting,
  kTimedWaiting,
  kTerminated,
  kUnknown,
};
std::string_view JavaThreadStateName(JavaThreadState s);
// "RUNNABLE", "TIMED_WAITING", ... (case-sensitive); kUnknown for anything else.
JavaThreadState ParseJavaThreadState(std::string_view s);

// What a lock line says a thread does with a lock.
enum class LockAction : uint8_t {
  kLocked,            // "- locked <a>": holds the monitor (unless released by wait, below)
  kWaitingToLock,     // "- waiting to lock <a>": blocked entering the monitor
  kWaitingOn,         // "- waiting on <a>": in Object.wait(), the monitor released
  kParkedOn,          // "- parking to wait for <a>": LockSupport.park on a j.u.c. object
  kWaitingToRelock,   // "- waiting to re-lock in wait() <a>": notified, blocked re-entering
  kEliminated,        // "- eliminated <a>": lock elided by the JIT
  kOwnsSynchronizer,  // "Locked ownable synchronizers: - <a>": holds a j.u.c. lock exclusively
};
std::string_view LockActionName(LockAction a);

struct LockRef {
  LockAction action = LockAction::kLocked;
  std::string address;     // normalised: lowercase hex without "0x" and leading zeros
  std::string class_name;  // "java.util.concurrent.locks.ReentrantLock$NonfairSync"
  int frame = -1;          // index of the frame the line follows; -1 for synchronizers
  uint64_t line = 0;       // 1-based line in the file (0 for JSON input)
};

struct JavaFrame {
  std::string text;  // "com.acme.Orders.place(Orders.java:88)", without the "at "
};

struct JavaThread {
  std::string name;
  std::string id;            // "#30" number as text (Java thread id), or the JMX/JRockit id
  std::string nid;           // native id as printed ("0x5001" or "42499")
  std::string header_state;  // what the header says: "waiting for monitor entry", ...
  std::string state_detail;  // "(on object monitor)", "(parking)", ...
  JavaThreadState state = JavaThreadState::kUnknown;
  bool daemon = false;
  bool is_virtual = false;
  std::string carrier;    // for a mounted virtual thread: its carrier's name
  std::string carrying;   // for a carrier: "#206", the virtual thread it carries
  double cpu_ms = -1;     // cpu=… (JDK 11+), -1 when absent
  double elapsed_s = -1;  // elapsed=…, -1 when absent
  std::vector<JavaFrame> frames;
  std::vector<LockRef> locks;
  uint64_t line = 0;  // the header's line (0 for JSON input)
};

// One entry of the JVM's "Found one Java-level deadlock" block: `thread` waits for `lock`
// (normalised object address), held by `holder`.
struct JvmDeadlockEdge {
  std::string thread;
  std::string lock;
  std::string holder;
  uint64_t line = 0;
};

struct JavaThreadDump {
  uint64_t line = 1;               // where the dump starts ("Full thread dump" or its time)
  TimePoint time = kNoTime;        // the timestamp line before the header, when present
  bool time_zone_assumed = false;  // `time` is a wall-clock time: no offset was written with it
  std::string time_zone;    // a zone name written with the time ("CET"), applied by the report
  std::string jvm;          // "OpenJDK 64-Bit Server VM (25+36-LTS mixed mode, sharing)"
  std::string format;       // "hotspot", "jmx", "jrockit", "jhsdb", "json"
  int64_t smr_length = -1;  // "Threads class SMR info: length=N", -1 when absent
  std::vector<JavaThread> threads;
  // The JVM's own deadlock report, as printed (each block's edges in order); kept apart from
  // the threads so the analysis never depends on it.
  std::vector<std::vector<JvmDeadlockEdge>> jvm_deadlocks;
  // The dump's end marker (JNI refs, END OF THREAD DUMP) was seen, or the next dump's header
  // followed it: false for a dump cut off (or a fragment that stops) after its last thread.
  bool complete = false;
  // Its start was seen: "Full thread dump", JRockit's banner, or a JSON document. False for a
  // fragment that starts at a thread header.
  bool has_header = false;
  // A line before the header that looks like a time but could not be read ("" when none).
  std::string unreadable_time;
  uint64_t unreadable_time_line = 0;
};

// Lowercase hex without "0x" and leading zeros ("0x00000007D750A618" -> "7d750a618"); text
// that is not hex is returned as it is.
std::string NormalizeLockAddress(std::string_view s);

}  // namespace inquest

#endif  // INQUEST_DUMPS_JAVA_THREAD_DUMP_H_
