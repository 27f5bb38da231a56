// Recognisers for single lines of stack traces, used by the trace reader
// (exception_signature): Java frames and exception headers, Python frames, Go function and
// file lines, chain separators, and the shape of a message with its varying parts replaced.
// Each takes one line (trimmed unless said otherwise) and never allocates beyond its outputs.
#ifndef INQUEST_TIMELINE_EXCEPTION_LINES_H_
#define INQUEST_TIMELINE_EXCEPTION_LINES_H_

#include <string>
#include <string_view>

#include "timeline/exception_frames.h"

namespace inquest {

// Longest exception type or Go panic shape kept, in bytes.
inline constexpr size_t kMaxTypeChars = 120;

// Leading spaces and tabs of an untrimmed line.
size_t TraceLineIndent(std::string_view line);
// The first line of `s`, without its line end, trimmed.
std::string_view TraceFirstLine(std::string_view s);
// "com.acme.Foo$Bar", "ValueError", "requests.exceptions.ConnectTimeout": identifier parts
// joined by single dots, at most kMaxTypeChars.
bool IsQualifiedTypeName(std::string_view s);

// The type and message of an exception header: "java.lang.IllegalStateException: boom",
// "Caused by: x.Y", "Exception in thread \"main\" x.Y: z", or a log line that names the type
// somewhere ("... request failed: java.sql.SQLException: timeout"). False when the line
// names no type.
bool ParseExceptionHeader(std::string_view t, std::string* type, std::string* message);
// "at com.acme.Foo.bar(Foo.java:88)", with module or class-loader prefixes
// ("java.base/", "app//") removed and packaging suffixes ("~[app.jar:?]") ignored.
bool ParseJavaFrameLine(std::string_view t, StackFrame* f);
// `File "/app/orders/mapper.py", line 88, in map`.
bool ParsePythonFrameLine(std::string_view t, StackFrame* f);
// "/app/mapper.go:88 +0x1d" -> file and line.
bool ParseGoFrameFileLine(std::string_view t, std::string* file, int* line);
// "main.(*Mapper).Map(0x0, {0xc0, 0x3})" -> "main.(*Mapper).Map"; empty when the line cannot
// be a Go function (no dot, or spaces outside the arguments).
std::string_view GoFrameFunction(std::string_view t);
// "During handling of the above exception..." and "The above exception was the direct cause".
bool IsTraceChainSeparator(std::string_view t);

// Text with the parts that differ between occurrences replaced: tokens holding a digit become
// "#" (brackets and trailing punctuation kept: "[5]" -> "[#]", "id=42:" -> "#:"), quoted
// text becomes "\"…\"" ("order 1234 not found" -> "order # not found"). At most
// kMaxTypeChars bytes, valid UTF-8.
std::string MessageShape(std::string_view text);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_EXCEPTION_LINES_H_
