#include "base/mapped_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace inquest {

Result<MappedFile> MappedFile::Open(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError(fmt::format("cannot open: {}", strerror(errno)), path);
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int err = errno;
    close(fd);
    return Status::IoError(fmt::format("cannot stat: {}", strerror(err)), path);
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return Status::BadInput("not a regular file", SourceLocation{path});
  }
  MappedFile f;
  f.path_ = path;
  f.size_ = static_cast<uint64_t>(st.st_size);
  f.mtime_ns_ = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  if (f.size_ > 0) {
    void* p = mmap(nullptr, f.size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      int err = errno;
      close(fd);
      return Status::IoError(fmt::format("cannot map: {}", strerror(err)), path);
    }
    f.addr_ = p;
  }
  close(fd);
  return f;
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : path_(std::move(other.path_)),
      addr_(other.addr_),
      size_(other.size_),
      mtime_ns_(other.mtime_ns_) {
  other.addr_ = nullptr;
  other.size_ = 0;
}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    if (addr_) munmap(addr_, size_);
    path_ = std::move(other.path_);
    addr_ = other.addr_;
    size_ = other.size_;
    mtime_ns_ = other.mtime_ns_;
    other.addr_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

MappedFile::~MappedFile() {
  if (addr_) munmap(addr_, size_);
}

void MappedFile::AdviseSequential() const {
  if (addr_) madvise(addr_, size_, MADV_SEQUENTIAL);
}

void MappedFile::Release(uint64_t begin, uint64_t end) const {
  static const uint64_t kPage = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  if (!addr_) return;
  end = std::min<uint64_t>(end, size_);
  uint64_t lo = (begin + kPage - 1) / kPage * kPage, hi = end / kPage * kPage;
  if (hi > lo) madvise(static_cast<char*>(addr_) + lo, hi - lo, MADV_DONTNEED);
}

}  // namespace inquest
