#include "postmortem/sev_scale.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "base/strings.h"
#include "base/time.h"

namespace inquest {
namespace {

std::string Canonical(std::string_view name) {
  std::string out;
  for (char c : name)
    if (c != ' ' && c != '-' && c != '_') out += char(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

SevScale DefaultSevScale() {
  // The primer's table ("SEV Levels and Why They Matter").
  return {
      {"SEV-1", "Critical: major outage, data loss, security breach",
       "Checkout down globally; customer data exposed",
       "All-hands, IC, exec notify, customer comms, post-mortem mandatory", 0.5, 5},
      {"SEV-2", "Major: significant degradation, one region/feature down",
       "EU checkout failing; p99 10x", "On-call + secondary, IC, post-mortem mandatory", 0.05, 5},
      {"SEV-3", "Minor: limited impact, workaround exists", "One non-critical endpoint slow",
       "On-call handles, post-mortem optional", 0.005, 0},
      {"SEV-4", "Negligible: cosmetic / internal only", "Dashboard label wrong", "Backlog ticket",
       0, 0},
  };
}

Result<SevScale> SevScaleFromToml(const toml::table& table) {
  const toml::node* node = table.get("sev");
  if (!node) return DefaultSevScale();
  const toml::array* levels = node->as_array();
  if (!levels || levels->empty())
    return Status::InvalidArgument("[[sev]] must be an array of tables with a name each");
  SevScale scale;
  for (size_t i = 0; i < levels->size(); ++i) {
    const toml::table* t = levels->get(i)->as_table();
    if (!t) return Status::InvalidArgument(fmt::format("[[sev]] entry {} is not a table", i + 1));
    SevLevel level;
    level.name = t->get("name") ? t->get("name")->value_or(std::string()) : std::string();
    if (level.name.empty())
      return Status::InvalidArgument(fmt::format("[[sev]] entry {} has no name", i + 1));
    if (FindSevLevel(scale, level.name) >= 0)
      return Status::InvalidArgument(fmt::format("[[sev]] names {} twice", level.name));
    for (auto [key, field] :
         {std::pair{"meaning", &level.meaning}, std::pair{"example", &level.example},
          std::pair{"response", &level.response}})
      if (const toml::node* v = t->get(key)) *field = v->value_or(std::string());
    for (auto [key, field] :
         {std::pair{"failed_ratio", &level.failed_ratio}, std::pair{"minutes", &level.minutes}}) {
      const toml::node* v = t->get(key);
      if (!v) continue;
      std::optional<double> d = v->value<double>();
      if (!d || *d < 0 || (field == &level.failed_ratio && *d > 1))
        return Status::InvalidArgument(
            fmt::format("[[sev]] {}: {} must be a number{}", level.name, key,
                        field == &level.failed_ratio ? " from 0 to 1" : " of at least 0"));
      *field = *d;
    }
    scale.push_back(std::move(level));
  }
  return scale;
}

SevSuggestion SuggestSev(const SevScale& scale, double failed_ratio, int64_t duration_ns,
                         bool data_question) {
  SevSuggestion s;
  double minutes = double(duration_ns) / 60e9;
  std::string measured =
      fmt::format("{:.1f}% of requests failed for {}", failed_ratio * 100,
                  duration_ns > 0 ? FormatDuration(duration_ns) : std::string("an unknown time"));
  bool any_threshold = false;
  for (const SevLevel& l : scale) {
    if (l.failed_ratio < 0 && l.minutes < 0) continue;
    any_threshold = true;
    if (failed_ratio < std::max(0.0, l.failed_ratio)) continue;
    if (minutes < std::max(0.0, l.minutes)) continue;
    s.level = l.name;
    s.reason = fmt::format("{}; {} is at least {:g}% for at least {:g} min on this scale", measured,
                           l.name, std::max(0.0, l.failed_ratio) * 100, std::max(0.0, l.minutes));
    break;
  }
  if (!any_threshold)
    s.reason = measured + "; the SEV scale in use states no thresholds (failed_ratio, minutes)";
  else if (s.level.empty())
    s.reason = measured + "; no level of the scale fits it";
  if (data_question && !scale.empty())
    s.reason += fmt::format("; if data was lost or corrupted, {} (\"{}\")", scale.front().name,
                            scale.front().meaning);
  return s;
}

int FindSevLevel(const SevScale& scale, std::string_view name) {
  std::string want = Canonical(name);
  for (size_t i = 0; i < scale.size(); ++i)
    if (Canonical(scale[i].name) == want) return int(i);
  return -1;
}

}  // namespace inquest
