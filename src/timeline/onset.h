// Onset and recovery detection on a windowed error signal.
#ifndef INQUEST_TIMELINE_ONSET_H_
#define INQUEST_TIMELINE_ONSET_H_

#include <string>

#include "timeline/rate.h"

namespace inquest {

struct Onset {
  bool found = false;
  TimePoint time = kNoTime;      // start of the first window that left the baseline
  TimePoint recovery = kNoTime;  // start of the first window back at baseline after it
  double confidence = 0;         // 0..1
  std::string signal;            // "error ratio", "error count", ...
  double baseline = 0;           // the signal's baseline level
  double peak = 0;               // the worst window's level
  std::string explanation;       // how it was decided, with the numbers
};

// The method: a robust z-score against a trailing baseline.
//
// For each window, the baseline is the median of up to kBaselineWindows earlier windows that
// were not themselves elevated, and its spread is the MAD scaled to a standard deviation
// (1.4826 * MAD), floored by the sampling noise of the window (binomial for a ratio, Poisson
// for a count) so that a perfectly flat baseline does not make every blip infinite. The onset
// is the first window whose z-score reaches kOnsetZ *and* whose rise is at least the minimum
// jump (kMinRatioJump or kMinCountJump): both a statistical and a practical threshold.
// Median/MAD rather than mean/stddev because the incident windows must not inflate the spread
// they are judged by; rather than CUSUM because a trailing baseline needs no assumption about
// the pre-incident level holding over a whole day. Excluding elevated windows from later
// baselines lets a slow ramp accumulate against the level before it started.
//
// Signal: the error ratio when windows typically hold kMinEventsForRatio events or more
// (it is immune to traffic swings), else the error count.
//
// Confidence (0..1) = strength x persistence x baseline quality:
//   strength    = min(1, z / (2 * kOnsetZ))               (z of 8 or more: full strength)
//   persistence = 0.25 + 0.75 * min(1, (out - 1) / (kSustainWindows - 1)), where `out` is the
//                 run of windows above the recovery band from the onset on (a one-window
//                 spike keeps a quarter)
//   baseline    = 0.5 + 0.5 * min(1, baseline windows / kBaselineWindows)
// Recovery: the first window after the peak that is back near the baseline (within kRecoveryZ
// spreads, or the minimum jump when that is wider) and stays there for kRecoverySustain windows
// (or until the series ends): a plateau well above normal is still the incident. When the
// signal never gets that close again, the first window back under a quarter of the excursion,
// and the explanation says it never returned to normal.
inline constexpr size_t kBaselineWindows = 15;    // 15 minutes at 1m: the usual alert look-back
inline constexpr size_t kMinBaselineWindows = 5;  // fewer windows say nothing about normal
inline constexpr double kOnsetZ = 4.0;     // about 1 in 30,000 for Gaussian noise: rare by chance
inline constexpr double kRecoveryZ = 2.0;  // back within normal variation
inline constexpr size_t kSustainWindows = 3;        // 3 windows out: an episode, not a blip
inline constexpr size_t kRecoverySustain = 3;       // and 3 back in: recovered, not a lull
inline constexpr double kMinRatioJump = 0.02;       // 2 percentage points: below that nobody cares
inline constexpr double kMinCountJump = 3;          // 3 more errors per window than usual
inline constexpr uint64_t kMinEventsForRatio = 20;  // fewer: a ratio moves by 5% per event

// Finds the first window where the error signal leaves its baseline, as described above.
Onset DetectOnset(const Series& series);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_ONSET_H_
