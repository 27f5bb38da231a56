// One streaming pass over an HPROF file, record by record, handing each to a visitor. Nothing is
// allocated from a count or length the file declares before the bytes behind it are there;
// values longer than the reader's buffer (a large array) reach the visitor in pieces.
//
//   struct Counter : HprofVisitor { void OnInstance(...) override { ++n; } uint64_t n = 0; };
//   Counter c;
//   INQ_ASSIGN_OR_RETURN(auto stream, ByteStream::Open(path));
//   Status s = ReadHprof(std::move(stream), &c);   // c holds what was read, even on an error
#ifndef INQUEST_HEAP_HPROF_READER_H_
#define INQUEST_HEAP_HPROF_READER_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/decompress.h"
#include "base/status.h"
#include "base/time.h"
#include "heap/hprof_format.h"

namespace inquest::heap {

struct HprofHeader {
  std::string version;   // "JAVA PROFILE 1.0.2"
  int id_size = 0;       // 4 or 8
  uint64_t time_ms = 0;  // when the dump was written, ms since the epoch
  // That time on inquest's clock; kNoTime when it is 0 or past the years a TimePoint holds
  // (a damaged header).
  TimePoint time() const;
};

// A class dump: the class object's own references, its statics and its instance layout.
struct HprofClassDump {
  struct Field {
    uint64_t name_id = 0;
    uint8_t type = 0;
  };
  struct Static {
    uint64_t name_id = 0;
    uint8_t type = 0;
    uint64_t value = 0;  // the id for an object; the raw bits otherwise
  };
  uint64_t id = 0;
  uint64_t super_id = 0;
  uint64_t loader_id = 0;
  uint64_t signers_id = 0;
  uint64_t domain_id = 0;
  uint32_t instance_size = 0;  // as the dump declares it (field bytes in the dump)
  std::vector<uint64_t> constant_pool_refs;
  std::vector<Static> statics;
  std::vector<Field> fields;  // this class's own instance fields, in dump order
};

struct HprofFrame {
  uint64_t id = 0;
  uint64_t method_name_id = 0;
  uint64_t signature_id = 0;
  uint64_t source_file_id = 0;
  uint32_t class_serial = 0;
  int32_t line = 0;  // > 0 a line; -1 unknown, -2 compiled, -3 native
};

// What a pass wants; every method has an empty default. Offsets are those of the sub-record's
// tag byte. A visitor may keep the views only during the call.
class HprofVisitor {
 public:
  virtual ~HprofVisitor() = default;
  virtual void OnHeader(const HprofHeader&) {}
  virtual void OnString(uint64_t /*id*/, std::string_view /*utf8*/) {}
  virtual void OnLoadClass(uint32_t /*serial*/, uint64_t /*class_id*/, uint64_t /*name_id*/) {}
  virtual void OnFrame(const HprofFrame&) {}
  virtual void OnTrace(uint32_t /*serial*/, uint32_t /*thread_serial*/,
                       std::span<const uint64_t> /*frame_ids*/) {}
  virtual void OnRoot(RootKind /*kind*/, uint64_t /*id*/, uint32_t /*thread_serial*/,
                      int32_t /*frame*/) {}
  virtual void OnThreadObject(uint64_t /*id*/, uint32_t /*thread_serial*/,
                              uint32_t /*trace_serial*/) {}
  virtual void OnClassDump(const HprofClassDump&, uint64_t /*offset*/) {}
  virtual void OnInstance(uint64_t /*id*/, uint64_t /*class_id*/, std::string_view /*fields*/,
                          uint64_t /*offset*/) {}
  // An object array's header; its elements follow as OnArrayElements pieces (raw ids).
  virtual void OnObjectArray(uint64_t /*id*/, uint64_t /*class_id*/, uint32_t /*length*/,
                             uint64_t /*offset*/) {}
  virtual void OnArrayElements(std::string_view /*raw_ids*/) {}
  // A primitive array's header; when WantsPrimitiveData, its bytes follow as OnPrimitiveData.
  virtual void OnPrimitiveArray(uint64_t /*id*/, uint8_t /*type*/, uint32_t /*length*/,
                                uint64_t /*offset*/) {}
  virtual bool WantsPrimitiveData(uint8_t /*type*/, uint32_t /*length*/) { return false; }
  virtual void OnPrimitiveData(std::string_view /*bytes*/) {}
  // Records the reader skips (allocation sites, CPU samples...) are counted, not shown.
};

// What one pass saw of the file's shape, for the summary and for judging a partial read.
struct HprofCounts {
  uint64_t records = 0;
  uint64_t heap_dumps = 0;  // HEAP_DUMP records, or runs of segments up to HEAP_DUMP_END
  uint64_t segments = 0;
  uint64_t sub_records = 0;
  uint64_t bytes = 0;  // bytes read, up to the end or the error
  // The read stopped because the file expanded past the ExpansionLimits: an error for the
  // caller, never a partial result (a bomb's first gigabytes are not a dump).
  bool over_limit = false;
  uint64_t unknown_records = 0;  // top-level records of tags the format does not define, skipped
  uint8_t first_unknown_tag = 0;
  uint64_t first_unknown_offset = 0;
};

// Reads the file's records in order into `visitor`. Stops at the first malformed record with a
// BadInput naming the byte offset; what came before has been delivered. `data_size`, when not
// 0, is the size of the data (a plain file's size): a record declaring more bytes than remain
// is refused before it is read. `counts` may be null.
Status ReadHprof(std::unique_ptr<ByteStream> stream, HprofVisitor* visitor,
                 HprofCounts* counts = nullptr, uint64_t data_size = 0);

// True when `head` starts like an HPROF file ("JAVA PROFILE 1.0.x\0").
bool LooksLikeHprof(std::string_view head);

}  // namespace inquest::heap

#endif  // INQUEST_HEAP_HPROF_READER_H_
