// The Go goroutine dump reader of `inquest dump`: its probe, and the analysis that reads the
// dump, groups it, judges it (go_dump.h) and renders the groups as text, Markdown and JSON.
#ifndef INQUEST_DUMPS_GO_GO_READER_H_
#define INQUEST_DUMPS_GO_GO_READER_H_

#include <string_view>

#include "dumps/dump.h"
#include "dumps/go/go_dump.h"

namespace inquest {

DumpReader GoGoroutineReader();

// 0..1: how sure we are that `head` starts a Go stack dump.
double ProbeGoDump(std::string_view head);

// The detail of a read dump in each output format (the verdicts are rendered by the caller).
std::string RenderGoText(const GoDump& dump, const DumpOptions& options);
std::string RenderGoMarkdown(const GoDump& dump, const DumpOptions& options);
Redacted RenderGoJson(const GoDump& dump, const DumpOptions& options);

}  // namespace inquest

#endif  // INQUEST_DUMPS_GO_GO_READER_H_
