#include "postmortem/sev_scale.h"

#include <fmt/format.h>

#include "base/strings.h"

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
       "All-hands, IC, exec notify, customer comms, post-mortem mandatory"},
      {"SEV-2", "Major: significant degradation, one region/feature down",
       "EU checkout failing; p99 10x", "On-call + secondary, IC, post-mortem mandatory"},
      {"SEV-3", "Minor: limited impact, workaround exists", "One non-critical endpoint slow",
       "On-call handles, post-mortem optional"},
      {"SEV-4", "Negligible: cosmetic / internal only", "Dashboard label wrong", "Backlog ticket"},
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
    scale.push_back(std::move(level));
  }
  return scale;
}

int FindSevLevel(const SevScale& scale, std::string_view name) {
  std::string want = Canonical(name);
  for (size_t i = 0; i < scale.size(); ++i)
    if (Canonical(scale[i].name) == want) return int(i);
  return -1;
}

}  // namespace inquest
