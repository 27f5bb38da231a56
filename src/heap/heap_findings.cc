#include "heap/heap_findings.h"

#include <fmt/format.h>

#include "base/strings.h"

namespace inquest::heap {

std::vector<Finding> HeapFindings(const HeapReport& r, const std::string& source) {
  std::vector<Finding> out;
  for (const LeakSuspect& s : r.suspects) {
    Finding f;
    f.kind = "heap-suspect";
    f.severity = s.share >= kHeapSuspectErrorShare ? Severity::kError : Severity::kWarning;
    std::string what =
        !s.is_class ? "one " + s.subject.class_name
        : s.class_name == "java.lang.Class"
            ? fmt::format("{} classes, through their static fields,", WithThousands(s.instances))
            : fmt::format("{} instances of {}", WithThousands(s.instances), s.class_name);
    // The static field that keeps it, named as code names it: "QuoteService.QUOTE_CACHE".
    std::string held;
    for (size_t k = 1; k < s.path.size(); ++k) {
      std::string_view owner = s.path[k - 1].object.class_name;
      if (s.path[k].via.starts_with("static ") && owner.starts_with("class "))
        held = fmt::format(", held by {}.{}", owner.substr(6), s.path[k].via.substr(7));
    }
    f.title =
        fmt::format("heap dump: {} {} {} ({:.0f}% of the live heap){}", what,
                    s.is_class ? "retain" : "retains", HumanBytes(s.retained), 100 * s.share, held);
    f.explanation = s.explanation;
    f.confidence = s.only_weakly_held ? 0.5 : 0.9;
    f.time = r.time;
    f.subject = s.is_class ? s.class_name : s.subject.class_name;
    std::string path;
    for (size_t k = 0; k < s.path.size(); ++k)
      path += (k ? " → " : "") + (k ? s.path[k].via + ": " : "") + s.path[k].object.class_name;
    f.evidence.push_back({source, path.empty() ? s.explanation : path});
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace inquest::heap
