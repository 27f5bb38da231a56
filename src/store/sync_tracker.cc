#include "store/sync_tracker.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "base/time.h"
#include "store/sync_retry.h"

namespace inquest::store {
namespace {

// GitHub refuses issue titles over 256 characters and Jira summaries over 255; the whole
// action stays in the body.
constexpr size_t kMaxTitleBytes = 240;

std::string Title(std::string_view action) {
  std::string one_line;
  for (char ch : TrimSpace(action)) one_line += (ch == '\n' || ch == '\r' || ch == '\t') ? ' ' : ch;
  if (one_line.size() <= kMaxTitleBytes) return one_line;
  size_t cut = kMaxTitleBytes;
  // Do not cut a UTF-8 sequence in half: back up to a lead byte.
  while (cut > 0 && (static_cast<unsigned char>(one_line[cut]) & 0xC0) == 0x80) --cut;
  return one_line.substr(0, cut) + "...";
}

std::string Date(TimePoint t) { return t == kNoTime ? "none" : FormatTime(t, 0).substr(0, 10); }

}  // namespace

TicketDraft DraftFor(const ActionItem& item, const Incident* incident) {
  TicketDraft d;
  d.title = Title(item.action);
  std::string& b = d.body;
  if (incident != nullptr) {
    b += fmt::format("Action item from the post-mortem of \"{}\"", incident->title);
    if (!incident->sev.empty()) b += fmt::format(" ({})", incident->sev);
    b += ".\n\n";
  } else {
    b += "Action item tracked by inquest.\n\n";
  }
  b += fmt::format("- Action: {}\n", item.action);
  b += fmt::format("- Owner: {}\n", item.owner.empty() ? "none yet" : item.owner);
  b += fmt::format("- Due: {}\n", Date(item.due));
  std::string_view cls = ActionClassName(item.action_class);
  b += fmt::format("- Class: {}\n", cls.empty() ? "not given" : cls);
  if (incident != nullptr && !incident->document_path.empty())
    b += fmt::format("- Post-mortem: {}\n", incident->document_path);
  b += fmt::format("\n{}{}\n", kTicketMarker, item.id);
  return d;
}

std::optional<int64_t> MarkerId(std::string_view body) {
  size_t at = body.find(kTicketMarker);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = body.substr(at + kTicketMarker.size());
  size_t end = 0;
  while (end < rest.size() && rest[end] >= '0' && rest[end] <= '9') ++end;
  std::optional<int64_t> id = ParseInt(rest.substr(0, end));
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

bool IsFatalTrackerError(const Status& s) {
  return !s.ok() && s.message().starts_with(kFatalPrefix);
}

Status Fatal(const Status& s) {
  if (s.ok() || IsFatalTrackerError(s)) return s;
  return Status::IoError(fmt::format("{}{}", kFatalPrefix, s.message()), s.where().file);
}

Status TrackerHttpError(std::string_view what, const HttpResponse& r) {
  std::string hint;
  if (IsRateLimited(r)) {
    std::string_view reset = TrimSpace(r.Header("x-ratelimit-reset"));
    std::string_view after = TrimSpace(r.Header("retry-after"));
    std::optional<int64_t> epoch = ParseInt(reset);
    if (epoch && *epoch > 0 && *epoch < int64_t{kMaxYear - 1970} * 365 * 86400)
      hint = fmt::format(" (rate limit spent; it resets at {})",
                         FormatTime(*epoch * kNanosPerSecond, 0));
    else if (!reset.empty())
      hint = fmt::format(" (rate limit spent; it resets at {})", reset);
    else if (!after.empty())
      hint = fmt::format(" (rate limited; retry after {})", after);
    else
      hint = " (rate limited)";
    return Status::IoError(fmt::format("{}{}: HTTP {}{}: {}", kFatalPrefix, what, r.status, hint,
                                       BodyExcerpt(r.body)));
  }
  switch (r.status) {
    case 401:
      hint = " (the token was refused: check it and that it has not expired)";
      break;
    case 403:
      hint = " (the token lacks the permission, or the rate limit is spent)";
      break;
    case 404:
      hint = " (no such repository or project, or the token cannot see it)";
      break;
    case 410:
      hint = " (issues are disabled for this repository)";
      break;
    case 429:
      hint = " (rate limited)";
      break;
    default:
      break;
  }
  std::string msg = fmt::format("{}: HTTP {}{}: {}", what, r.status, hint, BodyExcerpt(r.body));
  bool fatal = r.status == 401 || r.status == 403 || r.status == 404 || r.status == 410 ||
               r.status == 429 || r.status >= 500;
  if (fatal) return Status::IoError(fmt::format("{}{}", kFatalPrefix, msg));
  return Status::BadInput(msg);
}

}  // namespace inquest::store
