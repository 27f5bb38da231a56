#include "timeline/detectors/stream_detector.h"

namespace inquest {

std::vector<Finding> RunDetector(StreamDetector& d, const std::vector<const Event*>& records) {
  for (const Event* e : records) d.Observe(*e);
  return d.Finish();
}

}  // namespace inquest
