// Header fields of a post-mortem: the title line ("# Post-Mortem: <title>  SEV-2  2026-05-29")
// and "Key: value" lines ("Status: Final    Author: checkout on-call", "- Detected: 14:12 UTC").
#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <string>

#include "base/strings.h"
#include "postmortem/document_parts.h"
#include "postmortem/pm_time.h"

namespace inquest {
namespace {

// One "Key: value" found in the text.
struct KeyValue {
  std::string key;  // lower case, single spaces
  PmField value;
  int section = -1;
};

// The keys the reader knows, lower case; anything else before a colon is text.
const char kKeyPattern[] =
    R"((?i)(?:^|\s{2,}|[;|]\s*)[-*+]?\s*\**\s*()"
    R"(status|authors?|reviewers?|severity|sev(?: level)?|date|incident date|)"
    R"(started(?: at)?|start(?: time)?|onset|began|incident start|impact start|)"
    R"(detected(?: at)?|time detected|acknowledged(?: at)?|acked|mitigated(?: at)?|)"
    R"(resolved(?: at)?|recovered(?: at)?|ended(?: at)?|)"
    R"(services?|affected services?|trigger|incident id|incident)\s*\**\s*:\s*\**)";

std::string CanonicalKey(std::string key) {
  key = ToLower(key);
  static const std::map<std::string, std::string> kAlias{
      {"authors", "author"},
      {"reviewer", "reviewers"},
      {"sev", "severity"},
      {"sev level", "severity"},
      {"incident date", "date"},
      {"started at", "started"},
      {"start", "started"},
      {"start time", "started"},
      {"onset", "started"},
      {"began", "started"},
      {"incident start", "started"},
      {"impact start", "started"},
      {"detected at", "detected"},
      {"time detected", "detected"},
      {"acknowledged at", "acknowledged"},
      {"acked", "acknowledged"},
      {"mitigated at", "mitigated"},
      {"resolved at", "resolved"},
      {"recovered", "resolved"},
      {"recovered at", "resolved"},
      {"ended", "resolved"},
      {"ended at", "resolved"},
      {"service", "services"},
      {"affected service", "services"},
      {"affected services", "services"},
      {"incident id", "incident"},
  };
  auto it = kAlias.find(key);
  return it == kAlias.end() ? key : it->second;
}

int ColumnIn(const PmDocument& doc, int line, std::string_view needle, int fallback) {
  std::string_view src = doc.Line(line);
  size_t at = needle.empty() ? std::string_view::npos : src.find(needle);
  return at == std::string_view::npos ? fallback : int(at) + 1;
}

std::vector<KeyValue> FindKeyValues(const PmDocument& doc) {
  static const RE2 kKey(kKeyPattern);
  std::vector<KeyValue> out;
  for (const PmTextBlock& b : doc.blocks) {
    if (b.in_table) continue;
    int line = b.line;
    size_t start = 0;
    while (start <= b.text.size()) {
      size_t nl = b.text.find('\n', start);
      std::string_view text(b.text);
      text = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
      // Every key on the line, then the values between them.
      struct Hit {
        size_t begin, end;
        std::string key;
      };
      std::vector<Hit> hits;
      re2::StringPiece piece(text.data(), text.size());
      size_t pos = 0;
      re2::StringPiece match[2];
      while (pos < text.size() && kKey.Match(piece, pos, text.size(), RE2::UNANCHORED, match, 2)) {
        size_t begin = match[0].data() - text.data();
        size_t end = begin + match[0].size();
        hits.push_back({begin, end, std::string(match[1].data(), match[1].size())});
        pos = std::max(end, begin + 1);
      }
      for (size_t i = 0; i < hits.size(); ++i) {
        size_t vend = i + 1 < hits.size() ? hits[i + 1].begin : text.size();
        std::string_view v = TrimSpace(text.substr(hits[i].end, vend - hits[i].end));
        while (!v.empty() && (v.back() == '*' || v.back() == ' ')) v.remove_suffix(1);
        KeyValue kv;
        kv.key = CanonicalKey(hits[i].key);
        kv.value.text = std::string(v);
        kv.value.line = line;
        kv.value.column = ColumnIn(doc, line, v, b.column);
        kv.section = b.section;
        out.push_back(std::move(kv));
      }
      if (nl == std::string::npos) break;
      start = nl + 1;
      ++line;
    }
  }
  return out;
}

bool IsHeaderSection(const PmDocument& doc, int section) {
  if (section < 0) return true;
  const PmSection& s = doc.sections[section];
  if (s.level == 1) return true;
  static const std::vector<std::string_view> kMeta{"metadata",         "stats",    "details",
                                                   "incident details", "overview", "summary"};
  for (std::string_view m : kMeta)
    if (doc.FindSection({m}) == section) return true;
  return false;
}

void SetTime(const PmField& f, const PmTimeText& date, PmTime* out) {
  if (out->field.present()) return;
  out->field = f;
  PmTimeText t = ReadPmTime(f.text);
  if (!t.found()) return;
  out->time = PmTimeToUtc(t, date, "");
  out->zone_assumed = t.has_clock && t.zone.empty();
}

void ReadTitle(PmDocument* doc) {
  for (const PmSection& s : doc->sections) {
    if (s.level != 1) continue;
    std::string title = s.heading;
    static const RE2 kSev(R"((?i)\bSEV[- ]?([0-9])\b)");
    static const RE2 kDate(R"(\b(\d{4}-\d{2}-\d{2})\b)");
    static const RE2 kPrefix(R"((?i)^\s*(?:post-?mortem|incident report|incident)\s*[:—–-]\s*)");
    std::string level, date;
    if (RE2::PartialMatch(title, kSev, &level)) {
      doc->sev.text = "SEV-" + level;
      doc->sev.line = s.line;
      doc->sev.column = ColumnIn(*doc, s.line, "SEV", 1);
      doc->sev_level = level[0] - '0';
      RE2::Replace(&title, kSev, "");
    }
    static const RE2 kNamedDate(R"(\b([A-Z][a-z]{2,8}\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4})\b)");
    if (RE2::PartialMatch(title, kDate, &date)) {
      doc->date = PmField{date, s.line, ColumnIn(*doc, s.line, date, 1)};
      RE2::Replace(&title, kDate, "");
    } else if (RE2::PartialMatch(title, kNamedDate, &date) && ReadPmTime(date).has_date) {
      // "Incident report May 12 2025 - ...": the date, written the ISO way.
      PmTimeText t = ReadPmTime(date);
      doc->date = PmField{fmt::format("{:04}-{:02}-{:02}", t.year, t.month, t.day), s.line,
                          ColumnIn(*doc, s.line, date, 1)};
    }
    RE2::Replace(&title, kPrefix, "");
    std::string collapsed;
    for (char c : title) {
      if (c == ' ' && (collapsed.empty() || collapsed.back() == ' ')) continue;
      collapsed += c;
    }
    doc->title.text = std::string(TrimSpace(collapsed));
    doc->title.line = s.line;
    doc->title.column = 1;
    return;
  }
}

}  // namespace

void ReadHeaderFields(PmDocument* doc) {
  ReadTitle(doc);
  int timeline = doc->FindSection({"timeline"});
  int actions = doc->FindSection({"action items", "action item", "actions", "follow up",
                                  "follow ups", "corrective actions", "remediation", "next steps"});
  std::vector<KeyValue> kvs = FindKeyValues(*doc);
  auto in_excluded = [&](int section) {
    for (int ex : {timeline, actions}) {
      if (ex < 0 || section < 0) continue;
      if (section == ex) return true;
      const PmSection& e = doc->sections[ex];
      const PmSection& s = doc->sections[section];
      if (s.line > e.line && s.line <= e.end_line) return true;
    }
    return false;
  };
  auto set = [](PmField* f, const KeyValue& kv) {
    if (!f->present()) *f = kv.value;
  };
  for (const KeyValue& kv : kvs) {
    if (in_excluded(kv.section)) continue;
    bool header = IsHeaderSection(*doc, kv.section);
    if (kv.key == "status" && header) set(&doc->status, kv);
    if (kv.key == "author" && header) set(&doc->author, kv);
    if (kv.key == "reviewers" && header) set(&doc->reviewers, kv);
    if (kv.key == "date" && header) set(&doc->date, kv);
    if (kv.key == "incident" && header) set(&doc->incident_id, kv);
    if (kv.key == "trigger") set(&doc->trigger, kv);
    if (kv.key == "severity" && header && !doc->sev.present()) {
      static const RE2 kLevel(R"((?i)(?:SEV[- ]?)?([0-9])\b)");
      std::string level;
      doc->sev = kv.value;
      if (RE2::PartialMatch(kv.value.text, kLevel, &level)) {
        doc->sev_level = level[0] - '0';
        doc->sev.text = "SEV-" + level;
      }
    }
    if (kv.key == "services" && doc->services.empty()) {
      for (std::string_view part : Split(kv.value.text, ',')) {
        part = TrimSpace(part);
        if (part.empty()) continue;
        doc->services.push_back(PmField{std::string(part), kv.value.line,
                                        ColumnIn(*doc, kv.value.line, part, kv.value.column)});
      }
    }
  }
  // The date first: clock times without a date take it.
  PmTimeText date = ReadPmTime(doc->date.text);
  for (const KeyValue& kv : kvs) {
    if (in_excluded(kv.section)) continue;
    if (kv.key == "started") SetTime(kv.value, date, &doc->started);
    if (kv.key == "detected") SetTime(kv.value, date, &doc->detected);
    if (kv.key == "acknowledged") SetTime(kv.value, date, &doc->acknowledged);
    if (kv.key == "mitigated") SetTime(kv.value, date, &doc->mitigated);
    if (kv.key == "resolved") SetTime(kv.value, date, &doc->resolved);
  }
  int summary = doc->FindSection({"summary", "executive summary", "tl dr", "tldr"});
  if (summary >= 0) {
    const PmSection& s = doc->sections[summary];
    doc->summary.text = s.text;
    doc->summary.line = s.line;
    doc->summary.column = 1;
    for (const PmTextBlock& b : doc->blocks) {
      if (b.line > s.line && b.line <= s.end_line) {
        doc->summary.line = b.line;
        doc->summary.column = b.column;
        break;
      }
    }
  }
}

}  // namespace inquest
