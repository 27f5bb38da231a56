#include "heap/hprof_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "heap/hprof_input.h"

namespace inquest::heap {
namespace {

// The longest version string accepted before its NUL.
constexpr size_t kMaxVersionBytes = 32;
// Strings longer than this are cut (class, field and method names are far shorter).
constexpr size_t kMaxStringBytes = size_t{1} << 20;
// Field bytes of one instance: 65,535 fields of 8 bytes per class, a few classes deep.
constexpr uint64_t kMaxInstanceBytes = HprofInput::kBufferBytes;
// Arrays reach the visitor in pieces of this many bytes (a multiple of both id sizes).
constexpr uint64_t kArrayPieceBytes = uint64_t{1} << 20;

class Reader {
 public:
  Reader(std::unique_ptr<ByteStream> stream, HprofVisitor* v, HprofCounts* counts,
         uint64_t data_size)
      : in_(std::move(stream)), v_(v), counts_(counts), data_size_(data_size) {}

  Status Run() {
    Status s = ReadAll();
    counts_->bytes = in_.offset();
    counts_->over_limit = in_.over_limit();
    return s;
  }

 private:
  Status ReadAll() {
    INQ_RETURN_IF_ERROR(ReadHeader());
    bool in_segments = false;
    for (;;) {
      INQ_ASSIGN_OR_RETURN(bool end, in_.AtEnd());
      if (end) break;
      uint64_t at = in_.offset();
      INQ_RETURN_IF_ERROR(in_.Fill(9, "a record header"));
      uint8_t tag = in_.U1();
      in_.U4();  // microseconds since the header's time
      uint64_t length = in_.U4();
      ++counts_->records;
      bool heap = tag == kTagHeapDump || tag == kTagHeapDumpSegment;
      if (data_size_ != 0 && at + 9 + length > data_size_ && heap) {
        // A cut heap dump: read what is there, then say where it was cut.
        cut_ = in_.Error(fmt::format("the dump is cut: its last heap dump segment declares {} "
                                     "bytes but only {} remain in the file",
                                     length, data_size_ - at - 9),
                         at);
        length = data_size_ - at - 9;
      } else if (data_size_ != 0 && at + 9 + length > data_size_) {
        return in_.Error(fmt::format("record 0x{:02x} declares {} bytes but only {} remain in the "
                                     "file (a truncated dump?)",
                                     tag, length, data_size_ - at - 9),
                         at);
      }
      switch (tag) {
        case kTagUtf8:
          INQ_RETURN_IF_ERROR(ReadString(length, at));
          break;
        case kTagLoadClass:
          INQ_RETURN_IF_ERROR(ReadLoadClass(length, at));
          break;
        case kTagFrame:
          INQ_RETURN_IF_ERROR(ReadFrame(length, at));
          break;
        case kTagTrace:
          INQ_RETURN_IF_ERROR(ReadTrace(length, at));
          break;
        case kTagHeapDump:
          ++counts_->heap_dumps;
          ++counts_->segments;
          INQ_RETURN_IF_ERROR(ReadHeap(length));
          if (!cut_.ok()) return cut_;
          break;
        case kTagHeapDumpSegment:
          if (!in_segments) ++counts_->heap_dumps;
          in_segments = true;
          ++counts_->segments;
          INQ_RETURN_IF_ERROR(ReadHeap(length));
          if (!cut_.ok()) return cut_;
          break;
        case kTagHeapDumpEnd:
          in_segments = false;
          INQ_RETURN_IF_ERROR(in_.Skip(length, "a heap dump end record"));
          break;
        case kTagUnloadClass:
        case kTagAllocSites:
        case kTagHeapSummary:
        case kTagStartThread:
        case kTagEndThread:
        case kTagCpuSamples:
        case kTagControlSettings:
          INQ_RETURN_IF_ERROR(in_.Skip(length, "a record"));
          break;
        default:
          if (counts_->unknown_records++ == 0) {
            counts_->first_unknown_tag = tag;
            counts_->first_unknown_offset = at;
          }
          INQ_RETURN_IF_ERROR(in_.Skip(
              length, fmt::format("a record of unknown tag 0x{:02x} at byte {}", tag, at)));
      }
    }
    return Status::Ok();
  }

  Status ReadHeader() {
    if (!in_.Fill(1, "the header").ok())
      return in_.Error("not an HPROF heap dump: the file is empty", 0);
    std::string version;
    for (;;) {
      if (!in_.Fill(1, "the header").ok())
        return in_.Error("not an HPROF heap dump (no \"JAVA PROFILE 1.0.x\" header)", 0);
      char c = static_cast<char>(in_.U1());
      if (c == '\0') break;
      version.push_back(c);
      if (version.size() > kMaxVersionBytes) break;
    }
    if (version.rfind("JAVA PROFILE 1.0.", 0) != 0 || version.size() > kMaxVersionBytes)
      return in_.Error("not an HPROF heap dump (no \"JAVA PROFILE 1.0.x\" header)", 0);
    INQ_RETURN_IF_ERROR(in_.Fill(12, "the header"));
    HprofHeader h;
    h.version = std::move(version);
    h.id_size = static_cast<int>(in_.U4());
    h.time_ms = in_.U8();
    if (h.id_size != 4 && h.id_size != 8)
      return in_.Error(fmt::format("identifier size {} (only 4 and 8 exist)", h.id_size),
                       h.version.size() + 1);
    in_.set_id_size(h.id_size);
    id_ = h.id_size;
    v_->OnHeader(h);
    return Status::Ok();
  }

  Status ReadString(uint64_t length, uint64_t at) {
    if (length < static_cast<uint64_t>(id_))
      return in_.Error(fmt::format("a string record of {} bytes holds no id", length), at);
    INQ_RETURN_IF_ERROR(in_.Fill(id_, "a string record"));
    uint64_t id = in_.Id();
    uint64_t n = length - id_;
    uint64_t keep = std::min<uint64_t>(n, kMaxStringBytes);
    INQ_RETURN_IF_ERROR(in_.Fill(keep, "a string record"));
    v_->OnString(id, in_.Take(keep));
    return in_.Skip(n - keep, "a string record");
  }

  Status ExpectLength(uint64_t length, uint64_t needed, std::string_view what, uint64_t at) {
    if (length < needed)
      return in_.Error(fmt::format("{} record of {} bytes (it needs {})", what, length, needed),
                       at);
    return in_.Fill(needed, what);
  }

  Status ReadLoadClass(uint64_t length, uint64_t at) {
    INQ_RETURN_IF_ERROR(ExpectLength(length, 8 + 2 * id_, "a load-class", at));
    uint32_t serial = in_.U4();
    uint64_t class_id = in_.Id();
    in_.U4();  // stack trace serial
    uint64_t name_id = in_.Id();
    v_->OnLoadClass(serial, class_id, name_id);
    return in_.Skip(length - 8 - 2 * id_, "a load-class record");
  }

  Status ReadFrame(uint64_t length, uint64_t at) {
    INQ_RETURN_IF_ERROR(ExpectLength(length, 8 + 4 * id_, "a stack frame", at));
    HprofFrame f;
    f.id = in_.Id();
    f.method_name_id = in_.Id();
    f.signature_id = in_.Id();
    f.source_file_id = in_.Id();
    f.class_serial = in_.U4();
    f.line = static_cast<int32_t>(in_.U4());
    v_->OnFrame(f);
    return in_.Skip(length - 8 - 4 * id_, "a stack frame record");
  }

  Status ReadTrace(uint64_t length, uint64_t at) {
    INQ_RETURN_IF_ERROR(ExpectLength(length, 12, "a stack trace", at));
    uint32_t serial = in_.U4();
    uint32_t thread = in_.U4();
    uint64_t n = in_.U4();
    if (n * id_ > length - 12)
      return in_.Error(fmt::format("a stack trace of {} frames in a record of {} bytes", n, length),
                       at);
    std::vector<uint64_t> frames;
    for (uint64_t i = 0; i < n; ++i) {
      INQ_RETURN_IF_ERROR(in_.Fill(id_, "a stack trace record"));
      frames.push_back(in_.Id());
    }
    v_->OnTrace(serial, thread, frames);
    return in_.Skip(length - 12 - n * id_, "a stack trace record");
  }

  // The sub-records of one HEAP_DUMP or HEAP_DUMP_SEGMENT of `length` bytes.
  Status ReadHeap(uint64_t length) {
    end_ = in_.offset() + length;
    while (in_.offset() < end_) {
      uint64_t at = in_.offset();
      INQ_RETURN_IF_ERROR(in_.Fill(1, "a heap dump sub-record"));
      uint8_t tag = in_.U1();
      ++counts_->sub_records;
      Status s = ReadSubRecord(tag, at);
      // In a segment the file cuts short, running out of bytes is the cut, said as such.
      if (!s.ok()) return cut_.ok() ? s : cut_;
      if (in_.offset() > end_) {
        return in_.Error(fmt::format("sub-record 0x{:02x} at byte {} runs {} bytes past the end of "
                                     "its heap dump segment",
                                     tag, at, in_.offset() - end_),
                         at);
      }
    }
    return Status::Ok();
  }

  Status Root(RootKind kind, int extra_u4s) {
    INQ_RETURN_IF_ERROR(in_.Fill(id_ + 4 * extra_u4s, "a GC root"));
    uint64_t id = in_.Id();
    uint32_t thread = extra_u4s >= 1 ? in_.U4() : 0;
    int32_t frame = extra_u4s >= 2 ? static_cast<int32_t>(in_.U4()) : -1;
    v_->OnRoot(kind, id, thread, frame);
    return Status::Ok();
  }

  Status ReadSubRecord(uint8_t tag, uint64_t at) {
    switch (tag) {
      case kSubRootUnknown:
        return Root(RootKind::kUnknown, 0);
      case kSubRootJniGlobal: {
        INQ_RETURN_IF_ERROR(in_.Fill(2 * id_, "a JNI global root"));
        uint64_t id = in_.Id();
        in_.Id();  // the JNI global reference's own id
        v_->OnRoot(RootKind::kJniGlobal, id, 0, -1);
        return Status::Ok();
      }
      case kSubRootJniLocal:
        return Root(RootKind::kJniLocal, 2);
      case kSubRootJavaFrame:
        return Root(RootKind::kJavaFrame, 2);
      case kSubRootNativeStack:
        return Root(RootKind::kNativeStack, 1);
      case kSubRootStickyClass:
        return Root(RootKind::kStickyClass, 0);
      case kSubRootThreadBlock:
        return Root(RootKind::kThreadBlock, 1);
      case kSubRootMonitorUsed:
        return Root(RootKind::kMonitorUsed, 0);
      case kSubRootThreadObject: {
        INQ_RETURN_IF_ERROR(in_.Fill(id_ + 8, "a thread root"));
        uint64_t id = in_.Id();
        uint32_t serial = in_.U4();
        uint32_t trace = in_.U4();
        v_->OnThreadObject(id, serial, trace);
        v_->OnRoot(RootKind::kThreadObject, id, serial, -1);
        return Status::Ok();
      }
      case kSubClassDump:
        return ReadClassDump(at);
      case kSubInstanceDump:
        return ReadInstance(at);
      case kSubObjectArrayDump:
        return ReadObjectArray(at);
      case kSubPrimitiveArrayDump:
        return ReadPrimitiveArray(at, true);
      case kSubAndroidPrimitiveArrayNoData:
        return ReadPrimitiveArray(at, false);
      case kSubAndroidHeapDumpInfo:
        INQ_RETURN_IF_ERROR(in_.Fill(4 + id_, "an Android heap info record"));
        in_.Take(4 + id_);
        return Status::Ok();
      case kSubAndroidRootInternedString:
        return Root(RootKind::kInternedString, 0);
      case kSubAndroidRootFinalizing:
        return Root(RootKind::kFinalizing, 0);
      case kSubAndroidRootDebugger:
        return Root(RootKind::kDebugger, 0);
      case kSubAndroidRootReferenceCleanup:
        return Root(RootKind::kReferenceCleanup, 0);
      case kSubAndroidRootVmInternal:
        return Root(RootKind::kVmInternal, 0);
      case kSubAndroidRootJniMonitor:
        return Root(RootKind::kJniMonitor, 2);
      case kSubAndroidUnreachable:
        INQ_RETURN_IF_ERROR(in_.Fill(id_, "an unreachable-object record"));
        in_.Id();
        return Status::Ok();
      default:
        return in_.Error(fmt::format("unknown heap dump sub-record tag 0x{:02x} (a corrupt dump, "
                                     "or a format extension inquest does not read)",
                                     tag),
                         at);
    }
  }

  // A value of `type`: an id for objects, the raw bits otherwise.
  Result<uint64_t> Value(uint8_t type, uint64_t at) {
    int size = HprofTypeSize(type, id_);
    if (size == 0)
      return in_.Error(fmt::format("a class dump holds a value of unknown type {}", type), at);
    INQ_RETURN_IF_ERROR(in_.Fill(size, "a class dump"));
    switch (size) {
      case 1:
        return uint64_t{in_.U1()};
      case 2:
        return uint64_t{in_.U2()};
      case 4:
        return uint64_t{in_.U4()};
      default:
        return in_.U8();
    }
  }

  Status ReadClassDump(uint64_t at) {
    INQ_RETURN_IF_ERROR(in_.Fill(7 * id_ + 8 + 2, "a class dump"));
    HprofClassDump& c = class_;
    c.id = in_.Id();
    in_.U4();  // stack trace serial
    c.super_id = in_.Id();
    c.loader_id = in_.Id();
    c.signers_id = in_.Id();
    c.domain_id = in_.Id();
    in_.Id();
    in_.Id();  // two reserved ids
    c.instance_size = in_.U4();
    c.constant_pool_refs.clear();
    c.statics.clear();
    c.fields.clear();
    uint16_t pool = in_.U2();
    for (uint16_t i = 0; i < pool; ++i) {
      INQ_RETURN_IF_ERROR(in_.Fill(3, "a class dump's constant pool"));
      in_.U2();
      uint8_t type = in_.U1();
      INQ_ASSIGN_OR_RETURN(uint64_t value, Value(type, at));
      if (type == kTypeObject && value != 0) c.constant_pool_refs.push_back(value);
    }
    INQ_RETURN_IF_ERROR(in_.Fill(2, "a class dump"));
    uint16_t statics = in_.U2();
    for (uint16_t i = 0; i < statics; ++i) {
      INQ_RETURN_IF_ERROR(in_.Fill(id_ + 1, "a class dump's static fields"));
      HprofClassDump::Static s;
      s.name_id = in_.Id();
      s.type = in_.U1();
      INQ_ASSIGN_OR_RETURN(s.value, Value(s.type, at));
      c.statics.push_back(s);
    }
    INQ_RETURN_IF_ERROR(in_.Fill(2, "a class dump"));
    uint16_t fields = in_.U2();
    for (uint16_t i = 0; i < fields; ++i) {
      INQ_RETURN_IF_ERROR(in_.Fill(id_ + 1, "a class dump's instance fields"));
      HprofClassDump::Field f;
      f.name_id = in_.Id();
      f.type = in_.U1();
      if (HprofTypeSize(f.type, id_) == 0)
        return in_.Error(fmt::format("a class dump's field of unknown type {}", f.type), at);
      c.fields.push_back(f);
    }
    v_->OnClassDump(c, at);
    return Status::Ok();
  }

  Status Fits(uint64_t bytes, std::string_view what, uint64_t at) {
    if (bytes > end_ - std::min(end_, in_.offset()))
      return in_.Error(fmt::format("{} at byte {} declares {} bytes, past the end of its heap dump "
                                   "segment ({} bytes left)",
                                   what, at, bytes, end_ - std::min(end_, in_.offset())),
                       at);
    return Status::Ok();
  }

  Status ReadInstance(uint64_t at) {
    INQ_RETURN_IF_ERROR(in_.Fill(2 * id_ + 8, "an instance dump"));
    uint64_t id = in_.Id();
    in_.U4();
    uint64_t class_id = in_.Id();
    uint64_t n = in_.U4();
    INQ_RETURN_IF_ERROR(Fits(n, "an instance", at));
    if (n > kMaxInstanceBytes)
      return in_.Error(fmt::format("an instance declares {} bytes of fields (no Java class has "
                                   "more than {})",
                                   n, kMaxInstanceBytes),
                       at);
    INQ_RETURN_IF_ERROR(in_.Fill(n, "an instance dump"));
    v_->OnInstance(id, class_id, in_.Take(n), at);
    return Status::Ok();
  }

  Status ReadObjectArray(uint64_t at) {
    INQ_RETURN_IF_ERROR(in_.Fill(2 * id_ + 8, "an object array dump"));
    uint64_t id = in_.Id();
    in_.U4();
    uint32_t length = in_.U4();
    uint64_t class_id = in_.Id();
    uint64_t bytes = uint64_t{length} * id_;
    INQ_RETURN_IF_ERROR(Fits(bytes, "an object array", at));
    v_->OnObjectArray(id, class_id, length, at);
    while (bytes > 0) {
      uint64_t piece = std::min(bytes, kArrayPieceBytes);
      INQ_RETURN_IF_ERROR(in_.Fill(piece, "an object array's elements"));
      v_->OnArrayElements(in_.Take(piece));
      bytes -= piece;
    }
    return Status::Ok();
  }

  Status ReadPrimitiveArray(uint64_t at, bool with_data) {
    INQ_RETURN_IF_ERROR(in_.Fill(id_ + 9, "a primitive array dump"));
    uint64_t id = in_.Id();
    in_.U4();
    uint32_t length = in_.U4();
    uint8_t type = in_.U1();
    int size = HprofTypeSize(type, id_);
    if (size == 0 || type == kTypeObject)
      return in_.Error(fmt::format("a primitive array of unknown element type {}", type), at);
    v_->OnPrimitiveArray(id, type, length, at);
    if (!with_data) return Status::Ok();
    uint64_t bytes = uint64_t{length} * size;
    INQ_RETURN_IF_ERROR(Fits(bytes, "a primitive array", at));
    if (!v_->WantsPrimitiveData(type, length)) return in_.Skip(bytes, "a primitive array");
    while (bytes > 0) {
      uint64_t piece = std::min(bytes, kArrayPieceBytes);
      INQ_RETURN_IF_ERROR(in_.Fill(piece, "a primitive array's elements"));
      v_->OnPrimitiveData(in_.Take(piece));
      bytes -= piece;
    }
    return Status::Ok();
  }

  HprofInput in_;
  HprofVisitor* v_;
  HprofCounts* counts_;
  uint64_t data_size_;
  int id_ = 4;
  uint64_t end_ = 0;  // end of the current heap dump segment
  Status cut_;        // set when the last segment runs past the end of the file
  HprofClassDump class_;
};

}  // namespace

TimePoint HprofHeader::time() const {
  // Within int64 nanoseconds (years 1970 to 2262).
  if (time_ms == 0 || time_ms > uint64_t(INT64_MAX / kNanosPerMilli)) return kNoTime;
  return TimePoint(time_ms) * kNanosPerMilli;
}

bool LooksLikeHprof(std::string_view head) {
  constexpr std::string_view kMagic = "JAVA PROFILE 1.0.";
  return head.size() > kMagic.size() + 1 && head.substr(0, kMagic.size()) == kMagic &&
         head.substr(kMagic.size() + 1, 1) == std::string_view("\0", 1);
}

Status ReadHprof(std::unique_ptr<ByteStream> stream, HprofVisitor* visitor, HprofCounts* counts,
                 uint64_t data_size) {
  HprofCounts local;
  Reader r(std::move(stream), visitor, counts ? counts : &local, data_size);
  return r.Run();
}

}  // namespace inquest::heap
