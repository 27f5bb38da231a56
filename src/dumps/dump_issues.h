// Problems found while reading one dump (a cut-off line, garbage between records, a header
// without a stack): every one is counted and the first kMaxSamples are kept with their line, so
// a dump full of junk costs bounded memory and the analysis still goes on.
#ifndef INQUEST_DUMPS_DUMP_ISSUES_H_
#define INQUEST_DUMPS_DUMP_ISSUES_H_

#include <cstdint>
#include <string>
#include <vector>

namespace inquest {

struct DumpIssue {
  uint64_t line = 0;  // 1-based line of the dump
  std::string message;
};

class DumpIssues {
 public:
  // Enough to show what kind of damage a file has without flooding the terminal.
  static constexpr size_t kMaxSamples = 20;

  void Add(uint64_t line, std::string message) {
    ++count_;
    if (samples_.size() < kMaxSamples) samples_.push_back({line, std::move(message)});
  }
  uint64_t count() const { return count_; }
  const std::vector<DumpIssue>& samples() const { return samples_; }

  // "path:line: message" for each sample, plus "N more" when some were not kept.
  std::vector<std::string> Render(const std::string& path) const {
    std::vector<std::string> out;
    for (const DumpIssue& i : samples_)
      out.push_back(path + ":" + std::to_string(i.line) + ": " + i.message);
    if (count_ > samples_.size())
      out.push_back(path + ": " + std::to_string(count_ - samples_.size()) +
                    " more problems of the same kinds");
    return out;
  }

 private:
  uint64_t count_ = 0;
  std::vector<DumpIssue> samples_;
};

}  // namespace inquest

#endif  // INQUEST_DUMPS_DUMP_ISSUES_H_
