#include "base/decompress.h"

#include <fmt/format.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>

namespace inquest {
namespace {

// A compressed file is read once from the start: its pages are released every this many bytes
// consumed, so the mapping of a 10 GiB .gz costs a few MiB of memory, not its size.
constexpr uint64_t kReleaseStepBytes = 8 << 20;

// Releases what a stream has consumed of its mapping since the last call, a step at a time.
void ReleaseConsumed(const MappedFile& file, uint64_t consumed, uint64_t* released) {
  if (consumed < *released + kReleaseStepBytes) return;
  file.Release(*released, consumed);
  *released = consumed;
}

// Uncompressed input: copies out of the map (or memory) without decoding.
class PlainStream : public ByteStream {
 public:
  PlainStream(std::string_view data, std::string name, int64_t mtime, MappedFile* owned)
      : data_(data), name_(std::move(name)), mtime_(mtime), owned_(owned) {}
  ~PlainStream() override { delete owned_; }
  Result<size_t> Read(char* buf, size_t n) override {
    size_t k = std::min(n, data_.size() - pos_);
    if (k > 0) memcpy(buf, data_.data() + pos_, k);  // an empty file's view has no data
    pos_ += k;
    if (owned_) ReleaseConsumed(*owned_, pos_, &released_);
    return k;
  }
  Status Skip(uint64_t n) override {
    pos_ += static_cast<size_t>(std::min<uint64_t>(n, data_.size() - pos_));
    return Status::Ok();
  }
  Compression compression() const override { return Compression::kNone; }
  const std::string& name() const override { return name_; }
  int64_t mtime_ns() const override { return mtime_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
  std::string name_;
  int64_t mtime_;
  MappedFile* owned_;
  uint64_t released_ = 0;
};

class GzipStream : public ByteStream {
 public:
  GzipStream(MappedFile file) : file_(std::move(file)) {
    memset(&z_, 0, sizeof z_);
    inflateInit2(&z_, 15 + 32);  // gzip or zlib header, detected
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(file_.data().data()));
    z_.avail_in = static_cast<uInt>(std::min<uint64_t>(file_.size(), UINT32_MAX));
    consumed_before_ = 0;
  }
  ~GzipStream() override { inflateEnd(&z_); }

  Result<size_t> Read(char* buf, size_t n) override {
    if (done_) return size_t{0};
    z_.next_out = reinterpret_cast<Bytef*>(buf);
    z_.avail_out = static_cast<uInt>(std::min<size_t>(n, UINT32_MAX));
    while (z_.avail_out > 0) {
      Refill();
      if (z_.avail_in == 0) {
        if (!at_member_start_) return Truncated(n);
        done_ = true;
        break;
      }
      at_member_start_ = false;
      int rc = inflate(&z_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        // Concatenated members (logrotate's, pigz's) follow one another.
        inflateReset(&z_);
        at_member_start_ = true;
        continue;
      }
      if (rc == Z_BUF_ERROR) return Truncated(n);
      if (rc != Z_OK) {
        return Status::BadInput(fmt::format("corrupt gzip data ({})", z_.msg ? z_.msg : "?"),
                                SourceLocation{file_.path(), 0, Offset(), true});
      }
    }
    ReleaseConsumed(file_, Offset(), &released_);
    return n - z_.avail_out;
  }
  Compression compression() const override { return Compression::kGzip; }
  const std::string& name() const override { return file_.path(); }
  int64_t mtime_ns() const override { return file_.mtime_ns(); }

 private:
  uint64_t Offset() const { return consumed_before_ + (z_.next_in - Base()); }
  const Bytef* Base() const {
    return reinterpret_cast<const Bytef*>(file_.data().data()) + consumed_before_;
  }
  void Refill() {
    if (z_.avail_in != 0) return;
    uint64_t used = z_.next_in - reinterpret_cast<const Bytef*>(file_.data().data());
    if (used >= file_.size()) return;
    consumed_before_ = used;
    z_.avail_in = static_cast<uInt>(std::min<uint64_t>(file_.size() - used, UINT32_MAX));
  }
  Result<size_t> Truncated(size_t n) {
    size_t got = n - z_.avail_out;
    if (got > 0) return got;  // deliver what we have; the error comes on the next call
    done_ = true;
    return Status::BadInput("truncated gzip stream: the data ends mid-member",
                            SourceLocation{file_.path(), 0, file_.size(), true});
  }

  MappedFile file_;
  z_stream z_;
  uint64_t consumed_before_;
  uint64_t released_ = 0;
  bool at_member_start_ = true;
  bool done_ = false;
};

class ZstdStream : public ByteStream {
 public:
  ZstdStream(MappedFile file) : file_(std::move(file)), ds_(ZSTD_createDStream()) {
    ZSTD_initDStream(ds_);
    in_ = {file_.data().data(), file_.size(), 0};
  }
  ~ZstdStream() override { ZSTD_freeDStream(ds_); }

  Result<size_t> Read(char* buf, size_t n) override {
    if (done_) return size_t{0};
    ZSTD_outBuffer out = {buf, n, 0};
    while (out.pos < out.size) {
      if (in_.pos >= in_.size) {
        if (!frame_done_) {
          if (out.pos > 0) return out.pos;
          done_ = true;
          return Status::BadInput("truncated zstd stream: the data ends mid-frame",
                                  SourceLocation{file_.path(), 0, file_.size(), true});
        }
        done_ = true;
        break;
      }
      size_t rc = ZSTD_decompressStream(ds_, &out, &in_);
      if (ZSTD_isError(rc)) {
        done_ = true;
        return Status::BadInput(fmt::format("corrupt zstd data ({})", ZSTD_getErrorName(rc)),
                                SourceLocation{file_.path(), 0, in_.pos, true});
      }
      frame_done_ = rc == 0;
    }
    ReleaseConsumed(file_, in_.pos, &released_);
    return out.pos;
  }
  Compression compression() const override { return Compression::kZstd; }
  const std::string& name() const override { return file_.path(); }
  int64_t mtime_ns() const override { return file_.mtime_ns(); }

 private:
  MappedFile file_;
  ZSTD_DStream* ds_;
  ZSTD_inBuffer in_;
  uint64_t released_ = 0;
  bool frame_done_ = true;
  bool done_ = false;
};

// Counts what a compressed stream delivers and stops it at the ExpansionLimits.
class LimitedStream : public ByteStream {
 public:
  // Both limits come down to one byte count for the file, since the ratio is judged against
  // the whole compressed size: the stream never delivers a byte past it.
  LimitedStream(std::unique_ptr<ByteStream> inner, uint64_t compressed_bytes,
                const ExpansionLimits& limits)
      : inner_(std::move(inner)), compressed_(compressed_bytes), limits_(limits) {
    uint64_t by_ratio = compressed_bytes > UINT64_MAX / std::max<uint64_t>(limits.max_ratio, 1)
                            ? UINT64_MAX
                            : compressed_bytes * limits.max_ratio;
    by_ratio = std::max(by_ratio, kRatioFloorBytes);
    ratio_binds_ = by_ratio < limits.max_bytes;
    cap_ = std::min(by_ratio, limits.max_bytes);
  }

  Result<size_t> Read(char* buf, size_t n) override {
    if (!over_) {
      // One byte past the cap is asked for, to tell a file that ends exactly there from one
      // that goes on.
      uint64_t room = cap_ - out_ + 1;
      INQ_ASSIGN_OR_RETURN(size_t k, inner_->Read(buf, std::min<uint64_t>(n, room)));
      out_ += k;
      if (out_ <= cap_) return k;
      over_ = true;
      message_ = fmt::format(
          "{} data {}", CompressionName(inner_->compression()),
          ratio_binds_
              ? fmt::format("expands more than {} times ({} compressed bytes gave over {}; "
                            "--max-ratio): a decompression bomb, or data nobody logs",
                            limits_.max_ratio, compressed_, cap_)
              : fmt::format("decompresses to more than {} bytes (--max-expansion)", cap_));
    }
    return Status::BadInput(message_, SourceLocation{inner_->name()});
  }
  Compression compression() const override { return inner_->compression(); }
  const std::string& name() const override { return inner_->name(); }
  int64_t mtime_ns() const override { return inner_->mtime_ns(); }
  bool over_limit() const override { return over_; }

 private:
  std::unique_ptr<ByteStream> inner_;
  uint64_t compressed_;
  ExpansionLimits limits_;
  uint64_t cap_ = 0;          // bytes the file may expand to
  bool ratio_binds_ = false;  // the cap comes from the ratio, not from max_bytes
  uint64_t out_ = 0;
  bool over_ = false;
  std::string message_;
};

ExpansionLimits g_limits;

}  // namespace

Compression SniffCompression(std::string_view head) {
  if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f &&
      static_cast<unsigned char>(head[1]) == 0x8b)
    return Compression::kGzip;
  if (head.size() >= 4 && static_cast<unsigned char>(head[0]) == 0x28 &&
      static_cast<unsigned char>(head[1]) == 0xb5 && static_cast<unsigned char>(head[2]) == 0x2f &&
      static_cast<unsigned char>(head[3]) == 0xfd)
    return Compression::kZstd;
  return Compression::kNone;
}

std::string_view CompressionName(Compression c) {
  switch (c) {
    case Compression::kNone:
      return "none";
    case Compression::kGzip:
      return "gzip";
    case Compression::kZstd:
      return "zstd";
  }
  return "?";
}

void SetExpansionLimits(const ExpansionLimits& limits) { g_limits = limits; }
const ExpansionLimits& CurrentExpansionLimits() { return g_limits; }

Status ByteStream::Skip(uint64_t n) {
  std::string scratch(std::min<uint64_t>(n, uint64_t{1} << 16), '\0');
  while (n > 0) {
    INQ_ASSIGN_OR_RETURN(size_t got, Read(scratch.data(), std::min<uint64_t>(n, scratch.size())));
    if (got == 0) break;
    n -= got;
  }
  return Status::Ok();
}

Result<std::unique_ptr<ByteStream>> ByteStream::Open(const std::string& path) {
  INQ_ASSIGN_OR_RETURN(MappedFile file, MappedFile::Open(path));
  uint64_t compressed = file.size();
  switch (SniffCompression(file.data().substr(0, 4))) {
    case Compression::kGzip:
      return std::unique_ptr<ByteStream>(
          new LimitedStream(std::make_unique<GzipStream>(std::move(file)), compressed, g_limits));
    case Compression::kZstd:
      return std::unique_ptr<ByteStream>(
          new LimitedStream(std::make_unique<ZstdStream>(std::move(file)), compressed, g_limits));
    case Compression::kNone:
      break;
  }
  auto* owned = new MappedFile(std::move(file));
  owned->AdviseSequential();
  return std::unique_ptr<ByteStream>(
      new PlainStream(owned->data(), owned->path(), owned->mtime_ns(), owned));
}

std::unique_ptr<ByteStream> ByteStream::FromMemory(std::string_view data, std::string name) {
  return std::make_unique<PlainStream>(data, std::move(name), 0, nullptr);
}

}  // namespace inquest
