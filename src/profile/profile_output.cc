#include "profile/profile_output.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "base/json_writer.h"
#include "base/time.h"
#include "profile/profile_math.h"
#include "profile/profile_units.h"

namespace inquest::profile {
namespace {

const char* InlineLabel(InlineMark m) {
  switch (m) {
    case InlineMark::kInline:
      return "(inline)";
    case InlineMark::kPartialInline:
      return "(partial-inline)";
    case InlineMark::kNone:
      break;
  }
  return "";
}

// The unit every value of the table is printed in (pprof's "minimum" output unit over the rows
// shown).
std::string OutputUnit(const TopView& v) {
  int64_t min_value = 0;
  for (const TopRow& r : v.table->rows) {
    int64_t m = WrapAbs(r.flat);
    if (m == 0) m = WrapAbs(r.cum);
    if (m > 0 && (min_value == 0 || m < min_value)) min_value = m;
  }
  return TableUnit(min_value, v.table->total, v.table->unit);
}

// The lines above the table, as pprof prints them (the time in UTC, not the local zone).
std::vector<std::string> HeaderLines(const TopView& v, const std::string& unit) {
  const Profile& p = *v.profile;
  const TopTable& t = *v.table;
  auto value = [&](int64_t x) { return ScaledLabel(x, t.unit, unit); };
  std::vector<std::string> out;
  if (!p.mappings.empty()) {
    std::string_view file = p.Str(p.mappings[0].filename);
    if (!file.empty()) out.push_back(fmt::format("File: {}", file.substr(file.rfind('/') + 1)));
    if (std::string_view id = p.Str(p.mappings[0].build_id); !id.empty())
      out.push_back(fmt::format("Build ID: {}", id));
  }
  for (const std::string& c : p.comments)
    if (!c.starts_with('#')) out.push_back(c);
  out.push_back(fmt::format("Type: {}", t.sample_type));
  if (p.time_nanos != 0) out.push_back(fmt::format("Time: {}", FormatTime(p.time_nanos, 0)));
  if (p.duration_nanos != 0) {
    auto [total_ns, total_unit] = ScaleValue(t.total, t.unit, "nanoseconds");
    std::string ratio;
    if (total_unit == "ns" && total_ns != 0)
      ratio = fmt::format("({})", Percentage(static_cast<int64_t>(total_ns), p.duration_nanos));
    out.push_back(fmt::format("Duration: {}, Total samples = {} {}",
                              ScaledLabel(p.duration_nanos, "nanoseconds", "auto"), value(t.total),
                              ratio));
  }
  if (v.base) out.push_back(fmt::format("Diff: {} minus {}", p.source, v.base->source));
  int64_t flat_sum = 0;
  for (const TopRow& r : t.rows) flat_sum = WrapAdd(flat_sum, r.flat);
  std::string share = Percentage(flat_sum, t.total);
  share.erase(0, share.find_first_not_of(' '));
  out.push_back(fmt::format("Showing nodes accounting for {}, {} of {} total", value(flat_sum),
                            share, value(t.total)));
  if (t.total != 0 && t.dropped > 0)
    out.push_back(
        fmt::format("Dropped {} node{} (cum <= {})", t.dropped, t.dropped == 1 ? "" : "s",
                    value(WrapAbs(GoInt64(static_cast<double>(t.total) * t.node_fraction)))));
  if (t.total != 0 && !t.rows.empty() && t.rows.size() < t.kept)
    out.push_back(fmt::format("Showing top {} nodes out of {}", t.rows.size(), t.kept));
  return out;
}

}  // namespace

std::string TopText(const TopView& v) {
  const TopTable& t = *v.table;
  std::string unit = OutputUnit(v);
  std::string out;
  for (const std::string& line : HeaderLines(v, unit)) out += line + "\n";
  out += fmt::format("{:>10} {:>5}% {:>5}% {:>10} {:>5}%\n", "flat", "flat", "sum", "cum", "cum");
  int64_t flat_sum = 0;
  for (const TopRow& r : t.rows) {
    flat_sum = WrapAdd(flat_sum, r.flat);
    std::string inl = InlineLabel(r.inline_mark);
    out += fmt::format("{:>10} {} {} {:>10} {}  {}{}{}\n", ScaledLabel(r.flat, t.unit, unit),
                       Percentage(r.flat, t.total), Percentage(flat_sum, t.total),
                       ScaledLabel(r.cum, t.unit, unit), Percentage(r.cum, t.total), r.name,
                       inl.empty() ? "" : " ", inl);
  }
  return out;
}

std::string TopMarkdown(const TopView& v) {
  const TopTable& t = *v.table;
  std::string unit = OutputUnit(v);
  std::string out = fmt::format("## Profile `{}`\n\n", v.profile->source);
  for (const std::string& line : HeaderLines(v, unit)) out += "- " + line + "\n";
  out += "\n| flat | flat% | sum% | cum | cum% | name |\n|---:|---:|---:|---:|---:|---|\n";
  int64_t flat_sum = 0;
  for (const TopRow& r : t.rows) {
    flat_sum = WrapAdd(flat_sum, r.flat);
    std::string name = r.name;
    for (size_t at = name.find('|'); at != std::string::npos; at = name.find('|', at + 2))
      name.replace(at, 1, "\\|");
    out += fmt::format("| {} | {} | {} | {} | {} | `{}` {}|\n", ScaledLabel(r.flat, t.unit, unit),
                       Percentage(r.flat, t.total), Percentage(flat_sum, t.total),
                       ScaledLabel(r.cum, t.unit, unit), Percentage(r.cum, t.total), name,
                       InlineLabel(r.inline_mark));
  }
  return out;
}

Redacted TopJson(const TopView& v) {
  const Profile& p = *v.profile;
  const TopTable& t = *v.table;
  JsonWriter w;
  w.BeginObject();
  w.Field("file", p.source).Field("format", p.format);
  w.Field("sample_type", t.sample_type).Field("unit", t.unit);
  w.Key("sample_types").BeginArray();
  for (const ValueType& s : p.sample_types)
    w.BeginObject().Field("type", s.type).Field("unit", s.unit).EndObject();
  w.EndArray();
  w.FieldInt("total", t.total);
  w.Key("diff_base");
  if (v.base)
    w.String(v.base->source);
  else
    w.Null();
  if (p.time_nanos != 0) w.Key("time").Time(p.time_nanos, 0);
  w.FieldInt("duration_ns", p.duration_nanos);
  w.FieldUint("samples", p.samples.size());
  w.FieldUint("nodes", t.nodes);
  w.FieldUint("dropped", t.dropped);
  w.Key("rows").BeginArray();
  for (const TopRow& r : t.rows) {
    w.BeginObject().Field("name", r.name).FieldInt("flat", r.flat).FieldInt("cum", r.cum);
    w.Key("inline");
    if (r.inline_mark == InlineMark::kNone)
      w.Null();
    else
      w.String(r.inline_mark == InlineMark::kInline ? "inline" : "partial-inline");
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Take();
}

}  // namespace inquest::profile
