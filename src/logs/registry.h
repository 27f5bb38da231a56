// The table of log formats and content-based detection.
//
//   FormatRegistry reg;                       // built-in formats
//   ApplyLogsConfig(config, &reg, &fields);   // inquest.toml [formats.*] go first (user_format.h)
//   Detection d = reg.Detect(file.data(), ctx);
//   if (d.format) ... d.score ...
#ifndef INQUEST_LOGS_REGISTRY_H_
#define INQUEST_LOGS_REGISTRY_H_

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "logs/format.h"

namespace inquest {

// Below this score a file is not taken for a log of that format.
inline constexpr double kMinDetectScore = 0.5;

struct Detection {
  const LogFormat* format = nullptr;  // null: no format reached kMinDetectScore
  double score = 0;
  // Every format that scored above zero, best first (for `inquest detect --verbose`).
  std::vector<std::pair<const LogFormat*, double>> ranked;
  size_t lines_probed = 0;
  // What layout inference made of the file when no registered format fitted well: the layout
  // taken, or why none could be inferred (best candidate and its score). Empty when not tried.
  std::string inference;
};

struct InferredStore;  // registry.cc

class FormatRegistry {
 public:
  FormatRegistry();  // all built-in formats
  FormatRegistry(FormatRegistry&&) noexcept;
  FormatRegistry& operator=(FormatRegistry&&) noexcept;
  ~FormatRegistry();

  // Adds a format ahead of the built-ins (user formats win ties).
  void Add(std::unique_ptr<LogFormat> format);
  // Takes a format out of detection (a test reading with inference alone); false if unknown.
  bool Remove(std::string_view name);
  // Whether Detect infers a layout when no registered format fits (on by default).
  void set_infer_layouts(bool on) { infer_layouts_ = on; }
  const LogFormat* Find(std::string_view name) const;
  std::vector<const LogFormat*> formats() const;
  // The names of all formats, in registration order (for --format and did-you-mean).
  std::vector<std::string_view> names() const;

  // Scores the first kProbeLines non-empty lines of `data` against every format. Ties go to the
  // more specific format (the order of registration: user formats, then structured formats,
  // then the generic timestamp-prefix format last). When none reaches kMinDetectScore, only
  // the generic fallback does, or the best reads the lines poorly (below 0.75), a layout is
  // inferred from the lines (logs/layout.h) and taken when it reads them clearly better (0.2
  // more), or as well as the fallback while finding more (a level, a host...).
  // Inferred formats are owned by the registry (one per distinct layout, thread-safe), so
  // Detection::format stays valid while the registry lives.
  Detection Detect(std::string_view data, const ParseContext& ctx) const;

 private:
  std::vector<std::unique_ptr<LogFormat>> formats_;
  size_t user_formats_ = 0;  // formats_[0, user_formats_) were added with Add()
  bool infer_layouts_ = true;
  std::unique_ptr<InferredStore> inferred_;
};

// The first up-to-n non-empty lines of data (views into data).
std::vector<std::string_view> HeadLines(std::string_view data, size_t n);

}  // namespace inquest

#endif  // INQUEST_LOGS_REGISTRY_H_
