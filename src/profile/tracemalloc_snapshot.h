// Python tracemalloc snapshots (the files Snapshot.dump writes): every traced memory block with
// its size and the traceback that allocated it, read without running Python or its pickle.
//
//   INQ_ASSIGN_OR_RETURN(TracemallocSnapshot snap, ReadTracemallocSnapshot("snapshot-2.pickle"));
//   for (const TracemallocTrace& t : snap.traces)
//     for (const TracemallocFrame& f : snap.Frames(t)) ... snap.filenames[f.filename] ...
//
// CPython 3.9 and later write (domain, size, traceback, total_nframe) per trace, 3.6 to 3.8
// (domain, size, traceback); both are read.
#ifndef INQUEST_PROFILE_TRACEMALLOC_SNAPSHOT_H_
#define INQUEST_PROFILE_TRACEMALLOC_SNAPSHOT_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace inquest::profile {

struct TracemallocFrame {
  uint32_t filename = 0;  // index into TracemallocSnapshot::filenames
  uint32_t lineno = 0;
  bool operator==(const TracemallocFrame&) const = default;
};

// A distinct traceback: frames[first, first + count) of the snapshot, most recent first (as
// tracemalloc stores them; its Traceback class shows them reversed).
struct TracemallocTraceback {
  uint32_t first = 0;
  uint32_t count = 0;
};

struct TracemallocTrace {
  uint64_t size = 0;
  uint32_t domain = 0;     // 0 for Python's own allocator; others are tracked by C extensions
  uint32_t traceback = 0;  // index into TracemallocSnapshot::tracebacks
  // Frames the allocation had before the traceback limit cut them; the frame count when the
  // snapshot predates Python 3.9 (has_total_nframe false).
  uint32_t total_nframe = 0;
};

struct TracemallocSnapshot {
  std::string name;                              // the file it came from
  std::vector<TracemallocTrace> traces;          // in the snapshot's order
  std::vector<TracemallocTraceback> tracebacks;  // distinct by content
  std::vector<TracemallocFrame> frames;
  std::vector<std::string> filenames;  // distinct
  int64_t traceback_limit = 0;         // tracemalloc.start(nframe)
  bool has_total_nframe = false;       // written by Python 3.9 or later
  int pickle_protocol = 0;

  std::span<const TracemallocFrame> Frames(const TracemallocTrace& t) const {
    const TracemallocTraceback& tb = tracebacks[t.traceback];
    return std::span<const TracemallocFrame>(frames).subspan(tb.first, tb.count);
  }
  uint64_t TotalSize() const;
};

// Reads a snapshot file, gzip or zstd compressed or not (within the ExpansionLimits). Errors
// are BadInput naming the file and byte offset (a truncated file, an opcode or class outside
// what Snapshot.dump writes, traces of the wrong shape) or IoError.
Result<TracemallocSnapshot> ReadTracemallocSnapshot(const std::string& path);
// The same from bytes in memory (decompressed); `name` names them in errors.
Result<TracemallocSnapshot> ReadTracemallocSnapshotFromBytes(std::string_view bytes,
                                                             std::string name);

// True when `head` (the first bytes, at least the first 64 for a sure answer) starts like a
// pickled tracemalloc snapshot: a PROTO 2-5 opcode and the class tracemalloc.Snapshot named
// before any trace.
bool LooksLikeTracemallocSnapshot(std::string_view head);

}  // namespace inquest::profile

#endif  // INQUEST_PROFILE_TRACEMALLOC_SNAPSHOT_H_
