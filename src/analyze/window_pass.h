// `analyze`'s second pass: the records the conclusions are drawn from, read back from one file
// through the first pass's index — the records of the incident's windows (with a margin before
// and after) and, wherever they are, the change-like records the first pass placed. Nothing
// else of the file is read again.
//
// Plain files are read with pread at the windows' byte spans; compressed files are streamed
// from the start again, keeping only those spans. The records land in a LogFile that owns their
// bytes, so every later step (detectors, the example request, excerpts) works on Events as
// before.
#ifndef INQUEST_ANALYZE_WINDOW_PASS_H_
#define INQUEST_ANALYZE_WINDOW_PASS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyze/log_pass.h"
#include "base/status.h"
#include "logs/log_file.h"
#include "timeline/file_scan.h"

namespace inquest {

// A record running past this many bytes after the window's last record start is cut there.
inline constexpr uint64_t kMaxRecordTailBytes = 1 << 20;
// How much of a placed change record is read back: its first line and continuation lines.
inline constexpr uint64_t kMaxPlacedRecordBytes = 64 << 10;

// Bytes of one file the windows [from, to) span, by its index (0 when it has none there).
uint64_t WindowBytes(const std::map<int64_t, WindowSpan>& index, int64_t width_ns, TimePoint from,
                     TimePoint to);

// One run of windows to read: [from, to) (kNoTime: unbounded), at most `max_bytes` of its span
// from the start (the records nearest `from`).
struct TimeSpan {
  TimePoint from = kNoTime, to = kNoTime;
  uint64_t max_bytes = UINT64_MAX;
};

struct WindowRequest {
  std::vector<TimeSpan> spans;      // the windows to read (records outside all are dropped)
  int64_t width_ns = 0;             // of the index's windows
  std::vector<RecordPlace> places;  // single records to read wherever they are
  // The index is incomplete: each span reads the file from its start, up to its max_bytes.
  bool whole_file = false;
};

// Bytes of the file the LogFile holds, from a line start: `line` is the number of its first line.
struct HeldLines {
  uint64_t line = 1;
  std::string_view bytes;  // into the LogFile's input
};

// Reads the requested records of `path` (file number `file_index`, read as `fc` says).
// Records of the spans come in file order, then the placed records not among them. With
// `held`, the windows' bytes the LogFile keeps are listed there (what excerpts can be read from
// without reading the file again).
Result<std::unique_ptr<LogFile>> ReadWindow(const std::string& path, uint32_t file_index,
                                            const FileContext& fc, const FieldNames* fields,
                                            const std::map<int64_t, WindowSpan>& index,
                                            const WindowRequest& req,
                                            std::vector<HeldLines>* held = nullptr);

}  // namespace inquest

#endif  // INQUEST_ANALYZE_WINDOW_PASS_H_
