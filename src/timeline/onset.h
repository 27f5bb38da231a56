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

// Finds the first window where the error signal leaves its baseline; see onset.cc for the
// method and its parameters.
Onset DetectOnset(const Series& series);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_ONSET_H_
