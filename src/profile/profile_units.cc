#include "profile/profile_units.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <span>

#include "profile/profile_math.h"

namespace inquest::profile {
namespace {

struct UnitDef {
  std::string_view name;
  std::array<std::string_view, 4> aliases;
  double factor;  // in the base unit of its kind
};

// The kinds of unit, each with its units from small to large; the first unit of each kind is
// what a value in an unknown unit of that kind is shown in.
constexpr UnitDef kMemory[] = {
    {"B", {"b", "byte"}, 1},
    {"kB", {"kb", "kbyte", "kilobyte"}, 1024.0},
    {"MB", {"mb", "mbyte", "megabyte"}, 1024.0 * 1024},
    {"GB", {"gb", "gbyte", "gigabyte"}, 1024.0 * 1024 * 1024},
    {"TB", {"tb", "tbyte", "terabyte"}, 1024.0 * 1024 * 1024 * 1024},
    {"PB", {"pb", "pbyte", "petabyte"}, 1024.0 * 1024 * 1024 * 1024 * 1024},
};
constexpr UnitDef kTime[] = {
    {"ns", {"ns", "nanosecond"}, 1},    {"us", {"μs", "us", "microsecond"}, 1e3},
    {"ms", {"ms", "millisecond"}, 1e6}, {"s", {"s", "sec", "second"}, 1e9},
    {"hrs", {"hour", "hr"}, 3600e9},
};
constexpr UnitDef kGcu[] = {
    {"n*GCU", {"nanogcu"}, 1e-9}, {"u*GCU", {"microgcu"}, 1e-6}, {"m*GCU", {"milligcu"}, 1e-3},
    {"GCU", {"gcu"}, 1},          {"k*GCU", {"kilogcu"}, 1e3},   {"M*GCU", {"megagcu"}, 1e6},
    {"G*GCU", {"gigagcu"}, 1e9},  {"T*GCU", {"teragcu"}, 1e12},  {"P*GCU", {"petagcu"}, 1e15},
};
struct UnitKind {
  std::span<const UnitDef> units;
  const UnitDef* fallback;  // the unit shown when the target unit is not of this kind
};
const UnitKind kKinds[] = {{kMemory, &kMemory[0]}, {kTime, &kTime[3]}, {kGcu, &kGcu[3]}};

// The unit of `kind` that `unit` names: lower case, a plural "s" dropped past two letters.
const UnitDef* FindUnit(const UnitKind& kind, std::string_view unit) {
  std::string u(unit);
  for (char& c : u) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (u.size() > 2 && u.back() == 's') u.pop_back();
  for (const UnitDef& d : kind.units)
    for (std::string_view a : d.aliases)
      if (!a.empty() && a == u) return &d;
  return nullptr;
}

}  // namespace

std::pair<double, std::string> ScaleValue(int64_t value, std::string_view from_unit,
                                          std::string_view to_unit) {
  if (value < 0 && WrapNeg(value) > 0) {
    auto [v, u] = ScaleValue(WrapNeg(value), from_unit, to_unit);
    return {-v, u};
  }
  for (const UnitKind& kind : kKinds) {
    const UnitDef* from = FindUnit(kind, from_unit);
    if (!from) continue;
    double v = static_cast<double>(value) * from->factor;
    if (to_unit == "minimum" || to_unit == "auto") {
      const UnitDef* best = nullptr;
      for (const UnitDef& d : kind.units)
        if ((!best || d.factor >= best->factor) && v / d.factor >= 1.0) best = &d;
      if (best) return {v / best->factor, std::string(best->name)};
      return {v / kind.fallback->factor, std::string(kind.fallback->name)};
    }
    const UnitDef* to = FindUnit(kind, to_unit);
    if (!to) to = kind.fallback;
    return {v / to->factor, std::string(to->name)};
  }
  if (to_unit == "count" || to_unit == "sample" || to_unit == "unit" || to_unit == "minimum" ||
      to_unit == "auto")
    return {static_cast<double>(value), ""};
  return {static_cast<double>(value), std::string(to_unit)};
}

std::string ScaledLabel(int64_t value, std::string_view from_unit, std::string_view to_unit) {
  auto [v, unit] = ScaleValue(value, from_unit, to_unit);
  std::string text = fmt::format("{:.2f}", v);
  if (text.ends_with(".00")) text.resize(text.size() - 3);
  if (text == "0" || text == "-0") return "0";
  return text + unit;
}

std::string Percentage(int64_t value, int64_t total) {
  double ratio = 0;
  if (total != 0) ratio = std::fabs(static_cast<double>(value) / static_cast<double>(total)) * 100;
  if (ratio >= 99.95 && ratio <= 100.05) return "  100%";
  if (ratio >= 1.0) return fmt::format("{:5.2f}%", ratio);
  char text[32];
  std::snprintf(text, sizeof text, "%5.2g%%", ratio);
  return text;
}

std::string TableUnit(int64_t min_value, int64_t total, std::string_view sample_unit) {
  if (min_value == 0) min_value = total;
  std::string min_unit = ScaleValue(min_value, sample_unit, "minimum").second;
  std::string max_unit = ScaleValue(total, sample_unit, "minimum").second;
  std::string unit = min_unit;
  if (min_unit != max_unit && min_value * 100 < total)
    unit = ScaleValue(100 * min_value, sample_unit, "minimum").second;
  return unit.empty() ? std::string(sample_unit) : unit;
}

}  // namespace inquest::profile
