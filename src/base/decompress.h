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
  virtual Compression compression() const = 0;
  virtual const std::string& name() const = 0;
  virtual int64_t mtime_ns() const = 0;
};

}  // namespace inquest

#endif  // INQUEST_BASE_DECOMPRESS_H_
