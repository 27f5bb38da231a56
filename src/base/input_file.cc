#include "base/input_file.h"

#include <fmt/format.h>

#include <cstring>

namespace inquest {

Result<InputFile> InputFile::Open(const std::string& path, uint64_t max_decompressed) {
  INQ_ASSIGN_OR_RETURN(MappedFile map, MappedFile::Open(path));
  InputFile in;
  in.path_ = path;
  in.mtime_ns_ = map.mtime_ns();
  in.compression_ = SniffCompression(map.data().substr(0, 4));
  if (in.compression_ == Compression::kNone) {
    map.AdviseSequential();
    in.map_.emplace(std::move(map));
    return in;
  }
  INQ_ASSIGN_OR_RETURN(std::unique_ptr<ByteStream> stream, ByteStream::Open(path));
  in.buffer_ = std::make_unique<std::string>();
  std::string& buf = *in.buffer_;
  size_t used = 0;
  for (;;) {
    if (buf.size() - used < (1 << 20)) buf.resize(std::max<size_t>(buf.size() * 2, 4 << 20));
    Result<size_t> n = stream->Read(buf.data() + used, buf.size() - used);
    if (!n.ok()) {
      if (stream->over_limit()) return n.status();  // a bomb is an error, not a cut file
      in.warning_ = n.status();
      break;
    }
    if (*n == 0) break;
    used += *n;
    if (used > max_decompressed) {
      used = max_decompressed;
      in.warning_ = Status::BadInput(
          fmt::format("decompressed data exceeds {} bytes; the rest is not read", used),
          SourceLocation{path});
      break;
    }
  }
  buf.resize(used);
  buf.shrink_to_fit();
  return in;
}

InputFile InputFile::FromString(std::string data, std::string name) {
  InputFile in;
  in.path_ = std::move(name);
  in.buffer_ = std::make_unique<std::string>(std::move(data));
  return in;
}

std::string_view InputFile::data() const {
  if (map_) return map_->data();
  if (buffer_) return *buffer_;
  return {};
}

ChunkReader::ChunkReader(std::unique_ptr<ByteStream> stream, size_t chunk_bytes)
    : stream_(std::move(stream)), chunk_bytes_(chunk_bytes) {}

Result<bool> ChunkReader::Next(std::string_view* chunk) {
  // Move the incomplete tail of the previous chunk to the front.
  if (last_size_ > 0) {
    offset_ += last_size_;
    memmove(buf_.data(), buf_.data() + last_size_, carry_);
    last_size_ = 0;
  }
  if (eof_ && carry_ == 0) return false;
  size_t used = carry_;
  for (;;) {
    if (buf_.size() < used + chunk_bytes_) buf_.resize(used + chunk_bytes_);
    if (!eof_) {
      Result<size_t> n = stream_->Read(buf_.data() + used, buf_.size() - used);
      if (!n.ok()) {
        eof_ = true;
        error_ = n.status();  // what came before the corruption is still delivered
      } else if (*n == 0) {
        eof_ = true;
      } else {
        used += *n;
      }
    }
    const char* nl = static_cast<const char*>(memrchr(buf_.data(), '\n', used));
    if (nl != nullptr || eof_) {
      size_t end = nl ? static_cast<size_t>(nl - buf_.data()) + 1 : used;
      if (eof_) end = used;
      *chunk = std::string_view(buf_.data(), end);
      last_size_ = end;
      carry_ = used - end;
      if (end == 0) return false;
      return true;
    }
    // No newline yet: the line is longer than the buffer; grow and read on.
  }
}

bool LineIterator::Next(std::string_view* line) {
  if (pos_ >= data_.size()) return false;
  line_start_ = pos_;
  const char* base = data_.data();
  const void* nl = memchr(base + pos_, '\n', data_.size() - pos_);
  size_t end = nl ? static_cast<const char*>(nl) - base : data_.size();
  size_t len = end - pos_;
  if (len > 0 && base[end - 1] == '\r') --len;
  *line = std::string_view(base + pos_, len);
  pos_ = nl ? end + 1 : end;
  return true;
}

}  // namespace inquest
