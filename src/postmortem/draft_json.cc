#include "postmortem/draft_json.h"

#include <fmt/format.h>
#include <simdjson.h>

namespace inquest {
namespace {

using simdjson::dom::element;

// Reads fields of one object; the first type error is kept and reported.
class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  std::string Str(element e, const char* key) {
    element v;
    if (e[key].get(v) != simdjson::SUCCESS || v.is_null()) return {};
    std::string_view s;
    if (v.get_string().get(s) != simdjson::SUCCESS) {
      Fail(key, "a string");
      return {};
    }
    return std::string(s);
  }

  uint64_t Uint(element e, const char* key) {
    uint64_t n = 0;
    element v;
    if (e[key].get(v) != simdjson::SUCCESS) return 0;
    if (v.get_uint64().get(n) != simdjson::SUCCESS) Fail(key, "a count");
    return n;
  }

  TimePoint Time(element e, const char* key) {
    std::string text = Str(e, key);
    if (text.empty()) return kNoTime;
    Result<TimePoint> t = ParseUserTime(text);
    if (!t.ok()) {
      Fail(key, "an RFC 3339 time");
      return kNoTime;
    }
    return *t;
  }

  // Calls fn(item) for each element of the array at key (absent: none).
  template <typename Fn>
  void Each(element e, const char* key, Fn fn) {
    element v;
    if (e[key].get(v) != simdjson::SUCCESS) return;
    simdjson::dom::array arr;
    if (v.get_array().get(arr) != simdjson::SUCCESS) return Fail(key, "an array");
    for (element item : arr) fn(item);
  }

  DraftLine Line(element e) { return {Str(e, "text"), Str(e, "source")}; }
  std::vector<DraftLine> Lines(element e, const char* key) {
    std::vector<DraftLine> out;
    Each(e, key, [&](element item) { out.push_back(Line(item)); });
    return out;
  }
  DraftTime KeyTime(element e, const char* key) {
    element v;
    if (e[key].get(v) != simdjson::SUCCESS) return {};
    return {Time(v, "time"), Str(v, "source")};
  }
  DraftSuggestion Suggestion(element e, const char* key) {
    element v;
    if (e[key].get(v) != simdjson::SUCCESS) return {};
    return {Str(v, "value"), Str(v, "reason")};
  }

  Status status() const { return status_; }

 private:
  void Fail(const char* key, const char* want) {
    if (status_.ok())
      status_ = Status::BadInput(fmt::format("draft field \"{}\" is not {}", key, want),
                                 SourceLocation{path_});
  }
  std::string path_;
  Status status_;
};

DraftModel ReadModel(Reader& r, element d) {
  DraftModel m;
  m.incident_id = r.Str(d, "incident_id");
  m.drafted_by = r.Str(d, "drafted_by");
  m.evidence_dir = r.Str(d, "evidence_dir");
  m.evidence_files = r.Uint(d, "evidence_files");
  m.date = r.Str(d, "date");
  m.title = r.Suggestion(d, "title");
  m.sev = r.Suggestion(d, "sev");
  m.started = r.KeyTime(d, "started");
  m.detected = r.KeyTime(d, "detected");
  m.acknowledged = r.KeyTime(d, "acknowledged");
  m.mitigated = r.KeyTime(d, "mitigated");
  m.resolved = r.KeyTime(d, "resolved");
  m.summary = r.Str(d, "summary");
  m.impact = r.Lines(d, "impact");
  r.Each(d, "impact_questions", [&](element q) {
    std::string_view s;
    if (q.get_string().get(s) == simdjson::SUCCESS) m.impact_questions.emplace_back(s);
  });
  m.detection = r.Lines(d, "detection");
  r.Each(d, "timeline", [&](element row) {
    m.timeline.push_back({r.Time(row, "time"), r.Str(row, "text"), r.Str(row, "source")});
  });
  element trigger;
  if (d["trigger"].get(trigger) == simdjson::SUCCESS) m.trigger = r.Line(trigger);
  m.trigger_refs = r.Lines(d, "trigger_refs");
  m.runners_up = r.Lines(d, "runners_up");
  r.Each(d, "findings", [&](element f) {
    m.findings.push_back({r.Str(f, "id"), r.Str(f, "kind"), r.Str(f, "name"), r.Str(f, "text"),
                          r.Str(f, "source"), r.Time(f, "time")});
  });
  m.whys = r.Lines(d, "whys");
  m.whys_question = r.Str(d, "whys_question");
  m.resolution = r.Lines(d, "resolution");
  r.Each(d, "actions", [&](element a) {
    DraftAction x;
    x.id = r.Str(a, "id");
    x.action = r.Str(a, "action");
    x.finding_id = r.Str(a, "finding_id");
    x.item_class = r.Str(a, "class");
    x.source = r.Str(a, "source");
    x.owner = r.Str(a, "owner");
    x.due = r.Str(a, "due");
    x.ticket = r.Str(a, "ticket");
    x.status = r.Str(a, "status");
    m.actions.push_back(std::move(x));
  });
  m.went_well = r.Lines(d, "went_well");
  m.went_poorly = r.Lines(d, "went_poorly");
  r.Each(d, "appendix", [&](element a) {
    DraftAppendix x;
    x.heading = r.Str(a, "heading");
    x.text = r.Str(a, "text");
    r.Each(a, "columns", [&](element c) {
      std::string_view s;
      if (c.get_string().get(s) == simdjson::SUCCESS) x.columns.emplace_back(s);
    });
    r.Each(a, "rows", [&](element row) {
      std::vector<std::string> cells;
      simdjson::dom::array arr;
      if (row.get_array().get(arr) == simdjson::SUCCESS)
        for (element c : arr) {
          std::string_view s;
          cells.emplace_back(c.get_string().get(s) == simdjson::SUCCESS ? s : "");
        }
      x.rows.push_back(std::move(cells));
    });
    m.appendix.push_back(std::move(x));
  });
  return m;
}

}  // namespace

Result<DraftModel> DraftFromFindingsJson(std::string_view json, const std::string& path) {
  simdjson::dom::parser parser;
  simdjson::padded_string text(json);
  element root;
  if (auto err = parser.parse(text).get(root); err || !root.is_object())
    return Status::BadInput(fmt::format("not the findings.json that `inquest analyze` writes: {}",
                                        err ? simdjson::error_message(err) : "not an object"),
                            SourceLocation{path});
  element draft;
  if (root["draft"].get(draft) != simdjson::SUCCESS || !draft.is_object())
    return Status::BadInput(
        "findings.json has no \"draft\" object (written by an older inquest): run `inquest "
        "analyze` on the bundle again",
        SourceLocation{path});
  Reader reader(path);
  DraftModel m = ReadModel(reader, draft);
  if (!reader.status().ok()) return reader.status();
  return m;
}

}  // namespace inquest
