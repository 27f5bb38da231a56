// A progress bar on stderr for work that may take over a second. It stays silent when stderr is
// not a terminal (pipes, CI logs, golden tests) and draws nothing for work that ends within the
// first second, so quick runs print no flicker.
//
//   Progress bar("reading", total_bytes);
//   bar.SetStage("pods/checkout.log");
//   bar.Add(n);            // from any thread
//   bar.Finish();          // or let the destructor clear the line
#ifndef INQUEST_BASE_PROGRESS_H_
#define INQUEST_BASE_PROGRESS_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace inquest {

struct ProgressOptions {
  FILE* out = stderr;
  // Draw even when `out` is not a terminal (tests). NO_COLOR does not matter: the bar has no
  // colour.
  bool force = false;
  // Work shorter than this shows no bar (DESIGN.md: "any work that can take over a second").
  std::chrono::milliseconds delay{1000};
  // How often the bar is redrawn: often enough to look alive, rarely enough to cost nothing.
  std::chrono::milliseconds interval{100};
  int width = 30;  // characters of the bar itself
  // Keep when each stage began, for StageTimes() (whether or not a bar is drawn).
  bool time_stages = false;
};

class Progress {
 public:
  // `total` units of work (bytes, files, steps); 0 when unknown (a spinner and a count instead).
  Progress(std::string label, uint64_t total, ProgressOptions opts = {});
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Thread-safe.
  void Add(uint64_t n) { done_.fetch_add(n, std::memory_order_relaxed); }
  void Set(uint64_t n) { done_.store(n, std::memory_order_relaxed); }
  void SetTotal(uint64_t total) { total_.store(total, std::memory_order_relaxed); }
  // What is being worked on now, shown after the bar. Thread-safe.
  void SetStage(std::string_view stage);
  // The item of the stage being worked on (a file), shown after the stage's name; not a stage of
  // its own for StageTimes(). Thread-safe.
  void SetItem(std::string_view item);
  // Stops drawing and clears the bar's line. Idempotent.
  void Finish();
  // With time_stages: "detecting 0.12 s, reading logs 1.50 s, ..." for the stages set so far,
  // each until the next one began or until Finish(); empty otherwise.
  std::string StageTimes() const;

  bool active() const { return enabled_; }
  // One rendering of the bar for the given state (no trailing newline); exposed for tests.
  static std::string Render(std::string_view label, uint64_t done, uint64_t total,
                            std::string_view stage, int width, int tick);

 private:
  void Run();
  void Draw(int tick);

  std::string label_;
  ProgressOptions opts_;
  bool enabled_ = false;
  std::atomic<uint64_t> done_{0};
  std::atomic<uint64_t> total_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool drawn_ = false;
  std::string stage_;
  std::string item_;
  std::thread thread_;
  using Clock = std::chrono::steady_clock;
  std::vector<std::pair<std::string, Clock::time_point>> stage_starts_;  // with time_stages
  Clock::time_point finished_{};
};

}  // namespace inquest

#endif  // INQUEST_BASE_PROGRESS_H_
