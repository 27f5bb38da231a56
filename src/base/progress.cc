#include "base/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>

#include "base/strings.h"

namespace inquest {

// Longest stage text shown; longer ones keep their tail (file names end in what matters).
constexpr size_t kMaxStageChars = 40;

Progress::Progress(std::string label, uint64_t total, ProgressOptions opts)
    : label_(std::move(label)), opts_(opts), total_(total) {
  enabled_ = opts_.out != nullptr && (opts_.force || isatty(fileno(opts_.out)) == 1);
  if (enabled_) thread_ = std::thread([this] { Run(); });
}

Progress::~Progress() { Finish(); }

void Progress::SetStage(std::string_view stage) {
  std::lock_guard<std::mutex> lock(mu_);
  stage_.assign(stage);
  item_.clear();
  if (opts_.time_stages) stage_starts_.emplace_back(stage, Clock::now());
}

void Progress::SetItem(std::string_view item) {
  std::lock_guard<std::mutex> lock(mu_);
  item_.assign(item);
}

std::string Progress::StageTimes() const {
  std::lock_guard<std::mutex> lock(const_cast<std::mutex&>(mu_));
  std::string out;
  for (size_t i = 0; i < stage_starts_.size(); ++i) {
    Clock::time_point end = i + 1 < stage_starts_.size() ? stage_starts_[i + 1].second
                            : stop_                      ? finished_
                                                         : Clock::now();
    std::chrono::duration<double> took = end - stage_starts_[i].second;
    out +=
        fmt::format("{}{} {:.2f} s", out.empty() ? "" : ", ", stage_starts_[i].first, took.count());
  }
  return out;
}

void Progress::Finish() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_) return;
    stop_ = true;
    finished_ = Clock::now();
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (drawn_) {
    fputs("\r\033[K", opts_.out);
    fflush(opts_.out);
  }
}

void Progress::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  if (cv_.wait_for(lock, opts_.delay, [this] { return stop_; })) return;
  for (int tick = 0;; ++tick) {
    Draw(tick);
    if (cv_.wait_for(lock, opts_.interval, [this] { return stop_; })) return;
  }
}

void Progress::Draw(int tick) {  // mu_ held
  std::string line =
      Render(label_, done_.load(std::memory_order_relaxed), total_.load(std::memory_order_relaxed),
             item_.empty() ? stage_ : stage_ + ": " + item_, opts_.width, tick);
  fprintf(opts_.out, "\r%s\033[K", line.c_str());
  fflush(opts_.out);
  drawn_ = true;
}

std::string Progress::Render(std::string_view label, uint64_t done, uint64_t total,
                             std::string_view stage, int width, int tick) {
  std::string out(label);
  out += ' ';
  if (total > 0) {
    done = std::min(done, total);
    int filled = static_cast<int>(static_cast<double>(done) / total * width);
    out += '[';
    out.append(filled, '#');
    out.append(width - filled, ' ');
    out += "] ";
    out += std::to_string(done * 100 / total);
    out += '%';
  } else {
    static constexpr char kSpin[] = "|/-\\";
    out += kSpin[tick & 3];
    out += ' ';
    out += std::to_string(done);
  }
  if (!stage.empty()) {
    std::string shown = SanitizeForTerminal(stage);
    if (shown.size() > kMaxStageChars) {
      size_t cut = shown.size() - kMaxStageChars;
      while (cut < shown.size() && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) ++cut;
      shown = "..." + shown.substr(cut);
    }
    out += "  ";
    out += shown;
  }
  return out;
}

}  // namespace inquest
