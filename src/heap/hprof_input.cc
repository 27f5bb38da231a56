#include "heap/hprof_input.h"

#include <fmt/format.h>

#include <cstring>
#include <utility>

namespace inquest::heap {

HprofInput::HprofInput(std::unique_ptr<ByteStream> stream) : stream_(std::move(stream)) {
  buf_.resize(kBufferBytes);
}

Status HprofInput::Error(std::string message, uint64_t at) const {
  if (stream_->compression() != Compression::kNone)
    message += fmt::format(" (offset in the decompressed {} data)",
                           CompressionName(stream_->compression()));
  return Status::BadInput(std::move(message), SourceLocation{stream_->name(), 0, at, true});
}

Status HprofInput::Fill(size_t n, std::string_view what) {
  if (end_ - pos_ >= n) return Status::Ok();
  if (pos_ > 0) {
    std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
    base_ += pos_;
    end_ -= pos_;
    pos_ = 0;
  }
  while (end_ < n && !eof_) {
    INQ_ASSIGN_OR_RETURN(size_t got, stream_->Read(buf_.data() + end_, buf_.size() - end_));
    if (got == 0) eof_ = true;
    end_ += got;
  }
  if (end_ < n)
    return Error(fmt::format("the dump ends inside {} ({} bytes needed, {} left)", what, n, end_),
                 base_ + end_);
  return Status::Ok();
}

Result<bool> HprofInput::AtEnd() {
  if (pos_ < end_) return false;
  Status s = Fill(1, "");
  if (s.ok()) return false;
  if (eof_ && end_ == pos_) return true;
  return s;
}

uint16_t HprofInput::U2() {
  auto p = reinterpret_cast<const uint8_t*>(buf_.data() + pos_);
  pos_ += 2;
  return static_cast<uint16_t>(p[0] << 8 | p[1]);
}

uint32_t HprofInput::U4() {
  uint32_t v;
  std::memcpy(&v, buf_.data() + pos_, 4);
  pos_ += 4;
  return __builtin_bswap32(v);
}

uint64_t HprofInput::U8() {
  uint64_t v;
  std::memcpy(&v, buf_.data() + pos_, 8);
  pos_ += 8;
  return __builtin_bswap64(v);
}

uint64_t HprofInput::Id() { return id_size_ == 8 ? U8() : U4(); }

std::string_view HprofInput::Take(size_t n) {
  std::string_view v(buf_.data() + pos_, n);
  pos_ += n;
  return v;
}

Result<std::string_view> HprofInput::Chunk(uint64_t max, std::string_view what) {
  if (max == 0) return std::string_view();
  if (pos_ == end_) INQ_RETURN_IF_ERROR(Fill(1, what));
  size_t n = static_cast<size_t>(std::min<uint64_t>(max, end_ - pos_));
  return Take(n);
}

Status HprofInput::Skip(uint64_t n, std::string_view what) {
  uint64_t buffered = end_ - pos_;
  if (n <= buffered) {
    pos_ += n;
    return Status::Ok();
  }
  uint64_t start = offset();
  n -= buffered;
  base_ += end_;
  pos_ = end_ = 0;
  // Skipping through the stream: a plain file moves at once, a compressed one decompresses.
  // The end is found by reading one byte past the skipped span.
  if (n > 1) INQ_RETURN_IF_ERROR(stream_->Skip(n - 1));
  base_ += n - 1;
  Status s = Fill(1, what);
  if (!s.ok())
    return Error(fmt::format("the dump ends inside {} (it declares {} bytes from byte {})", what,
                             n + buffered, start),
                 start);
  pos_ = 1;
  return Status::Ok();
}

}  // namespace inquest::heap
