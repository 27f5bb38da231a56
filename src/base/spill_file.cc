#include "base/spill_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace inquest {

Result<SpillFile> SpillFile::Create(std::string purpose) {
  const char* dir = std::getenv("TMPDIR");
  std::string folder = dir && *dir ? dir : "/tmp";
  std::string name = folder + "/inquest-spill-XXXXXX";
  std::vector<char> path(name.begin(), name.end());
  path.push_back('\0');
  int fd = mkostemp(path.data(), O_CLOEXEC);  // mode 0600
  if (fd < 0)
    return Status::IoError(fmt::format("cannot create a temporary file for the {} in {}: {}",
                                       purpose, folder, strerror(errno)));
  unlink(path.data());
  return SpillFile(fd, purpose + " in " + folder);
}

SpillFile::SpillFile(SpillFile&& o) noexcept
    : fd_(o.fd_), where_(std::move(o.where_)), size_(o.size_) {
  o.fd_ = -1;
}

SpillFile& SpillFile::operator=(SpillFile&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) close(fd_);
    fd_ = o.fd_;
    where_ = std::move(o.where_);
    size_ = o.size_;
    o.fd_ = -1;
  }
  return *this;
}

SpillFile::~SpillFile() {
  if (fd_ >= 0) close(fd_);
}

Status SpillFile::Append(const void* data, size_t n) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    ssize_t w = pwrite(fd_, p, n, static_cast<off_t>(size_));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0)
      return Status::IoError(
          fmt::format("cannot write the {}: {}", where_, w < 0 ? strerror(errno) : "disk full"));
    p += w;
    n -= static_cast<size_t>(w);
    size_ += static_cast<uint64_t>(w);
  }
  return Status::Ok();
}

Status SpillFile::ReadAt(uint64_t offset, void* out, size_t n) const {
  char* p = static_cast<char*>(out);
  while (n > 0) {
    ssize_t r = pread(fd_, p, n, static_cast<off_t>(offset));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0)
      return Status::IoError(fmt::format("cannot read back the {} at byte {}: {}", where_, offset,
                                         r < 0 ? strerror(errno) : "short file"));
    p += r;
    n -= static_cast<size_t>(r);
    offset += static_cast<uint64_t>(r);
  }
  return Status::Ok();
}

}  // namespace inquest
