// LoadLogFile: detect, parse, place time-less records, infer years for year-less formats.
#include "logs/log_file.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"
#include "logs/path_service.h"

namespace inquest {
namespace {

constexpr int64_t kNanosPerDay = 86400 * kNanosPerSecond;
// A year-less log whose clock jumps back by more than this crossed a new year (Dec 31 -> Jan 1).
constexpr int64_t kYearRolloverGap = 180 * kNanosPerDay;
// A year-less record may be this much later than the file's modification time (clock skew,
// a file copied without its times) before it is taken for last year's.
constexpr int64_t kFutureSlack = kNanosPerDay;

struct Civil {
  int64_t y;
  unsigned m, d;
};

// Inverse of DaysFromCivil (Howard Hinnant's civil_from_days).
Civil CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {m <= 2 ? y + 1 : y, m, d};
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// The same wall-clock time `years` years later (earlier when negative); Feb 29 becomes Mar 1.
TimePoint ShiftYears(TimePoint t, int years) {
  int64_t days = FloorDiv(t, kNanosPerDay);
  int64_t within = t - days * kNanosPerDay;
  Civil c = CivilFromDays(days);
  return DaysFromCivil(c.y + years, c.m, c.d) * kNanosPerDay + within;
}

void InferYears(LogFile* f, const LoadOptions& opts, int year, const char* source) {
  std::vector<Event>& ev = f->events;
  bool any = false;
  // Forward: a jump back of more than half a year is a new year.
  int offset = 0;
  TimePoint prev = kNoTime;
  for (Event& e : ev) {
    if (!e.year_assumed || e.time == kNoTime) continue;
    any = true;
    TimePoint t = offset ? ShiftYears(e.time, offset) : e.time;
    if (prev != kNoTime && t < prev - kYearRolloverGap) {
      ++offset;
      t = ShiftYears(e.time, offset);
    }
    e.time = t;
    prev = t;
  }
  if (!any) return;
  f->stats.year_source = source;
  // Backward: with the modification time as the anchor, the log cannot end after it.
  int64_t mtime = f->input.mtime_ns();
  if (opts.year == 0 && opts.year_hint == 0 && mtime > 0 && prev > mtime + kFutureSlack) {
    for (Event& e : ev)
      if (e.year_assumed && e.time != kNoTime) e.time = ShiftYears(e.time, -1);
    f->stats.year_source += ", moved one year back to end before it";
  }
  for (const Event& e : ev) {
    if (e.year_assumed && e.time != kNoTime) {
      f->stats.year_used = YearOf(e.time);
      break;
    }
  }
}

// Records without a time take the time of the record before them (or, at the start of the
// file, of the first record after them).
void PlaceTimeless(LogFile* f) {
  std::vector<Event>& ev = f->events;
  TimePoint last = kNoTime;
  size_t first_untimed = ev.size();
  for (size_t i = 0; i < ev.size(); ++i) {
    Event& e = ev[i];
    if (e.time != kNoTime) {
      if (last == kNoTime) {
        for (size_t j = first_untimed; j < i; ++j) ev[j].time = e.time;
      }
      last = e.time;
      continue;
    }
    ++f->stats.without_time;
    e.time_from_neighbour = true;
    if (last != kNoTime) {
      e.time = last;
    } else if (first_untimed == ev.size()) {
      first_untimed = i;
    }
  }
}

uint64_t CountOutOfOrder(const std::vector<Event>& ev) {
  uint64_t n = 0;
  TimePoint prev = kNoTime;
  for (const Event& e : ev) {
    if (e.time == kNoTime) continue;
    if (prev != kNoTime && e.time < prev) ++n;
    prev = e.time;
  }
  return n;
}

// A file named after its host ("web17-0.txt" of host web17) names no service: the records that
// took the path's service lose it.
void DropHostNamedService(LogFile* f) {
  if (f->path_service.empty()) return;
  std::string_view mine = f->path_service;
  // The first records tell: a host column is on every record or on none.
  constexpr size_t kLook = 1000;
  auto end = f->events.begin() + static_cast<ptrdiff_t>(std::min(f->events.size(), kLook));
  bool host = std::any_of(f->events.begin(), end,
                          [&](const Event& e) { return EqualsIgnoreCase(e.host, mine); });
  if (!host) return;
  for (Event& e : f->events)
    if (e.service.data() == mine.data()) e.service = {};
  f->path_service.clear();
}

}  // namespace

void LogFile::SortByTime() {
  stats.out_of_order = CountOutOfOrder(events);
  std::stable_sort(events.begin(), events.end(),
                   [](const Event& a, const Event& b) { return a.time < b.time; });
}

Result<std::unique_ptr<LogFile>> LoadLogFile(const std::string& path, uint32_t file_index,
                                             const FormatRegistry& registry,
                                             const LoadOptions& opts) {
  INQ_ASSIGN_OR_RETURN(InputFile input, InputFile::Open(path));
  return LoadLogFile(std::move(input), file_index, registry, opts);
}

Result<std::unique_ptr<LogFile>> LoadLogFile(InputFile input, uint32_t file_index,
                                             const FormatRegistry& registry,
                                             const LoadOptions& opts) {
  auto f = std::make_unique<LogFile>();
  f->path = input.path();
  f->warning = input.warning();
  f->input = std::move(input);
  f->issues = IssueLog(f->path);
  std::string_view data = f->input.data();

  int year = 0;
  const char* year_source = "unknown: 1970 assumed";
  if (opts.year > 0) {
    year = opts.year;
    year_source = "--year";
  } else if (opts.year_hint > 0) {
    year = opts.year_hint;
    year_source = "other files";
  } else if (f->input.mtime_ns() > 0) {
    year = YearOf(f->input.mtime_ns());
    year_source = "file modification time";
  }

  ParseContext ctx;
  ctx.arena = &f->arena;
  ctx.fields = opts.fields ? opts.fields : &DefaultFieldNames();
  ctx.time.zone = opts.zone;
  ctx.time.default_year = year;
  f->path_service = ServiceFromPath(f->path);
  ctx.service = f->path_service;

  if (opts.format) {
    f->format = opts.format;
    f->confidence = 1;
  } else {
    Detection d = registry.Detect(data, ctx);
    if (d.lines_probed == 0) {
      if (f->warning.ok()) f->warning = Status::BadInput("empty file", SourceLocation{f->path});
      return f;
    }
    if (!d.format) {
      std::string best = d.ranked.empty()
                             ? std::string("no format parsed any line")
                             : fmt::format("best guess {} at {:.2f}",
                                           d.ranked.front().first->name(), d.ranked.front().second);
      if (!d.inference.empty()) best += "; " + d.inference;
      return Status::BadInput(
          fmt::format("not a log in any known format ({}); force one with --log-format", best),
          SourceLocation{f->path});
    }
    f->format = d.format;
    f->confidence = d.score;
  }

  FieldInference inferred;
  if (f->format->keyed_fields()) {
    inferred = InferFields(*f->format, data, ctx);
    if (inferred.names) ctx.fields = inferred.names.get();
    f->inferred_fields = inferred.found;
  }

  if (f->format->whole_document()) {
    if (!f->format->ParseDocument(data, ctx, file_index, &f->events, &f->issues)) {
      std::string why = f->issues.samples().empty() ? std::string("unreadable document")
                                                    : f->issues.samples().front().reason;
      return Status::BadInput(fmt::format("not a {} document: {}", f->format->name(), why),
                              SourceLocation{f->path});
    }
    f->stats.records = f->events.size();
    f->stats.malformed = f->issues.count();
    f->stats.lines = static_cast<uint64_t>(std::count(data.begin(), data.end(), '\n')) +
                     (!data.empty() && data.back() != '\n');
  } else {
    LogReader reader(data, *f->format, ctx, file_index, &f->issues);
    Event ev;
    while (reader.Next(&ev)) f->events.push_back(ev);
    f->stats.lines = reader.lines_read();
    f->stats.records = reader.records();
    f->stats.continuation_lines = reader.continuation_lines();
    f->stats.malformed = reader.malformed();
  }

  InferYears(f.get(), opts, year, year_source);
  PlaceTimeless(f.get());
  DropHostNamedService(f.get());
  for (const Event& e : f->events) f->stats.zone_assumed += e.zone_assumed;
  f->stats.out_of_order = CountOutOfOrder(f->events);
  return f;
}

}  // namespace inquest
