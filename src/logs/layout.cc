// Layout inference: find the time position that holds across the example lines, then label the
// columns around it by the values they hold.
#include "logs/layout.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "logs/layout_columns.h"

namespace inquest {
namespace {

// The time is looked for in the first fields only: past them it is part of the message.
constexpr size_t kMaxTimeField = 6;
// A time position must hold on at least half of the example lines to be the layout's.
constexpr double kMinTimeShare = 0.5;
// Columns after the time examined before the rest is taken for the message.
constexpr size_t kMaxColumnsAfter = 8;
// The offset a local time implies against an epoch is rounded to this: real zones are whole
// quarter hours, and the rest is the logging delay between the two clocks read.
constexpr int64_t kOffsetQuantum = 15 * 60;
// No zone is further than this from UTC (UTC+14:00, Kiribati); a larger gap is not an offset.
constexpr int64_t kMaxZoneOffset = 14 * 3600 + 30 * 60;

struct Span {
  size_t begin = 0, end = 0;
};

struct TimeCandidate {
  size_t field = 0, lead = 0;
  bool level_lead = false;  // the lead byte is a letter (a one-letter level glued to the time)
  std::string signature;
  std::vector<size_t> lines;  // indices of the example lines
  std::vector<TimeShape> shapes;
  std::vector<Span> spans;  // where the time is on each of those lines
  std::set<std::string_view> distinct;
  bool epoch() const { return signature.starts_with("%E"); }
};

struct Example {
  std::string_view text;
  std::vector<Span> fields;
};

Example Fields(std::string_view line, char delimiter) {
  Example ex{line, {}};
  size_t pos = 0;
  std::string_view f;
  if (delimiter) {
    while (NextDelimitedField(line, &pos, delimiter, &f)) {
      size_t b = static_cast<size_t>(f.data() - line.data());
      ex.fields.push_back({b, b + f.size()});
    }
    return ex;
  }
  for (;;) {
    f = NextField(line, &pos);
    if (f.empty()) break;
    size_t b = static_cast<size_t>(f.data() - line.data());
    ex.fields.push_back({b, b + f.size()});
  }
  return ex;
}

// The number of `delimiter`s on nearly every line (kColumnShare of them), or 0.
size_t DelimiterCount(std::span<const std::string_view> lines, char delimiter) {
  std::vector<size_t> counts;
  for (std::string_view l : lines)
    if (!LooksLikeContinuation(l))
      counts.push_back(static_cast<size_t>(std::count(l.begin(), l.end(), delimiter)));
  if (counts.empty()) return 0;
  std::sort(counts.begin(), counts.end());
  size_t below = static_cast<size_t>(static_cast<double>(counts.size()) * (1 - kColumnShare));
  return counts[std::min(below, counts.size() - 1)];
}

// Token of a line around the time: a field, or one of the two time extents.
struct Token {
  ColumnKind kind = ColumnKind::kSkip;  // kSkip: a field; kTime / kOtherTime: an extent
  std::string_view text;
};

std::vector<Token> Tokens(const Example& ex, Span time, std::optional<Span> other) {
  std::vector<Token> out;
  auto overlaps = [](Span f, Span e) { return f.begin < e.end && f.end > e.begin; };
  bool time_done = false, other_done = !other;
  for (const Span& f : ex.fields) {
    if (!other_done && overlaps(f, *other)) {
      out.push_back({ColumnKind::kOtherTime, {}});
      other_done = true;
      continue;
    }
    if (overlaps(f, time)) {
      if (!time_done) out.push_back({ColumnKind::kTime, {}});
      time_done = true;
      continue;
    }
    if (other && overlaps(f, *other)) continue;
    out.push_back({ColumnKind::kSkip, ex.text.substr(f.begin, f.end - f.begin)});
  }
  return out;
}

double Share(size_t n, size_t of) { return of == 0 ? 0 : static_cast<double>(n) / of; }

// The kind of column the fields at one position hold: the first that fits kColumnShare of them.
LayoutColumn Classify(const std::vector<std::string_view>& fields, bool allow_host,
                      bool allow_level) {
  LayoutColumn col;
  if (fields.empty()) return col;
  std::map<std::string_view, size_t> same;
  size_t sep = 0, level = 0, pid = 0, comp = 0, host = 0, bracketed = 0;
  for (std::string_view f : fields) {
    if (IsSeparatorField(f)) ++same[f], ++sep;
    Level l;
    std::string_view a, b;
    level += LevelOfField(f, &l);
    pid += PidOfField(f, &a);
    comp += ComponentOfField(f, &a, &b);
    host += IsHostField(f);
    bracketed += !f.empty() && BracketCloseOf(f.front());
  }
  size_t n = fields.size();
  col.bracketed = bracketed * 2 > n;
  for (const auto& [text, count] : same) {
    if (Share(count, n) >= kColumnShare) {
      col.kind = ColumnKind::kSeparator;
      col.literal = std::string(text);
      return col;
    }
  }
  if (allow_level && Share(level, n) >= kColumnShare) {
    col.kind = ColumnKind::kLevel;
  } else if (Share(pid, n) >= kColumnShare) {
    col.kind = ColumnKind::kPid;
  } else if (Share(comp, n) >= kColumnShare) {
    col.kind = ColumnKind::kComponent;
  } else if (allow_host && Share(host, n) >= kColumnShare) {
    col.kind = ColumnKind::kHost;
  }
  return col;
}

// A column of a delimited layout that no value test named: a host when its values look like
// host names with a digit or a dot in them ("web28", "ip-10-6-1-2", "edge01.eu"), else a
// component when they are words. The delimiters already say it is a column.
LayoutColumn ClassifyDelimitedPlain(const std::vector<std::string_view>& fields, bool allow_host) {
  LayoutColumn col;
  size_t host = 0, comp = 0;
  for (std::string_view f : fields) {
    std::string_view s = StripField(f);
    host += IsHostField(s) && std::any_of(s.begin(), s.end(), [](char c) {
              return (c >= '0' && c <= '9') || c == '.';
            });
    comp += IsDelimitedComponent(s);
  }
  if (allow_host && Share(host, fields.size()) >= kColumnShare)
    col.kind = ColumnKind::kHost;
  else if (Share(comp, fields.size()) >= kColumnShare)
    col.kind = ColumnKind::kComponent;
  return col;
}

const char* KindName(ColumnKind k) {
  switch (k) {
    case ColumnKind::kSkip:
      return "field";
    case ColumnKind::kSeparator:
      return "separator";
    case ColumnKind::kTime:
      return "time";
    case ColumnKind::kOtherTime:
      return "local-time";
    case ColumnKind::kLevel:
      return "level";
    case ColumnKind::kPid:
      return "pid";
    case ColumnKind::kHost:
      return "host";
    case ColumnKind::kComponent:
      return "component";
  }
  return "?";
}

std::string OffsetText(int64_t s) {
  int64_t a = s < 0 ? -s : s;
  return fmt::format("{}{:02}:{:02}", s < 0 ? '-' : '+', a / 3600, a % 3600 / 60);
}

// The median of the local-minus-epoch differences, rounded to whole quarter hours.
std::optional<int64_t> ImpliedOffset(const std::vector<Example>& ex, const TimeCandidate& epoch,
                                     const TimeCandidate& local, const TimePattern& epoch_pattern,
                                     const TimePattern& local_pattern) {
  std::vector<int64_t> diffs;
  TimeContext utc;
  for (size_t k = 0; k < epoch.lines.size(); ++k) {
    auto it = std::find(local.lines.begin(), local.lines.end(), epoch.lines[k]);
    if (it == local.lines.end()) continue;
    size_t j = static_cast<size_t>(it - local.lines.begin());
    std::string_view line = ex[epoch.lines[k]].text;
    ParsedTime e, l;
    if (!epoch_pattern.Parse(line.substr(epoch.spans[k].begin + epoch.lead), utc, &e) ||
        !local_pattern.Parse(line.substr(local.spans[j].begin + local.lead), utc, &l))
      continue;
    // In whole seconds first: the two times may each be near the ends of the 64-bit range.
    diffs.push_back(l.time / kNanosPerSecond - e.time / kNanosPerSecond);
  }
  if (diffs.empty()) return std::nullopt;
  std::nth_element(diffs.begin(), diffs.begin() + diffs.size() / 2, diffs.end());
  int64_t d = diffs[diffs.size() / 2];
  if (d > kMaxZoneOffset || d < -kMaxZoneOffset) return std::nullopt;  // not a zone's offset
  int64_t q = (d >= 0 ? d + kOffsetQuantum / 2 : d - kOffsetQuantum / 2) / kOffsetQuantum;
  return q * kOffsetQuantum;
}

}  // namespace

std::string InferredLayout::Describe() const {
  std::string out;
  for (const LayoutColumn& c : columns) {
    if (!out.empty()) out += ' ';
    switch (c.kind) {
      case ColumnKind::kTime:
        if (level_lead)
          out += fmt::format("level+time {}", time.Describe());
        else
          out += fmt::format("{}time {}{}", time_lead ? "[" : "", time.Describe(),
                             time_lead ? "]" : "");
        break;
      case ColumnKind::kOtherTime:
        out += fmt::format("local-time {}", other_time ? other_time->Describe() : "?");
        break;
      case ColumnKind::kSeparator:
        out += fmt::format("'{}'", c.literal);
        break;
      default:
        out += c.bracketed ? fmt::format("[{}]", KindName(c.kind)) : KindName(c.kind);
        break;
    }
  }
  return out + " message";
}

bool InferredLayout::has_columns() const {
  return level_lead || std::any_of(columns.begin(), columns.end(), [](const LayoutColumn& c) {
           return c.kind != ColumnKind::kTime && c.kind != ColumnKind::kSeparator &&
                  c.kind != ColumnKind::kSkip;
         });
}

namespace {

// The layout with columns split at `delimiter` (0: whitespace); `delimited_fields` is the
// number of fields before the message in a delimited layout.
Result<InferredLayout> InferWith(std::span<const std::string_view> lines, const TimeContext& ctx,
                                 char delimiter, size_t delimited_fields) {
  std::vector<Example> ex;
  for (std::string_view l : lines)
    if (!LooksLikeContinuation(l)) ex.push_back(Fields(l, delimiter));
  if (ex.empty()) return Status::InvalidArgument("no line to infer a layout from");

  std::map<std::string, TimeCandidate> by_key;
  for (size_t li = 0; li < ex.size(); ++li) {
    const Example& e = ex[li];
    for (size_t f = 0; f < e.fields.size() && f < kMaxTimeField; ++f) {
      size_t b = e.fields[f].begin;
      if (b >= e.fields[f].end) continue;  // an empty delimited field
      // A one-letter level glued to the time ("I0105 12:34:56.789012") is a lead like '['.
      Level l;
      bool letter = b + 1 < e.text.size() && e.text[b + 1] >= '0' && e.text[b + 1] <= '9' &&
                    LevelOfField(e.text.substr(b, 1), &l);
      size_t lead = BracketCloseOf(e.text[b]) || letter ? 1 : 0;
      std::optional<TimeShape> sh = ScanTimeShape(e.text.substr(b + lead));
      if (!sh) continue;
      std::string key = fmt::format("{}|{}|{}|{}", f, lead, letter, sh->signature);
      TimeCandidate& c = by_key[key];
      c.field = f;
      c.lead = lead;
      c.level_lead = letter;
      c.signature = sh->signature;
      c.lines.push_back(li);
      c.spans.push_back({b, b + lead + sh->consumed});
      c.distinct.insert(e.text.substr(b + lead, sh->consumed));
      c.shapes.push_back(std::move(*sh));
    }
  }
  std::vector<TimeCandidate*> ranked;
  for (auto& [key, c] : by_key) ranked.push_back(&c);
  // Most lines first; then a time that changes from line to line over a constant one (a file
  // name with a date in it); then the earlier field.
  std::sort(ranked.begin(), ranked.end(), [](const TimeCandidate* a, const TimeCandidate* b) {
    if (a->lines.size() != b->lines.size()) return a->lines.size() > b->lines.size();
    if ((a->distinct.size() > 1) != (b->distinct.size() > 1)) return a->distinct.size() > 1;
    return a->field < b->field;
  });
  if (ranked.empty())
    return Status::InvalidArgument(fmt::format(
        "no timestamp in the first {} fields of any of {} lines", kMaxTimeField, ex.size()));

  TimeCandidate* best = nullptr;
  TimePattern pattern;
  std::string why;
  for (TimeCandidate* c : ranked) {
    if (Share(c->lines.size(), ex.size()) < kMinTimeShare) break;
    Result<TimePattern> p = ResolveTimePattern(c->shapes, ctx);
    if (!p.ok()) {
      if (why.empty()) why = p.status().message();
      continue;
    }
    best = c;
    pattern = *std::move(p);
    break;
  }
  if (!best) {
    const TimeCandidate* c = ranked.front();
    return Status::InvalidArgument(fmt::format(
        "no layout fits: the best time candidate ('{}' at field {}) is on {} of {} lines (score "
        "{:.2f}, needs {:.2f}){}",
        *c->distinct.begin(), c->field + 1, c->lines.size(), ex.size(),
        Share(c->lines.size(), ex.size()), kMinTimeShare, why.empty() ? "" : "; " + why));
  }

  if (delimiter && best->field >= delimited_fields)
    return Status::InvalidArgument("the time is not in a delimited column");
  InferredLayout out;
  out.delimiter = delimiter;
  out.lines_probed = ex.size();
  out.lines_fit = best->lines.size();
  out.time_lead = best->lead;
  // A written local time beside an epoch: the epoch is the time, the pair gives the offset.
  TimeCandidate* other = nullptr;
  std::optional<TimePattern> other_pattern;
  for (TimeCandidate* c : ranked) {
    if (c == best || c->epoch() == best->epoch() || c->field == best->field) continue;
    if (Share(c->lines.size(), best->lines.size()) < kColumnShare) break;
    Result<TimePattern> p = ResolveTimePattern(c->shapes, ctx);
    if (!p.ok()) continue;
    other = c;
    other_pattern = *std::move(p);
    break;
  }
  if (other) {
    if (other->epoch()) {
      std::swap(best, other);
      std::swap(pattern, *other_pattern);
      out.time_lead = best->lead;
      out.lines_fit = best->lines.size();
    }
    out.implied_offset_s = ImpliedOffset(ex, *best, *other, pattern, *other_pattern);
    out.other_lead = other->lead;
    out.other_time = std::move(other_pattern);
  }
  out.time = std::move(pattern);
  out.level_lead = best->level_lead;
  if (best->lead && !best->level_lead) {
    size_t closed = 0;
    char want = 0;
    for (size_t k = 0; k < best->lines.size(); ++k) {
      std::string_view t = ex[best->lines[k]].text;
      want = BracketCloseOf(t[best->spans[k].begin]);
      closed += best->spans[k].end < t.size() && t[best->spans[k].end] == want;
    }
    if (Share(closed, best->lines.size()) >= kColumnShare) out.time_close = want;
  }

  // Tokens of the lines that carry the time where the layout has it.
  std::vector<std::vector<Token>> toks;
  size_t time_index = 0;
  std::map<size_t, size_t> index_votes;
  for (size_t k = 0; k < best->lines.size(); ++k) {
    std::optional<Span> o;
    if (other) {
      auto it = std::find(other->lines.begin(), other->lines.end(), best->lines[k]);
      if (it != other->lines.end())
        o = other->spans[static_cast<size_t>(it - other->lines.begin())];
    }
    Span t = best->spans[k];
    if (out.time_close) ++t.end;
    toks.push_back(Tokens(ex[best->lines[k]], t, o));
    for (size_t i = 0; i < toks.back().size(); ++i)
      if (toks.back()[i].kind == ColumnKind::kTime) ++index_votes[i];
  }
  for (const auto& [i, votes] : index_votes)
    if (votes > index_votes[time_index]) time_index = i;

  // Columns before the time: every record has them.
  std::vector<size_t> same_index;
  for (size_t k = 0; k < toks.size(); ++k)
    if (time_index < toks[k].size() && toks[k][time_index].kind == ColumnKind::kTime)
      same_index.push_back(k);
  for (size_t p = 0; p < time_index; ++p) {
    std::vector<std::string_view> fields;
    size_t others = 0;
    for (size_t k : same_index) {
      others += toks[k][p].kind == ColumnKind::kOtherTime;
      fields.push_back(toks[k][p].text);
    }
    LayoutColumn col;
    if (Share(others, same_index.size()) >= kColumnShare) {
      col.kind = ColumnKind::kOtherTime;
    } else {
      col = Classify(fields, /*allow_host=*/true, /*allow_level=*/true);
      if (delimiter && col.kind == ColumnKind::kSkip) col = ClassifyDelimitedPlain(fields, true);
    }
    out.columns.push_back(col);
  }
  out.columns.push_back({ColumnKind::kTime, {}, best->lead > 0});

  // Columns after the time, while one holds on the lines still in play.
  std::vector<size_t> alive = same_index;
  bool seen_level = false, seen_named = false, seen_host = false;
  for (const LayoutColumn& c : out.columns) seen_host |= c.kind == ColumnKind::kHost;
  for (size_t q = 1; q <= kMaxColumnsAfter && Share(alive.size(), same_index.size()) > 0.5; ++q) {
    size_t p = time_index + q;
    if (delimiter && p >= delimited_fields) break;  // the message
    std::vector<std::string_view> fields;
    size_t others = 0;
    for (size_t k : alive) {
      if (p < toks[k].size()) {
        others += toks[k][p].kind == ColumnKind::kOtherTime;
        fields.push_back(toks[k][p].text);
      } else {
        fields.push_back({});
      }
    }
    LayoutColumn col;
    if (Share(others, alive.size()) >= kColumnShare) {
      col.kind = ColumnKind::kOtherTime;
    } else if (delimiter) {
      col = Classify(fields, /*allow_host=*/false, !seen_level);
      if (col.kind == ColumnKind::kSkip) col = ClassifyDelimitedPlain(fields, !seen_host);
      seen_host |= col.kind == ColumnKind::kHost;
      seen_level |= col.kind == ColumnKind::kLevel;
      out.columns.push_back(col);  // a column whatever it holds: the delimiters say so
      continue;
    } else {
      col = Classify(fields, /*allow_host=*/false, !seen_level);
      if (col.kind == ColumnKind::kSkip && !seen_named) {
        // A plain name is a host only when a component, pid or level column follows it.
        LayoutColumn host = Classify(fields, true, !seen_level);
        std::vector<std::string_view> next;
        for (size_t k : alive)
          next.push_back(p + 1 < toks[k].size() ? toks[k][p + 1].text : std::string_view());
        LayoutColumn after = Classify(next, false, !seen_level);
        if (host.kind == ColumnKind::kHost &&
            (after.kind == ColumnKind::kComponent || after.kind == ColumnKind::kPid ||
             after.kind == ColumnKind::kLevel))
          col = host;
      }
    }
    if (col.kind == ColumnKind::kSkip) break;
    seen_level |= col.kind == ColumnKind::kLevel;
    seen_named |= col.kind == ColumnKind::kLevel || col.kind == ColumnKind::kComponent ||
                  col.kind == ColumnKind::kHost;
    out.columns.push_back(col);
    std::vector<size_t> still;
    for (size_t k : alive) {
      if (p >= toks[k].size()) continue;
      const Token& t = toks[k][p];
      if (col.kind == ColumnKind::kOtherTime ? t.kind == ColumnKind::kOtherTime
                                             : FieldFits(col.kind, col.literal, t.text))
        still.push_back(k);
    }
    alive = std::move(still);
  }

  std::vector<std::string> notes;
  if (!out.time.ambiguity().empty()) notes.push_back(out.time.ambiguity());
  if (out.implied_offset_s)
    notes.push_back(fmt::format("the written local time is {} from the epoch",
                                OffsetText(*out.implied_offset_s)));
  if (!out.time.has_year()) notes.push_back("the time has no year");
  for (const std::string& n : notes) out.notes += (out.notes.empty() ? "" : "; ") + n;
  return out;
}

}  // namespace

Result<InferredLayout> InferLayout(std::span<const std::string_view> lines,
                                   const TimeContext& ctx) {
  for (char d : kLayoutDelimiters) {
    size_t n = DelimiterCount(lines, d);
    if (n < 2) continue;  // time, a column and the message at least
    Result<InferredLayout> l = InferWith(lines, ctx, d, n);
    if (l.ok() && l->has_columns()) return l;
  }
  return InferWith(lines, ctx, 0, 0);
}

}  // namespace inquest
