// Streaming decompression of gzip and zstd input, detected by magic bytes.
//
//   INQ_ASSIGN_OR_RETURN(auto src, ByteStream::Open("app.log.gz"));
//   char buf[65536];
//   for (;;) { INQ_ASSIGN_OR_RETURN(size_t n, src->Read(buf, sizeof buf)); if (!n) break; ... }
#ifndef INQUEST_BASE_DECOMPRESS_H_
#define INQUEST_BASE_DECOMPRESS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/mapped_file.h"
#include "base/status.h"

namespace inquest {

enum class Compression : uint8_t { kNone, kGzip, kZstd };

// Recognises compressed data by its first bytes.
Compression SniffCompression(std::string_view head);
std::string_view CompressionName(Compression c);

// How far one compressed file may expand. Past either limit, reading stops with a BadInput that
// names the file, the offset in the compressed file and the limit, and over_limit() turns true:
// a decompression bomb ends in a clear error (exit 3), never in an allocation that aborts. The
// ratio is only judged once kRatioFloorBytes have come out, so a small file that compresses
// well is never refused.
struct ExpansionLimits {
  uint64_t max_bytes = uint64_t{64} << 30;  // decompressed bytes of one file (64 GiB)
  uint64_t max_ratio = 1000;                // decompressed bytes per compressed byte
};
inline constexpr uint64_t kRatioFloorBytes = uint64_t{64} << 20;
// The limits every stream opened afterwards obeys (the command line sets them once, from
// --max-expansion and --max-ratio, before any file is opened).
void SetExpansionLimits(const ExpansionLimits& limits);
const ExpansionLimits& CurrentExpansionLimits();

// Pulls the (decompressed) bytes of a file in order.
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Opens `path`, decompressing transparently when it starts with a gzip or zstd magic.
  static Result<std::unique_ptr<ByteStream>> Open(const std::string& path);
  // Wraps bytes already in memory (tests, fuzzers). `data` must outlive the stream.
  static std::unique_ptr<ByteStream> FromMemory(std::string_view data, std::string name);

  // Reads up to n bytes; 0 at the end. A corrupt or truncated compressed stream is a BadInput
  // whose byte offset is the position in the compressed file; bytes before it were delivered.
  virtual Result<size_t> Read(char* buf, size_t n) = 0;
  // Moves `n` bytes ahead (fewer at the end of the data). A plain file moves at once; a
  // compressed one decompresses and drops the bytes.
  virtual Status Skip(uint64_t n);
  virtual Compression compression() const = 0;
  virtual const std::string& name() const = 0;
  virtual int64_t mtime_ns() const = 0;
  // True once a Read failed because the file expanded past the ExpansionLimits: unlike a
  // truncated or corrupt stream, whose readable part is kept, this is an error for the caller.
  virtual bool over_limit() const { return false; }
};

}  // namespace inquest

#endif  // INQUEST_BASE_DECOMPRESS_H_
