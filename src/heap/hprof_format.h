// The HPROF binary heap dump format (JAVA PROFILE 1.0.1, 1.0.2 and Android's 1.0.3): record and
// sub-record tags, the basic types and their sizes, and the kinds of GC root. Data only.
//
// A file is a NUL-terminated version string, the size of identifiers (4 or 8), a u8 time in
// milliseconds, then records: u1 tag, u4 microseconds since the header time, u4 length, body.
// Heap dumps (HEAP_DUMP, or HEAP_DUMP_SEGMENTs up to HEAP_DUMP_END) hold sub-records: GC roots,
// class dumps, instances and arrays. Every number is big-endian.
#ifndef INQUEST_HEAP_HPROF_FORMAT_H_
#define INQUEST_HEAP_HPROF_FORMAT_H_

#include <cstdint>
#include <string_view>

namespace inquest::heap {

// Top-level record tags.
enum HprofTag : uint8_t {
  kTagUtf8 = 0x01,
  kTagLoadClass = 0x02,
  kTagUnloadClass = 0x03,
  kTagFrame = 0x04,
  kTagTrace = 0x05,
  kTagAllocSites = 0x06,
  kTagHeapSummary = 0x07,
  kTagStartThread = 0x0A,
  kTagEndThread = 0x0B,
  kTagHeapDump = 0x0C,
  kTagCpuSamples = 0x0D,
  kTagControlSettings = 0x0E,
  kTagHeapDumpSegment = 0x1C,
  kTagHeapDumpEnd = 0x2C,
};

// Heap dump sub-record tags (Android's are 0x89.. and 0xC3, 0xFE).
enum HprofSubTag : uint8_t {
  kSubRootUnknown = 0xFF,
  kSubRootJniGlobal = 0x01,
  kSubRootJniLocal = 0x02,
  kSubRootJavaFrame = 0x03,
  kSubRootNativeStack = 0x04,
  kSubRootStickyClass = 0x05,
  kSubRootThreadBlock = 0x06,
  kSubRootMonitorUsed = 0x07,
  kSubRootThreadObject = 0x08,
  kSubClassDump = 0x20,
  kSubInstanceDump = 0x21,
  kSubObjectArrayDump = 0x22,
  kSubPrimitiveArrayDump = 0x23,
  kSubAndroidHeapDumpInfo = 0xFE,
  kSubAndroidRootInternedString = 0x89,
  kSubAndroidRootFinalizing = 0x8A,
  kSubAndroidRootDebugger = 0x8B,
  kSubAndroidRootReferenceCleanup = 0x8C,
  kSubAndroidRootVmInternal = 0x8D,
  kSubAndroidRootJniMonitor = 0x8E,
  kSubAndroidUnreachable = 0x90,
  kSubAndroidPrimitiveArrayNoData = 0xC3,
};

// Basic types of fields, statics, constant pool entries and primitive arrays.
enum HprofType : uint8_t {
  kTypeObject = 2,
  kTypeBoolean = 4,
  kTypeChar = 5,
  kTypeFloat = 6,
  kTypeDouble = 7,
  kTypeByte = 8,
  kTypeShort = 9,
  kTypeInt = 10,
  kTypeLong = 11,
};

// Bytes a value of `type` takes in the dump (an object reference takes the id size); 0 for a
// type that does not exist.
inline int HprofTypeSize(uint8_t type, int id_size) {
  switch (type) {
    case kTypeObject:
      return id_size;
    case kTypeBoolean:
    case kTypeByte:
      return 1;
    case kTypeChar:
    case kTypeShort:
      return 2;
    case kTypeFloat:
    case kTypeInt:
      return 4;
    case kTypeDouble:
    case kTypeLong:
      return 8;
    default:
      return 0;
  }
}

// The big-endian unsigned number of `size` bytes at `at` (an id, an int field).
inline uint64_t ReadBigEndian(std::string_view bytes, size_t at, int size) {
  uint64_t v = 0;
  for (int k = 0; k < size; ++k) v = v << 8 | static_cast<uint8_t>(bytes[at + k]);
  return v;
}

// The Java name of a primitive array of `type` ("int[]"), or "" for a type that is none.
inline std::string_view PrimitiveArrayName(uint8_t type) {
  switch (type) {
    case kTypeBoolean:
      return "boolean[]";
    case kTypeChar:
      return "char[]";
    case kTypeFloat:
      return "float[]";
    case kTypeDouble:
      return "double[]";
    case kTypeByte:
      return "byte[]";
    case kTypeShort:
      return "short[]";
    case kTypeInt:
      return "int[]";
    case kTypeLong:
      return "long[]";
    default:
      return "";
  }
}

// Why an object is a GC root.
enum class RootKind : uint8_t {
  kUnknown,
  kJniGlobal,
  kJniLocal,
  kJavaFrame,
  kNativeStack,
  kStickyClass,
  kThreadBlock,
  kMonitorUsed,
  kThreadObject,
  kInternedString,
  kFinalizing,
  kDebugger,
  kReferenceCleanup,
  kVmInternal,
  kJniMonitor,
};
inline constexpr int kRootKinds = 15;

// How MAT and the JVM name each kind ("system class", "Java local", "thread").
inline std::string_view RootKindName(RootKind kind) {
  switch (kind) {
    case RootKind::kUnknown:
      return "unknown";
    case RootKind::kJniGlobal:
      return "JNI global";
    case RootKind::kJniLocal:
      return "JNI local";
    case RootKind::kJavaFrame:
      return "Java local";
    case RootKind::kNativeStack:
      return "native stack";
    case RootKind::kStickyClass:
      return "system class";
    case RootKind::kThreadBlock:
      return "thread block";
    case RootKind::kMonitorUsed:
      return "busy monitor";
    case RootKind::kThreadObject:
      return "thread";
    case RootKind::kInternedString:
      return "interned string";
    case RootKind::kFinalizing:
      return "finalizing";
    case RootKind::kDebugger:
      return "debugger";
    case RootKind::kReferenceCleanup:
      return "reference cleanup";
    case RootKind::kVmInternal:
      return "VM internal";
    case RootKind::kJniMonitor:
      return "JNI monitor";
  }
  return "unknown";
}

}  // namespace inquest::heap

#endif  // INQUEST_HEAP_HPROF_FORMAT_H_
