// Test helper: builds events with owned text for the detector tests.
#ifndef INQUEST_TIMELINE_DETECTORS_DETECTOR_TEST_UTIL_H_
#define INQUEST_TIMELINE_DETECTORS_DETECTOR_TEST_UTIL_H_

#include <algorithm>
#include <deque>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "timeline/detectors/detector.h"

namespace inquest::testing_util {

// 2026-05-29T14:00:00Z plus seconds.
inline TimePoint T(double seconds) {
  return 1780063200LL * kNanosPerSecond + static_cast<int64_t>(seconds * 1e9);
}

class Events {
 public:
  // Adds an event of `service` in file `file` at `t` with a message and attributes.
  Events& Add(TimePoint t, std::string_view service, Level level, std::string_view message,
              std::initializer_list<std::pair<std::string_view, std::string_view>> attrs = {},
              uint32_t file = 0) {
    Event e;
    e.time = t;
    e.file = file;
    e.line = events_.size() + 1;
    e.level = level;
    e.service = Keep(service);
    e.message = Keep(message);
    std::string raw = std::string(message);
    for (const auto& [k, v] : attrs) {
      Attr a{Keep(k), Keep(v)};
      if (a.key == "request_id") e.request_id = a.value;
      e.attrs.push_back(a);
      raw += " " + std::string(k) + "=" + std::string(v);
    }
    e.raw = Keep(raw);
    events_.push_back(std::move(e));
    return *this;
  }

  // The input with events in time order and files named "f0.log", "f1.log", ...
  DetectorInput Input() const {
    DetectorInput in;
    for (const Event& e : events_) in.events.push_back(&e);
    std::stable_sort(in.events.begin(), in.events.end(),
                     [](const Event* a, const Event* b) { return a->time < b->time; });
    for (int i = 0; i < 4; ++i) in.files.push_back("f" + std::to_string(i) + ".log");
    return in;
  }

 private:
  std::string_view Keep(std::string_view s) { return text_.emplace_back(s); }
  std::deque<std::string> text_;
  std::deque<Event> events_;
};

}  // namespace inquest::testing_util

#endif  // INQUEST_TIMELINE_DETECTORS_DETECTOR_TEST_UTIL_H_
