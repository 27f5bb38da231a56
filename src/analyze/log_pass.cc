#include "analyze/log_pass.h"

#include <algorithm>

#include "timeline/detectors/change_events.h"
#include "timeline/detectors/detector.h"
#include "timeline/event_filter.h"

namespace inquest {

namespace {

// Attribute keys read as a request id when no key took the request-id role (RequestIdOf, through
// FirstField: the key itself or a nested key that ends with it).
constexpr std::string_view kRequestIdKeys[] = {"request_id", "req_id", "requestId", "x_request_id"};

}  // namespace

std::string_view RequestIdOf(const Event& e, std::string_view promoted_key) {
  std::string_view id = e.request_id;
  if (id.empty()) id = FirstField(e, {"request_id", "req_id", "requestId", "x_request_id"});
  if (id.empty() && !promoted_key.empty()) id = EventField(e, promoted_key);
  if (id == "-") return {};
  return id;
}

std::unique_ptr<KeyIndex> LogPassAttributes(const LogPassRules& rules) {
  std::unique_ptr<KeyIndex> keys = RateAttributes(rules.rate);
  if (!keys) return nullptr;
  for (std::string_view k : kRequestIdKeys) keys->Add(k);
  if (!rules.promoted_id_key.empty()) keys->Add(rules.promoted_id_key);
  return keys;
}

bool IsLogPassKey(std::string_view key) {
  if (IsErrorTextKey(key)) return true;
  size_t dot = key.rfind('.');
  if (dot == std::string_view::npos) return false;
  std::string_view last = key.substr(dot + 1);
  return std::find(std::begin(kRequestIdKeys), std::end(kRequestIdKeys), last) !=
         std::end(kRequestIdKeys);
}

void LogPassSink::Add(const Event& in) {
  const Event* e = &in;
  Event moved;  // a copy only for the records of a host whose clock is moved
  if (rules_->shifts) {
    std::span<const std::string> names;
    if (rules_->file_names) names = *rules_->file_names;
    if (int64_t d = rules_->shifts->Of(in, names); d != 0) {
      moved = in;
      moved.time -= d;
      e = &moved;
    }
  }
  if (sampled_ < kServiceSampleRecords) {
    ++sampled_;
    if (!e->service.empty() && services.size() < kMaxNamedServices &&
        std::find(services.begin(), services.end(), e->service) == services.end())
      services.emplace_back(e->service);
  }
  if (e->time == kNoTime) {
    windows.Add(*e);  // counted as untimed
    return;
  }
  if ((rules_->since != kNoTime && e->time < rules_->since) ||
      (rules_->until != kNoTime && e->time >= rules_->until)) {
    ++outside_range;
    return;
  }
  windows.Add(*e);
  int64_t w = WindowIndex(e->time, rules_->rate.width_ns);
  if (w != last_window_ || !last_span_) {
    auto it = index.find(w);
    if (it == index.end()) {
      if (index.size() >= kMaxIndexWindows) {
        index_complete = false;
        last_span_ = nullptr;
      } else {
        it = index.emplace(w, WindowSpan{}).first;
      }
    }
    if (it != index.end()) {
      last_span_ = &it->second;
      last_window_ = w;
    }
  }
  if (last_span_) {
    WindowSpan& s = *last_span_;
    if (e->offset < s.begin) {
      s.begin = e->offset;
      s.line = e->line;
    }
    s.last = std::max(s.last, e->offset);
    ++s.records;
  }
  std::string_view id = RequestIdOf(*e, rules_->promoted_id_key);
  if (!id.empty()) {
    ++with_request_id;
    pending_.push_back({HashRequestId(id), e->time, e->file, e->level});
    if (pending_.size() >= kRequestBatch) rules_->requests->Fold(&pending_);
  }
  if (ChangeKindOfEvent(*e)) {
    if (change_places.size() < kMaxChangePlaces) {
      change_places.push_back({e->offset, e->line});
    } else {
      ++change_places_dropped;
    }
  }
}

void LogPassSink::Flush() {
  if (!pending_.empty()) rules_->requests->Fold(&pending_);
}

Status LogPassSink::Merge(LogPassSink&& later, uint64_t line_base) {
  windows.Merge(std::move(later.windows));
  later.Flush();
  for (auto& [w, span] : later.index) {
    span.line += line_base;
    auto it = index.find(w);
    if (it == index.end()) {
      if (index.size() >= kMaxIndexWindows) {
        index_complete = false;
        continue;
      }
      index.emplace(w, span);
      continue;
    }
    WindowSpan& s = it->second;
    if (span.begin < s.begin) {
      s.begin = span.begin;
      s.line = span.line;
    }
    s.last = std::max(s.last, span.last);
    s.records += span.records;
  }
  last_span_ = nullptr;
  index_complete &= later.index_complete;
  for (RecordPlace p : later.change_places) {
    if (change_places.size() >= kMaxChangePlaces) {
      ++change_places_dropped;
      continue;
    }
    p.line += line_base;
    change_places.push_back(p);
  }
  change_places_dropped += later.change_places_dropped;
  outside_range += later.outside_range;
  with_request_id += later.with_request_id;
  for (std::string& s : later.services)
    if (services.size() < kMaxNamedServices &&
        std::find(services.begin(), services.end(), s) == services.end())
      services.push_back(std::move(s));
  return Status::Ok();
}

}  // namespace inquest
