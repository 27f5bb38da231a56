#include "capture/runbook.h"

#include <fmt/format.h>

#include "base/strings.h"

namespace inquest {
namespace {

// The commands of each runbook; {dir} is the dump folder. Sections: what to set once on the
// host or in the service template, then what to run before a restart.
constexpr std::string_view kNative = R"(# Native (C, C++): cores on every crash, symbols kept
# Once per host (root): cores into {dir}, named by program, pid and time.
install -d -m 0700 {dir}
echo '{dir}/core.%e.%p.%t' > /proc/sys/kernel/core_pattern
# (with systemd-coredump installed, cores go to `coredumpctl list` instead)
# In the service's unit or start script: no size limit on cores.
ulimit -c unlimited              # systemd: LimitCORE=infinity
# Build keeping debug info, and keep the unstripped binary of every release:
#   gcc -g -O2 ... ; objcopy --only-keep-debug svc svc.debug ; eu-unstrip / build-id folders
# Crash files even where cores are off: link libinquest_crash and call, first thing in main,
#   inquest_crash_install("{dir}");
# Before restarting a process that misbehaves (hung, leaking): capture it first.
inquest capture --pid "$PID" --out {dir}/inc-$(date -u +%Y%m%dT%H%M%SZ)
# Afterwards:
inquest core {dir}/core.svc.1234.1716991868 --exe ./svc
inquest symbolize {dir}/crash-1234-1234-1716991868.txt --exe ./svc
)";

constexpr std::string_view kGo =
    R"(# Go: a core on a crash, goroutine dumps and heap profiles on demand
# Once per host (root): cores into {dir}.
install -d -m 0700 {dir}
echo '{dir}/core.%e.%p.%t' > /proc/sys/kernel/core_pattern
# In the service's environment: a fatal panic writes every goroutine's stack and a core.
ulimit -c unlimited              # systemd: LimitCORE=infinity
export GOTRACEBACK=crash
# Build keeping debug info (no -ldflags=-s -w); for an honest dump in a drill:
#   go build -gcflags=all="-N -l" -o svc .
# In the program, first thing in main: inquest's dump handler (handlers/go in the inquest
# checkout; go.mod: require inquest.dev/dumps, replace inquest.dev/dumps => PATH/handlers/go).
# kill -USR1 -> goroutine dump + heap profile into {dir}, a heap profile before the heap reaches
# 80% of GOMEMLIMIT, and a core on a fatal panic; each file listed in {dir}/manifest.json.
#   h, err := dumps.Install(dumps.Options{Dir: "{dir}", HeapLimitFraction: 0.8, CrashTraceback: true})
# And net/http/pprof on a local port, for `inquest capture --pprof-url`:
#   import _ "net/http/pprof"; go http.ListenAndServe("127.0.0.1:6060", nil)
# Before restarting a hung or leaking service, capture first. With the handler: goroutines and
# heap into {dir}, and the process goes on:
kill -USR1 "$PID"
# Or without it: goroutines (debug=2) and heap from pprof, a core with gcore, while the process
# still lives.
inquest capture --pid "$PID" --pprof-url http://127.0.0.1:6060 --out {dir}/inc-$(date -u +%Y%m%dT%H%M%SZ)
# Only without a pprof port, and last (it ends the process): every goroutine's stack to its
# stderr (the journal or the container log).
kill -QUIT "$PID"
# Afterwards (analyze places each dump at its time by {dir}/manifest.json):
inquest dump {dir}/*-goroutines.txt
inquest heap {dir}/LATER-heap.pb.gz --diff {dir}/EARLIER-heap.pb.gz
inquest analyze {dir}
)";

constexpr std::string_view kJava =
    R"(# Java: a heap dump on OutOfMemoryError, thread dumps on demand
install -d -m 0700 {dir}
# On every JVM (JAVA_TOOL_OPTIONS or the start script): inquest's dump agent (build it once with
# handlers/java/build.sh OUTDIR from the inquest checkout). It has the JVM dump its heap on OOM
# into {dir} and lists the dump in {dir}/manifest.json; kill -USR2 (or `touch
# {dir}/.dump-request`, or its JMX operation) writes a thread dump with locks, and with heap=true
# a heap dump. hs_err logs to {dir} too; exit on OOM so the orchestrator restarts a clean process
# (the next start in {dir} lists the dump).
java -javaagent:/opt/inquest/inquest-agent.jar=dir={dir} \
     -XX:+ExitOnOutOfMemoryError \
     -XX:ErrorFile={dir}/hs_err_pid%p.log \
     -jar app.jar
# Without the agent, the JVM's own flags:
#   -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath={dir}
# Before restarting a hung JVM (thread dump first: it is cheap; the heap dump pauses the JVM):
kill -USR2 "$PID"                # with the agent: a thread dump into {dir}
kill -QUIT "$PID"                # without: a thread dump to the JVM's stdout
jcmd "$PID" Thread.print -l > {dir}/threads-$(date -u +%Y%m%dT%H%M%SZ).txt
jcmd "$PID" GC.heap_dump {dir}/heap-$(date -u +%Y%m%dT%H%M%SZ).hprof
inquest capture --pid "$PID" --heap --out {dir}/inc-$(date -u +%Y%m%dT%H%M%SZ)
# Afterwards:
inquest dump {dir}/inc-*/jvm-threads.txt
inquest heap {dir}/inc-*/heap.hprof
)";

constexpr std::string_view kPython = R"(# Python: stacks on a fatal signal and on demand
install -d -m 0700 {dir}
# First thing in the program: inquest's dump handler (handlers/python/inquest_dumps.py in the
# inquest checkout, on PYTHONPATH): a fatal signal's traceback into {dir}, kill -USR1 -> every
# thread's stack, kill -USR2 -> a tracemalloc snapshot, and a snapshot when traced memory
# crosses a limit; each file listed in {dir}/manifest.json.
import inquest_dumps
inquest_dumps.install("{dir}", traced_limit=512 << 20)
# Without it, the standard library alone (faulthandler writes to stderr: send stderr to a file
# in {dir}, or pass file= an open file there):
#   import faulthandler, signal
#   faulthandler.enable()                       # SIGSEGV, SIGFPE, SIGABRT, SIGBUS, SIGILL -> stacks
#   faulthandler.register(signal.SIGUSR1)       # kill -USR1 <pid> -> every thread's stack, now
# Or without code changes: PYTHONFAULTHANDLER=1 python3 app.py 2>>{dir}/app.stderr
# Before restarting a hung process:
kill -USR1 "$PID"
py-spy dump --pid "$PID" > {dir}/py-spy-$(date -u +%Y%m%dT%H%M%SZ).txt   # if py-spy is installed
inquest capture --pid "$PID" --python-signal USR1 --out {dir}/inc-$(date -u +%Y%m%dT%H%M%SZ)
# Afterwards (analyze places each dump at its time by {dir}/manifest.json):
inquest dump {dir}/*-threads.txt
inquest heap {dir}/LATER-tracemalloc.pickle --diff {dir}/EARLIER-tracemalloc.pickle
inquest analyze {dir}
)";

std::string Fill(std::string_view text, std::string_view dir) {
  std::string out;
  size_t pos = 0;
  for (size_t at; (at = text.find("{dir}", pos)) != std::string_view::npos; pos = at + 5) {
    out.append(text.substr(pos, at - pos));
    out.append(dir);
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace

const std::vector<std::string_view>& RunbookRuntimes() {
  static const std::vector<std::string_view> kRuntimes = {"go", "java", "python", "native"};
  return kRuntimes;
}

Result<std::string> Runbook(std::string_view runtime, std::string_view dump_dir) {
  if (dump_dir.empty() || dump_dir.front() != '/') {
    return Status::InvalidArgument(fmt::format(
        "--dump-dir {}: give an absolute path (services run in different folders)", dump_dir));
  }
  if (dump_dir.find_first_of("'\"$`\\ \n") != std::string_view::npos) {
    return Status::InvalidArgument(fmt::format(
        "--dump-dir {}: quotes, spaces, $ and backslashes would break the commands", dump_dir));
  }
  while (dump_dir.size() > 1 && dump_dir.back() == '/') dump_dir.remove_suffix(1);
  std::string_view text;
  if (runtime == "native" || runtime == "c" || runtime == "c++") {
    text = kNative;
  } else if (runtime == "go") {
    text = kGo;
  } else if (runtime == "java" || runtime == "jvm") {
    text = kJava;
  } else if (runtime == "python") {
    text = kPython;
  } else {
    std::string_view near = ClosestMatch(runtime, RunbookRuntimes());
    return Status::InvalidArgument(
        fmt::format("no runbook for \"{}\" (go, java, python, native){}", runtime,
                    near.empty() ? "" : fmt::format("; did you mean \"{}\"?", near)));
  }
  return Fill(text, dump_dir);
}

}  // namespace inquest
