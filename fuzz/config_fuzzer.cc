// inquest.toml as a stranger might write it: parsed, then every section a command reads
// applied (the SEV scale, the lint rules, [fields] and user log formats from [formats.*]), and
// each user format fed the log text that follows a "\n---\n" separator in the input. Never
// crashes; a config that applies leaves formats that read any bytes.
#include <cstdint>
#include <string>
#include <string_view>

#include "base/config.h"
#include "fuzz/fuzz_line.h"
#include "logs/registry.h"
#include "logs/user_format.h"
#include "postmortem/lint.h"
#include "postmortem/sev_scale.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  size_t cut = bytes.find("\n---\n");
  std::string_view toml = bytes.substr(0, cut);
  std::string_view logs =
      cut == std::string_view::npos ? std::string_view() : bytes.substr(cut + 5);
  inquest::Result<inquest::Config> config = inquest::ParseConfig(toml, "fuzz.toml");
  if (!config.ok()) return 0;
  (void)inquest::SevScaleFromToml(config->table);
  (void)inquest::LintConfigFromToml(config->table);
  inquest::FormatRegistry registry;
  inquest::FieldNames fields;
  size_t builtin = registry.formats().size();
  if (!inquest::ApplyLogsConfig(*config, &registry, &fields).ok()) return 0;
  std::vector<const inquest::LogFormat*> formats = registry.formats();
  // User formats go ahead of the built-ins.
  for (size_t i = 0; i + builtin < formats.size(); ++i)
    inquest::FuzzFormat(*formats[i], reinterpret_cast<const uint8_t*>(logs.data()), logs.size());
  return 0;
}
