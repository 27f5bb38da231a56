#include "report/draft_json.h"

namespace inquest {
namespace {

void Line(JsonWriter& w, const DraftLine& l) {
  w.BeginObject();
  w.Field("text", l.text);
  w.Field("source", l.source);
  w.EndObject();
}

void Lines(JsonWriter& w, std::string_view key, const std::vector<DraftLine>& lines) {
  w.Key(key);
  w.BeginArray();
  for (const DraftLine& l : lines) Line(w, l);
  w.EndArray();
}

void KeyTime(JsonWriter& w, std::string_view key, const DraftTime& t) {
  w.Key(key);
  w.BeginObject();
  w.FieldTime("time", t.time);
  w.Field("source", t.source);
  w.EndObject();
}

void Suggestion(JsonWriter& w, std::string_view key, const DraftSuggestion& s) {
  w.Key(key);
  w.BeginObject();
  w.Field("value", s.value);
  w.Field("reason", s.reason);
  w.EndObject();
}

}  // namespace

void WriteDraftJson(JsonWriter& w, const DraftModel& m) {
  w.BeginObject();
  w.Field("incident_id", m.incident_id);
  w.Field("drafted_by", m.drafted_by);
  w.Field("evidence_dir", m.evidence_dir);
  w.FieldUint("evidence_files", m.evidence_files);
  w.Field("date", m.date);
  Suggestion(w, "title", m.title);
  Suggestion(w, "sev", m.sev);
  KeyTime(w, "started", m.started);
  KeyTime(w, "detected", m.detected);
  KeyTime(w, "acknowledged", m.acknowledged);
  KeyTime(w, "mitigated", m.mitigated);
  KeyTime(w, "resolved", m.resolved);
  w.Field("summary", m.summary);
  Lines(w, "impact", m.impact);
  w.Key("impact_questions");
  w.BeginArray();
  for (const std::string& q : m.impact_questions) w.String(q);
  w.EndArray();
  Lines(w, "detection", m.detection);
  w.Key("timeline");
  w.BeginArray();
  for (const DraftTimelineRow& r : m.timeline) {
    w.BeginObject();
    w.FieldTime("time", r.time);
    w.Field("text", r.text);
    w.Field("source", r.source);
    w.EndObject();
  }
  w.EndArray();
  w.Key("trigger");
  Line(w, m.trigger);
  Lines(w, "trigger_refs", m.trigger_refs);
  Lines(w, "runners_up", m.runners_up);
  w.Key("findings");
  w.BeginArray();
  for (const DraftFinding& f : m.findings) {
    w.BeginObject();
    w.Field("id", f.id);
    w.Field("kind", f.kind);
    w.Field("name", f.name);
    w.Field("text", f.text);
    w.Field("source", f.source);
    w.FieldTime("time", f.time);
    w.EndObject();
  }
  w.EndArray();
  Lines(w, "whys", m.whys);
  w.Field("whys_question", m.whys_question);
  Lines(w, "resolution", m.resolution);
  w.Key("actions");
  w.BeginArray();
  for (const DraftAction& a : m.actions) {
    w.BeginObject();
    w.Field("id", a.id);
    w.Field("action", a.action);
    w.Field("finding_id", a.finding_id);
    w.Field("class", a.item_class);
    w.Field("source", a.source);
    w.Field("owner", a.owner);
    w.Field("due", a.due);
    w.Field("ticket", a.ticket);
    w.Field("status", a.status);
    w.EndObject();
  }
  w.EndArray();
  Lines(w, "went_well", m.went_well);
  Lines(w, "went_poorly", m.went_poorly);
  w.Key("appendix");
  w.BeginArray();
  for (const DraftAppendix& a : m.appendix) {
    w.BeginObject();
    w.Field("heading", a.heading);
    w.Field("text", a.text);
    w.Key("columns");
    w.BeginArray();
    for (const std::string& c : a.columns) w.String(c);
    w.EndArray();
    w.Key("rows");
    w.BeginArray();
    for (const auto& row : a.rows) {
      w.BeginArray();
      for (const std::string& c : row) w.String(c);
      w.EndArray();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace inquest
