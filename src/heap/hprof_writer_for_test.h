// Writes small HPROF files for tests and fuzz seeds: strings, classes, instances, arrays and
// roots, with 4- or 8-byte ids. Test support only; not linked into inquest.
#ifndef INQUEST_HEAP_HPROF_WRITER_FOR_TEST_H_
#define INQUEST_HEAP_HPROF_WRITER_FOR_TEST_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "heap/hprof_format.h"

namespace inquest::heap {

class HprofWriterForTest {
 public:
  explicit HprofWriterForTest(int id_size = 8, std::string version = "JAVA PROFILE 1.0.2")
      : id_(id_size) {
    out_ = version;
    out_.push_back('\0');
    U4(out_, id_size);
    U8(out_, 1700000000000);
  }
  // A class with instance fields (name, type) and object statics (name, value id).
  void Class(uint64_t id, const std::string& name, uint64_t super,
             const std::vector<std::pair<std::string, uint8_t>>& fields,
             const std::vector<std::pair<std::string, uint64_t>>& statics = {}) {
    uint64_t name_id = Str(name);
    std::string body;
    U4(body, ++serial_);
    Id(body, id);
    U4(body, 0);
    Id(body, name_id);
    Record(kTagLoadClass, body);
    std::string& h = heap_;
    h.push_back(char(kSubClassDump));
    Id(h, id);
    U4(h, 0);
    Id(h, super);
    for (int k = 0; k < 5; ++k) Id(h, 0);  // loader, signers, domain, reserved x2
    uint32_t size = 0;
    for (auto& f : fields) size += f.second == kTypeObject ? id_ : HprofTypeSize(f.second, id_);
    U4(h, size);
    U2(h, 0);
    U2(h, uint16_t(statics.size()));
    for (auto& [n, v] : statics) {
      Id(h, Str(n));
      h.push_back(char(kTypeObject));
      Id(h, v);
    }
    U2(h, uint16_t(fields.size()));
    for (auto& [n, t] : fields) {
      Id(h, Str(n));
      h.push_back(char(t));
    }
  }
  // An instance whose fields are all references (ids, in layout order).
  void Instance(uint64_t id, uint64_t class_id, const std::vector<uint64_t>& refs) {
    heap_.push_back(char(kSubInstanceDump));
    Id(heap_, id);
    U4(heap_, 0);
    Id(heap_, class_id);
    U4(heap_, uint32_t(refs.size() * id_));
    for (uint64_t r : refs) Id(heap_, r);
  }
  void ObjectArray(uint64_t id, uint64_t class_id, const std::vector<uint64_t>& elements) {
    heap_.push_back(char(kSubObjectArrayDump));
    Id(heap_, id);
    U4(heap_, 0);
    U4(heap_, uint32_t(elements.size()));
    Id(heap_, class_id);
    for (uint64_t e : elements) Id(heap_, e);
  }
  void PrimitiveArray(uint64_t id, uint8_t type, uint32_t length) {
    heap_.push_back(char(kSubPrimitiveArrayDump));
    Id(heap_, id);
    U4(heap_, 0);
    U4(heap_, length);
    heap_.push_back(char(type));
    heap_.append(size_t(length) * HprofTypeSize(type, id_), '\0');
  }
  void StickyClassRoot(uint64_t id) {
    heap_.push_back(char(kSubRootStickyClass));
    Id(heap_, id);
  }
  void GlobalRoot(uint64_t id) {
    heap_.push_back(char(kSubRootJniGlobal));
    Id(heap_, id);
    Id(heap_, 0);
  }
  // Raw bytes into the heap dump segment (for malformed input).
  void RawHeap(const std::string& bytes) { heap_ += bytes; }
  // The file: strings and classes, then one HEAP_DUMP_SEGMENT and HEAP_DUMP_END.
  std::string Finish() {
    std::string out = out_;
    Record(kTagHeapDumpSegment, heap_, &out);
    Record(kTagHeapDumpEnd, "", &out);
    return out;
  }

  static void U2(std::string& s, uint16_t v) {
    s.push_back(char(v >> 8));
    s.push_back(char(v));
  }
  static void U4(std::string& s, uint32_t v) {
    for (int k = 3; k >= 0; --k) s.push_back(char(v >> (8 * k)));
  }
  static void U8(std::string& s, uint64_t v) {
    for (int k = 7; k >= 0; --k) s.push_back(char(v >> (8 * k)));
  }
  void Id(std::string& s, uint64_t v) const { id_ == 8 ? U8(s, v) : U4(s, uint32_t(v)); }

 private:
  uint64_t Str(const std::string& text) {
    uint64_t id = 0x7000000 + ++strings_;
    std::string body;
    Id(body, id);
    body += text;
    Record(kTagUtf8, body);
    return id;
  }
  void Record(uint8_t tag, const std::string& body, std::string* to = nullptr) {
    std::string& s = to ? *to : out_;
    s.push_back(char(tag));
    U4(s, 0);
    U4(s, uint32_t(body.size()));
    s += body;
  }
  int id_;
  std::string out_;
  std::string heap_;
  uint32_t serial_ = 0;
  uint64_t strings_ = 0;
};

}  // namespace inquest::heap

#endif  // INQUEST_HEAP_HPROF_WRITER_FOR_TEST_H_
