#include "report/findings_json.h"

#include "base/json_writer.h"
#include "report/draft_json.h"

namespace inquest {
namespace {

void WriteSignal(JsonWriter& w, std::string_view key, const Analysis& a, int index) {
  w.Key(key);
  if (index < 0) {
    w.Null();
    return;
  }
  const Signal& s = a.signals[index];
  w.BeginObject();
  w.FieldTime("time", s.time);
  w.Field("source", s.evidence.source);
  w.Field("kind", SignalKindName(s.kind));
  w.Field("name", s.name);
  w.Field("summary", s.summary);
  w.Key("from_customer");
  w.Bool(s.from_customer);
  w.EndObject();
}

void WriteFinding(JsonWriter& w, const Finding& f) {
  w.BeginObject();
  w.Field("kind", f.kind);
  w.Field("severity", SeverityName(f.severity));
  w.Field("title", f.title);
  w.FieldTime("time", f.time);
  w.FieldTime("end", f.end);
  w.FieldDouble("confidence", f.confidence, 2);
  w.Field("service", f.service);
  w.Field("subject", f.subject);
  w.Field("explanation", f.explanation);
  w.Key("evidence");
  w.BeginArray();
  for (const EvidenceRef& r : f.evidence) {
    w.BeginObject();
    w.Field("source", r.source);
    w.Field("excerpt", r.excerpt);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace

Redacted FindingsJson(const Analysis& a, const DraftModel* draft) {
  JsonWriter w;
  w.BeginObject();
  w.Field("bundle", a.dir);

  w.Key("onset");
  w.BeginObject();
  w.FieldTime("time", a.onset.found ? a.onset.time : kNoTime);
  w.FieldDouble("confidence", a.onset.confidence, 2);
  w.Field("signal", a.onset.signal);
  w.FieldTime("first_error", a.precise_onset);
  w.FieldDouble("baseline", a.onset.baseline, 4);
  w.FieldDouble("peak", a.onset.peak, 4);
  w.Field("explanation", a.onset.explanation);
  w.EndObject();

  w.Key("recovery");
  w.BeginObject();
  w.FieldTime("time", a.onset.found ? a.onset.recovery : kNoTime);
  w.EndObject();

  w.Key("detection");
  w.BeginObject();
  WriteSignal(w, "first_signal", a, a.first_signal);
  WriteSignal(w, "first_alert", a, a.first_alert);
  w.Key("time_to_detect_s");
  if (a.first_signal >= 0)
    w.Double(static_cast<double>(a.time_to_detect_ns) / kNanosPerSecond, 1);
  else
    w.Null();
  w.EndObject();

  w.Key("impact");
  w.BeginObject();
  w.FieldUint("failed", a.impact.failed);
  w.FieldUint("total", a.impact.total);
  w.FieldDouble("ratio", a.impact.ratio(), 4);
  w.Key("window");
  w.BeginObject();
  w.FieldTime("start", a.impact.from);
  w.FieldTime("end", a.impact.to);
  w.EndObject();
  w.Key("known");
  w.Bool(a.impact.known);
  w.Field("rule", a.impact.rule);
  w.Key("failed_by_file");
  w.BeginObject();
  for (const auto& [file, n] : a.impact.by_service) w.FieldUint(file, n);
  w.EndObject();
  w.EndObject();

  w.Key("changes");
  w.BeginArray();
  size_t shown = 0;
  for (const RankedChange& r : a.ranked) {
    if (shown++ >= kMaxChangesInReport) break;
    w.BeginObject();
    w.FieldTime("time", r.change.time);
    w.Field("ref", r.change.ref);
    w.Field("service", r.change.service);
    w.Field("what", r.change.what);
    w.FieldDouble("score", r.score, 3);
    w.Field("reason", r.reason);
    w.Field("kind", ChangeKindName(r.change.kind));
    w.Field("rollout", r.change.rollout);
    w.Field("source", r.change.source);
    // What a deploy shipped, by explicit reference (timeline/change_links.h); [] otherwise.
    w.Key("shipped");
    w.BeginArray();
    for (const ShippedChange& s : r.shipped) {
      w.BeginObject();
      w.Field("what", s.what);
      w.Field("source", s.source);
      w.Field("ref", s.ref);
      w.FieldTime("time", s.time);
      w.Field("link", s.link);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();

  w.Key("findings");
  w.BeginArray();
  for (const Finding& f : a.findings) WriteFinding(w, f);
  w.EndArray();

  w.Key("example_request");
  if (a.example.steps.empty()) {
    w.Null();
  } else {
    w.BeginObject();
    w.Field("id", a.example.id);
    w.Key("services");
    w.BeginArray();
    for (const std::string& s : a.example.services) w.String(s);
    w.EndArray();
    w.Key("steps");
    w.BeginArray();
    for (const RequestStep& s : a.example.steps) {
      w.BeginObject();
      w.FieldTime("time", s.event->time);
      w.Field("source", SourceOf(a.detector_input, *s.event));
      w.Field("service", ServiceOf(a.detector_input, *s.event));
      w.Field("level", LevelName(s.event->level));
      w.FieldDouble("gap_ms", static_cast<double>(s.gap_ns) / kNanosPerMilli, 0);
      w.Field("excerpt", Excerpt(s.event->raw.empty() ? s.event->message : s.event->raw));
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }

  w.Key("inputs");
  w.BeginArray();
  for (const InputReport& r : a.inputs) {
    w.BeginObject();
    w.Field("file", r.relative);
    std::string taken(EvidenceKindName(r.kind));
    if (r.kind == EvidenceKind::kDetection)
      taken = std::string(DetectionSourceName(r.detection)) + " records";
    w.Field("taken_for", taken);
    w.Field("format", r.format);
    w.FieldDouble("confidence", r.confidence, 2);
    w.Field("reason", r.reason);
    w.FieldUint("bytes", r.bytes);
    w.FieldUint("lines", r.lines);
    w.FieldUint("records", r.records);
    w.FieldUint("skipped_lines", r.skipped);
    w.Key("skipped_samples");
    w.BeginArray();
    for (const ParseIssue& p : r.samples) {
      w.BeginObject();
      w.Field("source", r.relative + ":" + std::to_string(p.line));
      w.Field("reason", p.reason);
      w.EndObject();
    }
    w.EndArray();
    w.Key("notes");
    w.BeginArray();
    for (const std::string& n : r.notes) w.String(n);
    w.EndArray();
    w.Key("error");
    if (r.error.ok())
      w.Null();
    else
      w.String(r.error.ToString());
    w.EndObject();
  }
  w.EndArray();
  w.Key("notes");
  w.BeginArray();
  for (const std::string& n : a.notes) w.String(n);
  w.EndArray();
  if (draft) {
    w.Key("draft");
    WriteDraftJson(w, *draft);
  }
  w.EndObject();
  return w.Take();
}

}  // namespace inquest
