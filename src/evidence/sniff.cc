#include "evidence/sniff.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "base/strings.h"
#include "evidence/flat_records.h"

namespace inquest {
namespace {

// Detection roles, in the order their scores are compared.
constexpr RecordRole kDetectionRoles[] = {RecordRole::kAlert, RecordRole::kPage,
                                          RecordRole::kTicket, RecordRole::kChat};

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
    case EvidenceKind::kHeap:
      return "heap dump";
    case EvidenceKind::kProfile:
      return "profile";
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
    case DetectionSource::kChat:
      return "chat";
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

DetectionSource DetectionSourceOf(RecordRole role) {
  switch (role) {
    case RecordRole::kAlert:
      return DetectionSource::kAlert;
    case RecordRole::kPage:
      return DetectionSource::kPage;
    case RecordRole::kTicket:
      return DetectionSource::kTicket;
    case RecordRole::kChat:
      return DetectionSource::kChat;
    case RecordRole::kLog:
    case RecordRole::kChange:
      break;
  }
  return DetectionSource::kUnknown;
}

double ProbeDetectionRecords(std::string_view head, DetectionSource* source) {
  RecordRoles roles = ClassifyRecords(head);
  double best = 0;
  for (RecordRole r : kDetectionRoles) {
    double s = roles.ScoreOf(r);
    if (s > best) {
      best = s;
      if (source) *source = DetectionSourceOf(r);
    }
  }
  return best;
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
  RecordRoles roles = ClassifyRecords(head);

  // Every reading of the file with its score; name hints are only ever added to a reading
  // that already found something.
  struct Reading {
    EvidenceKind kind;
    DetectionSource detection;
    double score;   // as probed
    double ranked;  // with the name hint
  };
  std::vector<Reading> readings;
  bool hinted = false;
  auto add = [&](EvidenceKind kind, DetectionSource det, double score,
                 std::initializer_list<std::string_view> name_words) {
    double ranked = score;
    if (score > 0 && NameHas(name, name_words)) {
      ranked += kNameHintBonus;
      hinted = true;
    }
    readings.push_back({kind, det, score, ranked});
  };
  add(EvidenceKind::kChanges, DetectionSource::kUnknown, changes,
      {"deploy", "change", "release", "rollout", "flag"});
  for (RecordRole r : kDetectionRoles)
    add(EvidenceKind::kDetection, DetectionSourceOf(r), roles.ScoreOf(r),
        {"alert", "page", "incident", "ticket", "oncall", "support", "chat", "slack"});
  std::stable_sort(readings.begin(), readings.end(),
                   [](const Reading& a, const Reading& b) { return a.ranked > b.ranked; });
  // Records that read as log lines, or a file that is no records at all, compete as a log.
  double log_s = log.score;
  if (log_s > 0 && NameHas(name, {".log", "/log", "logs"})) log_s += kNameHintBonus / 2;
  double record_log = roles.records > 0 ? roles.ScoreOf(RecordRole::kLog) : log_s;
  std::string hint = hinted ? " (the file name agrees)" : "";

  // Change and detection records are JSON lines or CSV too, so they may also fit a log
  // format; records whose content reads as changes or detection win over that reading,
  // unless their content reads better as log lines.
  const Reading& top = readings[0];
  Reading log_reading{EvidenceKind::kLog, DetectionSource::kUnknown, log.score, record_log};
  const Reading* runner = nullptr;
  if (top.ranked >= kMinSniffScore && top.ranked >= record_log) {
    out.kind = top.kind;
    out.confidence = std::min(1.0, top.score);
    out.detection = top.detection;
    // JSON lines keep the wording of the first lines; other layouts name themselves.
    std::string rows = roles.layout == RecordLayout::kJsonLines || roles.records == 0
                           ? std::string("the first lines")
                           : fmt::format("the first {} records", RecordLayoutName(roles.layout));
    if (top.kind == EvidenceKind::kChanges) {
      out.format = log.format.empty() ? "records" : log.format;
      out.reason = fmt::format(
          "{:.0f}% of {} read as change records (a time plus what changed: service, version, "
          "deploy/config/flag){}",
          top.score * 100, rows, hint);
    } else {
      out.format = roles.layout == RecordLayout::kCsv ? "csv" : "jsonl";
      std::string_view fields =
          top.detection == DetectionSource::kAlert  ? "alert (alertname, labels)"
          : top.detection == DetectionSource::kPage ? "pager (incident, urgency, event)"
          : top.detection == DetectionSource::kChat ? "chat (user, text)"
                                                    : "ticket (ticket, summary, status)";
      out.reason = roles.layout == RecordLayout::kJsonLines
                       ? fmt::format(
                             "{:.0f}% of the first lines are JSON objects with a time and "
                             "{} fields{}",
                             top.score * 100, fields, hint)
                       : fmt::format("{:.0f}% of {} have a time and {} fields{}", top.score * 100,
                                     rows, fields, hint);
    }
    runner = readings.size() > 1 && readings[1].ranked >= record_log ? &readings[1] : &log_reading;
  } else if (log_s >= kMinSniffScore && !log.format.empty()) {
    out.kind = EvidenceKind::kLog;
    out.confidence = std::min(1.0, log.score);
    out.format = log.format;
    out.reason = fmt::format("{:.0f}% of the first lines parse as {} records with a time",
                             log.score * 100, log.format);
    runner = &top;
    log_reading.ranked = log_s;
  }
  if (runner) {
    double win = out.kind == EvidenceKind::kLog ? log_s : top.ranked;
    if (runner->ranked >= kMinRunnerUpScore && win - runner->ranked <= kRunnerUpMargin) {
      out.runner_up = TakenForName(runner->kind, runner->detection);
      out.runner_up_score = std::min(1.0, runner->ranked);
      out.reason +=
          fmt::format("; it could also be {} ({:.0f}%)", out.runner_up, out.runner_up_score * 100);
    }
    return out;
  }
  double records = top.score;
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
