// Change and detection records as Events; see record_events.h.
#include "timeline/record_events.h"

#include "base/strings.h"

namespace inquest {
namespace {

void AddAttr(std::string_view key, const std::string& value, Arena* arena, Event* e) {
  if (!value.empty()) e->attrs.push_back({key, arena->Copy(value)});
}

}  // namespace

uint64_t SourceLine(std::string_view source) {
  size_t colon = source.rfind(':');
  if (colon == std::string_view::npos) return 0;
  std::optional<int64_t> n = ParseInt(source.substr(colon + 1));
  return n && *n > 0 ? static_cast<uint64_t>(*n) : 0;
}

RecordRole RoleOfSignal(Signal::Kind kind) {
  switch (kind) {
    case Signal::Kind::kAlert:
      return RecordRole::kAlert;
    case Signal::Kind::kPage:
      return RecordRole::kPage;
    case Signal::Kind::kTicket:
      return RecordRole::kTicket;
    case Signal::Kind::kChat:
      return RecordRole::kChat;
  }
  return RecordRole::kAlert;
}

void AppendChangeEvents(const std::vector<Change>& changes, uint32_t file, Arena* arena,
                        std::vector<Event>* out) {
  for (const Change& c : changes) {
    Event e;
    e.role = RecordRole::kChange;
    e.kind = ChangeKindName(c.kind);
    e.time = c.time;
    e.file = file;
    e.line = SourceLine(c.source);
    e.level = Level::kInfo;
    e.service = arena->Copy(c.service);
    e.message = arena->Copy(c.what);
    e.raw = e.message;
    AddAttr("ref", c.ref, arena, &e);
    AddAttr("rollout", c.rollout, arena, &e);
    AddAttr("subject", c.subject, arena, &e);
    out->push_back(std::move(e));
  }
}

void AppendSignalEvents(const std::vector<Signal>& signals, uint32_t file, Arena* arena,
                        std::vector<Event>* out) {
  for (const Signal& s : signals) {
    Event e;
    e.role = RoleOfSignal(s.kind);
    e.kind = arena->Copy(s.status);
    e.time = s.time;
    e.file = file;
    e.line = SourceLine(s.evidence.source);
    // A firing alert or an open page is a warning on the timeline; a resolution is news.
    e.level = s.status == "resolved" || s.status == "closed" || s.status == "solved" ? Level::kInfo
                                                                                     : Level::kWarn;
    e.service = arena->Copy(s.service);
    std::string text = s.name.empty()      ? s.summary
                       : s.summary.empty() ? s.name
                                           : s.name + ": " + s.summary;
    e.message = arena->Copy(text);
    e.raw = arena->Copy(s.evidence.excerpt.empty() ? text : s.evidence.excerpt);
    if (s.from_customer) e.attrs.push_back({"from_customer", "true"});
    out->push_back(std::move(e));
  }
}

}  // namespace inquest
