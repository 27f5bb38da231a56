#include "timeline/onset.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

namespace inquest {
namespace {

// 1.4826 * MAD estimates the standard deviation of normally distributed data.
constexpr double kMadToSigma = 1.4826;
// A window with fewer events than this share of kMinEventsForRatio has no usable ratio.
constexpr double kMinShareForRatioWindow = 0.25;

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + mid, v.end());
  double m = v[mid];
  if (v.size() % 2 == 0) {
    double lower = *std::max_element(v.begin(), v.begin() + mid);
    m = (m + lower) / 2;
  }
  return m;
}

struct Baseline {
  double level = 0;
  double sigma = 0;
  size_t windows = 0;
};

std::string Pct(double r) { return fmt::format("{:.1f}%", r * 100); }

}  // namespace

Onset DetectOnset(const Series& series) {
  Onset o;
  const std::vector<Window>& w = series.windows;
  uint64_t errors = 0;
  std::vector<double> totals;
  for (const Window& x : w) {
    errors += x.errors;
    if (x.total > 0) totals.push_back(static_cast<double>(x.total));
  }
  const bool ratio = !totals.empty() && Median(totals) >= kMinEventsForRatio;
  o.signal = ratio ? "error ratio" : "error count";
  if (errors == 0) {
    o.explanation = "no errors in any window";
    return o;
  }
  // The signal per window; nullopt where there is no usable value.
  const uint64_t min_total =
      ratio ? static_cast<uint64_t>(kMinEventsForRatio * kMinShareForRatioWindow) : 0;
  std::vector<std::optional<double>> x(w.size());
  for (size_t i = 0; i < w.size(); ++i) {
    if (ratio) {
      if (w[i].total >= std::max<uint64_t>(min_total, 1)) x[i] = w[i].error_ratio();
    } else {
      x[i] = static_cast<double>(w[i].errors);
    }
  }
  auto fmt_level = [&](double v) {
    return ratio ? Pct(v) : fmt::format("{:.1f} errors/window", v);
  };
  const double min_jump = ratio ? kMinRatioJump : kMinCountJump;
  auto noise_floor = [&](double level, size_t i) {
    if (ratio) {
      double p = std::clamp(level, 0.01, 0.99);
      return std::sqrt(p * (1 - p) / static_cast<double>(std::max<uint64_t>(w[i].total, 1)));
    }
    return std::sqrt(std::max(level, 1.0));
  };

  std::vector<size_t> normal;  // windows usable as baseline (not elevated), in order
  std::optional<size_t> onset;
  Baseline base;
  double onset_z = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    if (!x[i]) continue;
    if (normal.size() >= kMinBaselineWindows) {
      std::vector<double> b;
      for (size_t k = normal.size() - std::min(normal.size(), kBaselineWindows); k < normal.size();
           ++k)
        b.push_back(*x[normal[k]]);
      double med = Median(b);
      std::vector<double> dev;
      for (double v : b) dev.push_back(std::fabs(v - med));
      double sigma = std::max(kMadToSigma * Median(dev), noise_floor(med, i));
      double z = (*x[i] - med) / sigma;
      if (z >= kOnsetZ && *x[i] - med >= min_jump) {
        onset = i;
        base = {med, sigma, b.size()};
        onset_z = z;
        break;
      }
      if (z >= kRecoveryZ) continue;  // elevated: keep it out of later baselines
    }
    normal.push_back(i);
  }
  if (!onset) {
    size_t usable = std::count_if(x.begin(), x.end(), [](auto& v) { return v.has_value(); });
    if (usable < kMinBaselineWindows + 1) {
      o.explanation =
          fmt::format("only {} usable windows: at least {} are needed to learn a baseline first",
                      usable, kMinBaselineWindows + 1);
    } else if (normal.size() < kMinBaselineWindows) {
      o.explanation = "the signal is elevated from the start: no baseline to leave";
    } else {
      o.explanation = fmt::format("the {} never left its baseline by {} robust deviations and {}",
                                  o.signal, kOnsetZ, fmt_level(min_jump));
    }
    return o;
  }

  const size_t on = *onset;
  // Peak and the end of the excursion.
  size_t peak = on;
  for (size_t i = on; i < w.size(); ++i)
    if (x[i] && *x[i] > *x[peak]) peak = i;
  const double excursion = *x[peak] - base.level;
  const double band = base.level + std::max(kRecoveryZ * base.sigma, 0.25 * excursion);
  size_t out_run = 0;
  for (size_t i = on; i < w.size(); ++i) {
    if (!x[i]) continue;
    if (*x[i] <= band) break;
    ++out_run;
  }
  // Recovery: back under a band and staying there. The near band (baseline plus kRecoveryZ
  // spreads, or the minimum jump) first: a plateau well above normal is still the incident,
  // however far below its peak. Only when the signal never gets that close again does the
  // wide band (a quarter of the excursion) say when the worst was over.
  auto back_under = [&](double limit) -> std::optional<size_t> {
    for (size_t i = peak + 1; i < w.size(); ++i) {
      if (!x[i] || *x[i] > limit) continue;
      size_t in = 0, seen = 0;
      bool broke = false;
      for (size_t j = i; j < w.size() && seen < kRecoverySustain; ++j) {
        if (!x[j]) continue;
        ++seen;
        if (*x[j] > limit) {
          broke = true;
          break;
        }
        ++in;
      }
      if (!broke && in == seen && seen > 0) return i;
    }
    return std::nullopt;
  };
  const double near_band = base.level + std::max(kRecoveryZ * base.sigma, min_jump);
  std::optional<size_t> recovery = back_under(std::min(near_band, band));
  bool wide = false;
  if (!recovery && near_band < band) {
    recovery = back_under(band);
    wide = recovery.has_value();
  }

  double strength = std::min(1.0, onset_z / (2 * kOnsetZ));
  double persistence =
      0.25 + 0.75 * std::min(1.0, static_cast<double>(out_run > 0 ? out_run - 1 : 0) /
                                      static_cast<double>(kSustainWindows - 1));
  double quality = 0.5 + 0.5 * std::min(1.0, static_cast<double>(base.windows) /
                                                 static_cast<double>(kBaselineWindows));
  o.found = true;
  o.time = w[on].start;
  o.recovery = recovery ? w[*recovery].start : kNoTime;
  o.confidence = std::clamp(strength * persistence * quality, 0.0, 1.0);
  o.baseline = base.level;
  o.peak = *x[peak];
  o.explanation = fmt::format(
      "{} left its baseline of {} (median of {} windows, spread {}) at {} with {} (z={:.1f}); "
      "peak {} at {}; {} window{} above {}",
      o.signal, fmt_level(base.level), base.windows, fmt_level(base.sigma), FormatTime(o.time, 0),
      fmt_level(*x[on]), onset_z, fmt_level(o.peak), FormatTime(w[peak].start, 0), out_run,
      out_run == 1 ? "" : "s", fmt_level(band));
  if (recovery && wide) {
    o.explanation += fmt::format("; under it from {}, though never back within {} of the baseline",
                                 FormatTime(o.recovery, 0), fmt_level(near_band - base.level));
  } else if (recovery) {
    o.explanation += fmt::format("; back within {} of the baseline from {}",
                                 fmt_level(near_band - base.level), FormatTime(o.recovery, 0));
  } else {
    o.explanation += "; not back at baseline by the end of the data";
  }
  return o;
}

}  // namespace inquest
