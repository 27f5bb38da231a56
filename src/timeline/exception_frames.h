// Stack frames of Java, Python and Go traces, and which of them are the program's own.
//
// A trace's signature is built from the program's own top frames: the JDK, the Python standard
// library and installed packages, the Go runtime, standard library and module cache are where
// every exception passes through, so they say nothing about which bug this is. Which frames
// are a runtime's or a library's is knowledge kept as data (kLibraryFrames in the .cc, and the
// Go standard library's top-level packages), never an if-chain per case.
#ifndef INQUEST_TIMELINE_EXCEPTION_FRAMES_H_
#define INQUEST_TIMELINE_EXCEPTION_FRAMES_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace inquest {

enum class StackRuntime : uint8_t { kUnknown, kJava, kPython, kGo };
// "java", "python", "go", "unknown".
std::string_view StackRuntimeName(StackRuntime r);

struct StackFrame {
  std::string function;  // "com.acme.OrderMapper.map", "map", "github.com/acme/orders.(*M).Map"
  std::string file;      // "OrderMapper.java", "/app/orders/mapper.py", "/app/mapper.go"
  int line = 0;          // 0 when the trace does not say ("Native Method", "Unknown Source")
  bool own = false;      // the program's own code, not the runtime's or a library's
};

// Whether a frame belongs to the runtime, its standard library or a third-party library, by
// the data table of function prefixes and path fragments (and, for Go, the standard library's
// import paths). Generated frames (proxies, lambdas) count as library frames: their names
// carry numbers that change from run to run.
bool IsLibraryFrame(StackRuntime runtime, std::string_view function, std::string_view file);

// The frame as a reader names it: Java "OrderMapper.map:88" (simple class name), Python
// "map (mapper.py:88)", Go "orders.(*Mapper).Map (mapper.go:88)". The line is left out when
// the trace has none.
std::string FrameLabel(StackRuntime runtime, const StackFrame& f);

// The frame's identity inside a signature: function, file name and line, so the same code
// location groups together whatever path prefix a host deploys it under.
std::string FrameKey(const StackFrame& f);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_EXCEPTION_FRAMES_H_
