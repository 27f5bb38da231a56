// The bytes of one evidence file, whatever its compression, as one view, plus a line-aligned
// chunk reader for streaming through compressed files with bounded memory.
//
//   INQ_ASSIGN_OR_RETURN(InputFile in, InputFile::Open(path));
//   if (!in.warning().ok()) Report(in.warning());   // e.g. a truncated gzip: data() is partial
//   for (std::string_view line : Lines(in.data())) ...
#ifndef INQUEST_BASE_INPUT_FILE_H_
#define INQUEST_BASE_INPUT_FILE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/decompress.h"
#include "base/mapped_file.h"
#include "base/status.h"

namespace inquest {

// Largest decompressed size InputFile::Open holds in memory; streaming callers use ChunkReader.
inline constexpr uint64_t kMaxDecompressedInMemory = uint64_t{8} << 30;

class InputFile {
 public:
  // Plain files are mapped; gzip and zstd files are decompressed into memory (up to
  // `max_decompressed` bytes, beyond which the file is cut and a warning says so). A corrupt or
  // truncated compressed file keeps what was recovered and sets warning().
  static Result<InputFile> Open(const std::string& path,
                                uint64_t max_decompressed = kMaxDecompressedInMemory);
  // Bytes already in memory (tests, fuzzers). `data` is copied.
  static InputFile FromString(std::string data, std::string name);

  // Valid while this InputFile lives (it may be moved: the view stays valid).
  std::string_view data() const;
  const std::string& path() const { return path_; }
  int64_t mtime_ns() const { return mtime_ns_; }
  Compression compression() const { return compression_; }
  const Status& warning() const { return warning_; }

 private:
  std::string path_;
  std::optional<MappedFile> map_;
  std::unique_ptr<std::string> buffer_;
  int64_t mtime_ns_ = 0;
  Compression compression_ = Compression::kNone;
  Status warning_;
};

// Pulls a stream in chunks that end on a line boundary (the last chunk may end without '\n').
class ChunkReader {
 public:
  explicit ChunkReader(std::unique_ptr<ByteStream> stream, size_t chunk_bytes = 8 << 20);
  // Sets *chunk to the next run of whole lines; false at the end. The view is valid until the
  // next call. A line longer than the chunk size is delivered whole (the buffer grows).
  Result<bool> Next(std::string_view* chunk);
  // Bytes delivered before the current chunk (the chunk's offset in the decompressed data).
  uint64_t offset() const { return offset_; }
  // Why the stream ended early (a truncated or corrupt compressed file), or OK.
  const Status& error() const { return error_; }
  // True when it ended because the file expanded past the ExpansionLimits (error() says how):
  // the caller reports an error instead of working on a part of the file.
  bool over_limit() const { return stream_->over_limit(); }

 private:
  std::unique_ptr<ByteStream> stream_;
  std::string buf_;
  size_t chunk_bytes_;
  size_t carry_ = 0;  // bytes of an incomplete line kept from the previous read
  uint64_t offset_ = 0;
  size_t last_size_ = 0;
  bool eof_ = false;
  Status error_;
};

// Iterates the lines of a buffer without copying; a trailing "\r" is stripped, and the final
// line is returned even without a newline.
class LineIterator {
 public:
  explicit LineIterator(std::string_view data) : data_(data) {}
  bool Next(std::string_view* line);
  // Offset of the line last returned.
  size_t line_offset() const { return line_start_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
  size_t line_start_ = 0;
};

}  // namespace inquest

#endif  // INQUEST_BASE_INPUT_FILE_H_
