// Big-endian reading of an HPROF stream through a bounded buffer, with the byte offset of every
// read known for error messages. Works on plain, gzip and zstd files alike (base/decompress).
//
//   HprofInput in(std::move(stream));
//   INQ_RETURN_IF_ERROR(in.Fill(9));         // guarantees 9 readable bytes, or a clear error
//   uint8_t tag = in.U1(); ...
#ifndef INQUEST_HEAP_HPROF_INPUT_H_
#define INQUEST_HEAP_HPROF_INPUT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/decompress.h"
#include "base/status.h"

namespace inquest::heap {

class HprofInput {
 public:
  // Largest run of bytes Fill guarantees at once; longer values are read in pieces (Chunk).
  static constexpr size_t kBufferBytes = size_t{4} << 20;

  explicit HprofInput(std::unique_ptr<ByteStream> stream);

  // Makes `n` (<= kBufferBytes) bytes readable at the cursor. At the end of the data it is a
  // BadInput naming `what` and the offset where the data ends.
  Status Fill(size_t n, std::string_view what);
  // True when no byte is left (reads ahead to find out).
  Result<bool> AtEnd();

  // Reads at the cursor; each needs a Fill covering it first.
  uint8_t U1() { return static_cast<uint8_t>(buf_[pos_++]); }
  uint16_t U2();
  uint32_t U4();
  uint64_t U8();
  uint64_t Id();  // 4 or 8 bytes, as set by set_id_size
  std::string_view Take(size_t n);

  // Up to `max` bytes at the cursor (at least one unless the data ended: then empty), consumed.
  Result<std::string_view> Chunk(uint64_t max, std::string_view what);
  // Moves `n` bytes ahead; past the end is a BadInput naming `what`.
  Status Skip(uint64_t n, std::string_view what);

  void set_id_size(int size) { id_size_ = size; }
  int id_size() const { return id_size_; }
  // Offset of the cursor from the start of the (decompressed) data.
  uint64_t offset() const { return base_ + pos_; }
  const std::string& name() const { return stream_->name(); }
  Compression compression() const { return stream_->compression(); }
  // True once the data expanded past the ExpansionLimits (a decompression bomb).
  bool over_limit() const { return stream_->over_limit(); }
  // A BadInput at `at` naming the file (and, for a compressed one, that the offset counts
  // decompressed bytes).
  Status Error(std::string message, uint64_t at) const;

 private:
  std::unique_ptr<ByteStream> stream_;
  std::string buf_;
  size_t pos_ = 0;     // cursor in buf_
  size_t end_ = 0;     // bytes of buf_ holding data
  uint64_t base_ = 0;  // offset of buf_[0] in the data
  bool eof_ = false;
  int id_size_ = 4;
};

}  // namespace inquest::heap

#endif  // INQUEST_HEAP_HPROF_INPUT_H_
