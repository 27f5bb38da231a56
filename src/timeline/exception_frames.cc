// The table of runtime and library frames, and how frames are named.
#include "timeline/exception_frames.h"

#include <fmt/format.h>

namespace inquest {
namespace {

enum class Match : uint8_t { kFunctionPrefix, kFunctionContains, kFileContains };

struct LibraryFrame {
  StackRuntime runtime;
  Match match;
  std::string_view text;
};

// Frames that are the runtime's, the standard library's or a widely used library's. A frame
// that matches is skipped when the program's own top frames are chosen.
constexpr LibraryFrame kLibraryFrames[] = {
    // The JDK and the platform.
    {StackRuntime::kJava, Match::kFunctionPrefix, "java."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "javax."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "jakarta."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "jdk."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "sun."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "com.sun."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "kotlin."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "kotlinx."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "scala."},
    // Frameworks and libraries every service runs through.
    {StackRuntime::kJava, Match::kFunctionPrefix, "org.springframework."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "org.apache."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "org.hibernate."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "org.eclipse.jetty."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "io.netty."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "io.grpc."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "io.micrometer."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "io.opentelemetry."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "reactor."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "io.reactivex."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "com.zaxxer.hikari."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "com.mysql."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "org.postgresql."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "com.fasterxml."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "com.google.common."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "ch.qos.logback."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "org.slf4j."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "okhttp3."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "feign."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "net.bytebuddy."},
    {StackRuntime::kJava, Match::kFunctionPrefix, "org.junit."},
    // Generated classes: proxies, CGLIB subclasses, lambdas (their names carry run numbers).
    {StackRuntime::kJava, Match::kFunctionContains, "$$"},
    {StackRuntime::kJava, Match::kFunctionContains, "$Proxy"},
    {StackRuntime::kJava, Match::kFunctionContains, "GeneratedMethodAccessor"},
    // Python: installed packages, the standard library, the import machinery.
    {StackRuntime::kPython, Match::kFileContains, "site-packages/"},
    {StackRuntime::kPython, Match::kFileContains, "dist-packages/"},
    {StackRuntime::kPython, Match::kFileContains, "site-packages\\"},
    {StackRuntime::kPython, Match::kFileContains, "/lib/python"},
    {StackRuntime::kPython, Match::kFileContains, "/lib64/python"},
    {StackRuntime::kPython, Match::kFileContains, "\\Lib\\"},
    {StackRuntime::kPython, Match::kFileContains, "<frozen "},
    // Go: the runtime, modules from the module cache or a vendor folder, x/ and google libs.
    {StackRuntime::kGo, Match::kFunctionPrefix, "runtime."},
    {StackRuntime::kGo, Match::kFunctionPrefix, "runtime/"},
    {StackRuntime::kGo, Match::kFunctionPrefix, "panic("},
    {StackRuntime::kGo, Match::kFunctionPrefix, "golang.org/x/"},
    {StackRuntime::kGo, Match::kFunctionPrefix, "google.golang.org/"},
    {StackRuntime::kGo, Match::kFileContains, "/pkg/mod/"},
    {StackRuntime::kGo, Match::kFileContains, "/vendor/"},
    {StackRuntime::kGo, Match::kFileContains, "/go/src/runtime/"},
};

// The top-level import paths of Go's standard library: a function whose import path starts
// with one of them (and has no dot in its first element) is the standard library's.
constexpr std::string_view kGoStdlibRoots[] = {
    "archive",  "bufio",  "bytes",  "cmp",      "compress", "container", "context", "crypto",
    "database", "debug",  "embed",  "encoding", "errors",   "expvar",    "flag",    "fmt",
    "go",       "hash",   "html",   "image",    "index",    "internal",  "io",      "iter",
    "log",      "maps",   "math",   "mime",     "net",      "os",        "path",    "plugin",
    "reflect",  "regexp", "slices", "sort",     "strconv",  "strings",   "sync",    "syscall",
    "testing",  "text",   "time",   "unicode",  "unique",   "unsafe",
};

bool GoStdlib(std::string_view function) {
  // "net/http.(*conn).serve": the import path ends at the first '.' after the last '/'.
  size_t slash = function.rfind('/', function.find('('));
  size_t dot = function.find('.', slash == std::string_view::npos ? 0 : slash);
  std::string_view path = function.substr(0, dot);
  std::string_view root = path.substr(0, path.find('/'));
  if (root.find('.') != std::string_view::npos) return false;
  for (std::string_view r : kGoStdlibRoots)
    if (root == r) return true;
  return false;
}

std::string_view BaseName(std::string_view path) {
  size_t s = path.find_last_of("/\\");
  return s == std::string_view::npos ? path : path.substr(s + 1);
}

}  // namespace

std::string_view StackRuntimeName(StackRuntime r) {
  switch (r) {
    case StackRuntime::kJava:
      return "java";
    case StackRuntime::kPython:
      return "python";
    case StackRuntime::kGo:
      return "go";
    case StackRuntime::kUnknown:
      break;
  }
  return "unknown";
}

bool IsLibraryFrame(StackRuntime runtime, std::string_view function, std::string_view file) {
  for (const LibraryFrame& l : kLibraryFrames) {
    if (l.runtime != runtime) continue;
    switch (l.match) {
      case Match::kFunctionPrefix:
        if (function.starts_with(l.text)) return true;
        break;
      case Match::kFunctionContains:
        if (function.find(l.text) != std::string_view::npos) return true;
        break;
      case Match::kFileContains:
        if (file.find(l.text) != std::string_view::npos) return true;
        break;
    }
  }
  return runtime == StackRuntime::kGo && GoStdlib(function);
}

std::string FrameLabel(StackRuntime runtime, const StackFrame& f) {
  std::string_view fn = f.function;
  if (runtime == StackRuntime::kJava) {
    // "com.acme.orders.OrderMapper.map" -> "OrderMapper.map".
    size_t method = fn.rfind('.');
    size_t cls = method == std::string_view::npos ? std::string_view::npos
                                                  : fn.rfind('.', method - (method > 0));
    if (cls != std::string_view::npos && cls < method) fn = fn.substr(cls + 1);
    return f.line > 0 ? fmt::format("{}:{}", fn, f.line) : std::string(fn);
  }
  if (runtime == StackRuntime::kGo) {
    size_t slash = fn.rfind('/', fn.find('('));
    if (slash != std::string_view::npos) fn = fn.substr(slash + 1);
  }
  if (f.file.empty()) return std::string(fn);
  if (f.line <= 0) return fmt::format("{} ({})", fn, BaseName(f.file));
  return fmt::format("{} ({}:{})", fn, BaseName(f.file), f.line);
}

std::string FrameKey(const StackFrame& f) {
  return fmt::format("{}@{}:{}", f.function, BaseName(f.file), f.line);
}

}  // namespace inquest
