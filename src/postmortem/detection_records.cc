#include "postmortem/detection_records.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <map>

#include "base/strings.h"

namespace inquest {
namespace {

// Nesting deeper than this is not an alert record; it also bounds the recursion.
constexpr int kMaxDepth = 8;

using Fields = std::map<std::string, std::string, std::less<>>;

// False when the JSON turns out malformed part-way (On Demand parses lazily).
bool Flatten(simdjson::ondemand::value v, const std::string& prefix, int depth, Fields* out) {
  simdjson::ondemand::json_type type;
  if (v.type().get(type)) return false;
  switch (type) {
    case simdjson::ondemand::json_type::object: {
      if (depth >= kMaxDepth) return true;  // skipped, not wrong
      simdjson::ondemand::object obj;
      if (v.get_object().get(obj)) return false;
      for (auto field : obj) {
        if (field.error()) return false;
        std::string_view key;
        if (field.unescaped_key().get(key)) return false;
        std::string name = prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
        simdjson::ondemand::value child;
        if (field.value().get(child)) return false;
        if (!Flatten(child, name, depth + 1, out)) return false;
      }
      return true;
    }
    case simdjson::ondemand::json_type::string: {
      std::string_view s;
      if (v.get_string().get(s)) return false;
      (*out)[prefix] = std::string(s);
      return true;
    }
    case simdjson::ondemand::json_type::array:
      return true;  // lists of labels or links: not needed
    default: {
      std::string_view raw = v.raw_json_token();
      (*out)[prefix] = std::string(TrimSpace(raw));
      return true;
    }
  }
}

std::string_view Pick(const Fields& f, std::initializer_list<std::string_view> keys) {
  for (std::string_view k : keys) {
    auto it = f.find(k);
    if (it != f.end() && !it->second.empty()) return it->second;
  }
  return {};
}

}  // namespace

std::vector<Signal> ReadDetectionRecords(const InputFile& file, const std::string& display,
                                         DetectionSource hint, const TimeContext& ctx,
                                         IssueLog* issues) {
  std::vector<Signal> out;
  simdjson::ondemand::parser parser;
  LineIterator it(file.data());
  std::string_view line;
  uint64_t line_no = 0;
  while (it.Next(&line)) {
    ++line_no;
    std::string_view trimmed = TrimSpace(line);
    if (trimmed.empty()) continue;
    if (trimmed.front() != '{') {
      issues->Add(line_no, it.line_offset(), "not a JSON object");
      continue;
    }
    Fields f;
    simdjson::padded_string padded(trimmed);
    simdjson::ondemand::document doc;
    if (parser.iterate(padded).get(doc)) {
      issues->Add(line_no, it.line_offset(), "not valid JSON");
      continue;
    }
    simdjson::ondemand::value root;
    if (doc.get_value().get(root)) {
      issues->Add(line_no, it.line_offset(), "not valid JSON");
      continue;
    }
    if (!Flatten(root, "", 0, &f)) {
      issues->Add(line_no, it.line_offset(), "not valid JSON");
      continue;
    }
    std::string status = ToLower(Pick(f, {"status", "event", "state", "event_type", "action"}));
    // A resolved alert is placed at its end when the record has one.
    std::string_view time_text =
        status == "resolved" ? Pick(f, {"endsAt", "ends_at", "resolved_at", "startsAt"}) : "";
    if (time_text.empty())
      time_text = Pick(
          f, {"startsAt", "starts_at", "fired_at", "created_at", "createdAt", "opened", "opened_at",
              "time", "ts", "timestamp", "@timestamp", "date", "at", "updated_at"});
    ParsedTime pt;
    if (time_text.empty() || !ParseTimeValue(time_text, ctx, &pt)) {
      issues->Add(line_no, it.line_offset(), "record without a readable time");
      continue;
    }
    Signal s;
    s.time = pt.time;
    s.status = status;
    DetectionSource kind = hint;
    if (!Pick(f, {"labels.alertname", "alertname", "alert", "rule"}).empty())
      kind = DetectionSource::kAlert;
    else if (!Pick(f, {"incident", "incident_id", "urgency"}).empty())
      kind = DetectionSource::kPage;
    else if (!Pick(f, {"ticket", "ticket_id"}).empty())
      kind = DetectionSource::kTicket;
    s.kind = kind == DetectionSource::kPage     ? Signal::Kind::kPage
             : kind == DetectionSource::kTicket ? Signal::Kind::kTicket
                                                : Signal::Kind::kAlert;
    s.name = std::string(Pick(f, {"labels.alertname", "alertname", "alert", "rule", "incident",
                                  "incident_id", "ticket", "ticket_id", "id", "key"}));
    s.summary =
        std::string(Pick(f, {"annotations.summary", "summary", "title", "annotations.description",
                             "description", "message", "subject"}));
    s.service = std::string(
        Pick(f, {"labels.service", "service", "labels.job", "component", "labels.app", "app"}));
    std::string who = ToLower(fmt::format("{} {} {} {}", Pick(f, {"channel", "source"}),
                                          Pick(f, {"reporter", "opened_by", "requester"}),
                                          Pick(f, {"type"}), s.summary));
    s.from_customer = s.kind == Signal::Kind::kTicket ||
                      who.find("customer") != std::string::npos ||
                      who.find("support") != std::string::npos;
    std::string_view excerpt = trimmed;
    s.evidence = EvidenceRef{fmt::format("{}:{}", display, line_no), Excerpt(excerpt)};
    out.push_back(std::move(s));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Signal& a, const Signal& b) { return a.time < b.time; });
  return out;
}

}  // namespace inquest
