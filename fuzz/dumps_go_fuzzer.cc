// Go goroutine dumps: the parser, the grouping at every similarity, the verdicts and the
// rendering of the detail, on any bytes.
#include <string_view>

#include "dumps/go/go_dump.h"
#include "dumps/go/go_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (inquest::StackSimilarity s :
       {inquest::StackSimilarity::kExact, inquest::StackSimilarity::kIgnoreArgs,
        inquest::StackSimilarity::kIgnoreWaitTime}) {
    inquest::DumpOptions options;
    options.similarity = s;
    inquest::Result<inquest::DumpAnalysis> a =
        inquest::GoGoroutineReader().analyze("fuzz.txt", bytes, options);
    if (a.ok() && a->text.empty()) __builtin_trap();  // an analysis always renders a detail
  }
  (void)inquest::ProbeGoDump(bytes);
  return 0;
}
