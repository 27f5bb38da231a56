#include "evidence/sniff.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "base/strings.h"

namespace inquest {
namespace {

// Lines the record probe looks at (the same budget as a log probe).
constexpr size_t kProbeRecordLines = 64;

// Keys that carry a record's time in alert, pager and ticket exports.
constexpr std::array<std::string_view, 14> kTimeKeys = {
    "time",      "ts",       "timestamp", "@timestamp", "startsAt", "starts_at", "created_at",
    "createdAt", "fired_at", "opened",    "opened_at",  "date",     "at",        "updated_at"};

// Whether the JSON object text `line` has the key `key` (anywhere, nested or not).
bool HasKey(std::string_view line, std::string_view key) {
  size_t pos = 0;
  while (true) {
    size_t q = line.find(key, pos);
    if (q == std::string_view::npos) return false;
    pos = q + 1;
    if (q == 0 || line[q - 1] != '"') continue;
    size_t e = q + key.size();
    if (e >= line.size() || line[e] != '"') continue;
    ++e;
    while (e < line.size() && (line[e] == ' ' || line[e] == '\t')) ++e;
    if (e < line.size() && line[e] == ':') return true;
  }
}

DetectionSource ClassifyRecord(std::string_view line) {
  bool has_time = false;
  for (std::string_view k : kTimeKeys)
    if (HasKey(line, k)) {
      has_time = true;
      break;
    }
  if (!has_time) return DetectionSource::kUnknown;
  if (HasKey(line, "alertname") || (HasKey(line, "labels") && HasKey(line, "annotations")))
    return DetectionSource::kAlert;
  if (HasKey(line, "incident") || HasKey(line, "incident_id") || HasKey(line, "urgency") ||
      HasKey(line, "escalation_policy"))
    return DetectionSource::kPage;
  if (HasKey(line, "ticket") || HasKey(line, "ticket_id") ||
      (HasKey(line, "summary") && HasKey(line, "status")) ||
      (HasKey(line, "summary") && HasKey(line, "channel")))
    return DetectionSource::kTicket;
  return DetectionSource::kUnknown;
}

std::string Lower(std::string_view s) { return ToLower(s); }

bool NameHas(const std::string& lower_path, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words)
    if (lower_path.find(w) != std::string::npos) return true;
  return false;
}

}  // namespace

std::string_view EvidenceKindName(EvidenceKind k) {
  switch (k) {
    case EvidenceKind::kLog:
      return "log";
    case EvidenceKind::kChanges:
      return "changes";
    case EvidenceKind::kDetection:
      return "detection records";
    case EvidenceKind::kTrace:
      return "trace";
    case EvidenceKind::kDump:
      return "dump";
    case EvidenceKind::kCore:
      return "core";
    case EvidenceKind::kUnknown:
      break;
  }
  return "unknown";
}

std::string_view DetectionSourceName(DetectionSource s) {
  switch (s) {
    case DetectionSource::kAlert:
      return "alert";
    case DetectionSource::kPage:
      return "page";
    case DetectionSource::kTicket:
      return "ticket";
    case DetectionSource::kUnknown:
      break;
  }
  return "record";
}

std::string TakenForName(EvidenceKind kind, DetectionSource detection) {
  if (kind == EvidenceKind::kDetection)
    return fmt::format("{} records", DetectionSourceName(detection));
  return std::string(EvidenceKindName(kind));
}

double ProbeDetectionRecords(std::string_view head, DetectionSource* source) {
  size_t lines = 0;
  std::array<size_t, 4> votes{};
  size_t pos = 0;
  while (pos < head.size() && lines < kProbeRecordLines) {
    size_t nl = head.find('\n', pos);
    std::string_view line =
        head.substr(pos, nl == std::string_view::npos ? head.size() - pos : nl - pos);
    pos = nl == std::string_view::npos ? head.size() : nl + 1;
    line = TrimSpace(line);
    if (line.empty()) continue;
    // A cut last line (the head ends mid-record) is not held against the file.
    if (nl == std::string_view::npos && lines > 0 && line.back() != '}') break;
    ++lines;
    if (line.front() != '{' || line.back() != '}') continue;
    votes[static_cast<size_t>(ClassifyRecord(line))]++;
  }
  if (lines == 0) return 0;
  size_t best = 1;
  for (size_t i = 2; i < votes.size(); ++i)
    if (votes[i] > votes[best]) best = i;
  if (source) *source = static_cast<DetectionSource>(best);
  size_t matched = votes[1] + votes[2] + votes[3];
  return static_cast<double>(matched) / lines;
}

Sniffed SniffEvidence(std::string_view path, std::string_view head, const SniffProbes& probes) {
  Sniffed out;
  std::string name = Lower(path);
  if (head.empty()) {
    out.reason = "the file is empty";
    return out;
  }
  LogGuess log = probes.log ? probes.log(head) : LogGuess{};
  const KindProbe* best_other = nullptr;
  LogGuess other;
  for (const KindProbe& p : probes.others) {
    LogGuess g = p.probe ? p.probe(head) : LogGuess{};
    if (g.score > other.score) {
      other = g;
      best_other = &p;
    }
  }
  if (best_other && other.score >= kMinSniffScore && other.score >= log.score) {
    out.kind = best_other->kind;
    out.confidence = std::min(1.0, other.score);
    out.format = other.format;
    out.reason = fmt::format("its start reads as {} ({} reader, {:.0f}% sure)",
                             EvidenceKindName(out.kind), other.format, other.score * 100);
    return out;
  }
  double changes = probes.changes ? probes.changes(head) : 0;
  DetectionSource source = DetectionSource::kUnknown;
  double records = ProbeDetectionRecords(head, &source);

  // Name hints: only ever added to a probe that already found something.
  double log_s = log.score, changes_s = changes, records_s = records;
  std::string hint;
  if (changes_s > 0 && NameHas(name, {"deploy", "change", "release", "rollout"})) {
    changes_s += kNameHintBonus;
    hint = " (the file name agrees)";
  }
  if (records_s > 0 && NameHas(name, {"alert", "page", "incident", "ticket", "oncall"})) {
    records_s += kNameHintBonus;
    hint = " (the file name agrees)";
  }
  if (log_s > 0 && NameHas(name, {".log", "/log", "logs"})) log_s += kNameHintBonus / 2;

  // Change and detection records are JSON lines too, so they also fit the JSON-lines log
  // format; a record probe that matches wins over the generic log reading of the same lines.
  if (changes_s >= kMinSniffScore && changes_s >= records_s) {
    out.kind = EvidenceKind::kChanges;
    out.confidence = std::min(1.0, changes);
    out.format = log.format.empty() ? "records" : log.format;
    out.reason = fmt::format(
        "{:.0f}% of the first lines read as change records (a time plus what changed: service, "
        "version, deploy/config/flag){}",
        changes * 100, hint);
    return out;
  }
  if (records_s >= kMinSniffScore) {
    out.kind = EvidenceKind::kDetection;
    out.confidence = std::min(1.0, records);
    out.format = "jsonl";
    out.detection = source;
    out.reason = fmt::format(
        "{:.0f}% of the first lines are JSON objects with a time and {} fields{}", records * 100,
        source == DetectionSource::kAlert  ? "alert (alertname, labels)"
        : source == DetectionSource::kPage ? "pager (incident, urgency, event)"
                                           : "ticket (ticket, summary, status)",
        hint);
    return out;
  }
  if (log_s >= kMinSniffScore && !log.format.empty()) {
    out.kind = EvidenceKind::kLog;
    out.confidence = std::min(1.0, log.score);
    out.format = log.format;
    out.reason = fmt::format("{:.0f}% of the first lines parse as {} records with a time",
                             log.score * 100, log.format);
    return out;
  }
  double best = std::max({log.score, changes, records});
  out.confidence = 0;
  out.reason = best > 0 ? fmt::format(
                              "no kind fits: the best probe matched {:.0f}% of the first "
                              "lines (needs {:.0f}%)",
                              best * 100, kMinSniffScore * 100)
                        : "no log format, change record or alert/pager/ticket record fits its "
                          "first lines";
  return out;
}

}  // namespace inquest
