// One read of a dump for several visitors at once: each callback goes to every visitor, and a
// primitive array's bytes only to those that asked for them. The analyses that need values the
// graph does not keep (field names on a path, string contents, collection counts) share one
// pass this way, so a compressed dump is decompressed once more, not three times.
#ifndef INQUEST_HEAP_FAN_OUT_H_
#define INQUEST_HEAP_FAN_OUT_H_

#include <vector>

#include "heap/hprof_reader.h"

namespace inquest::heap {

class FanOutVisitor : public HprofVisitor {
 public:
  explicit FanOutVisitor(std::vector<HprofVisitor*> to) : to_(std::move(to)), wants_(to_.size()) {}

  void OnHeader(const HprofHeader& h) override {
    for (HprofVisitor* v : to_) v->OnHeader(h);
  }
  void OnClassDump(const HprofClassDump& c, uint64_t at) override {
    for (HprofVisitor* v : to_) v->OnClassDump(c, at);
  }
  void OnInstance(uint64_t id, uint64_t cls, std::string_view fields, uint64_t at) override {
    for (HprofVisitor* v : to_) v->OnInstance(id, cls, fields, at);
  }
  void OnObjectArray(uint64_t id, uint64_t cls, uint32_t length, uint64_t at) override {
    for (HprofVisitor* v : to_) v->OnObjectArray(id, cls, length, at);
  }
  void OnArrayElements(std::string_view raw) override {
    for (HprofVisitor* v : to_) v->OnArrayElements(raw);
  }
  void OnPrimitiveArray(uint64_t id, uint8_t type, uint32_t length, uint64_t at) override {
    for (HprofVisitor* v : to_) v->OnPrimitiveArray(id, type, length, at);
  }
  bool WantsPrimitiveData(uint8_t type, uint32_t length) override {
    bool any = false;
    for (size_t k = 0; k < to_.size(); ++k)
      any |= wants_[k] = to_[k]->WantsPrimitiveData(type, length);
    return any;
  }
  void OnPrimitiveData(std::string_view bytes) override {
    for (size_t k = 0; k < to_.size(); ++k)
      if (wants_[k]) to_[k]->OnPrimitiveData(bytes);
  }

 private:
  std::vector<HprofVisitor*> to_;
  std::vector<bool> wants_;
};

}  // namespace inquest::heap

#endif  // INQUEST_HEAP_FAN_OUT_H_
