// A read-only memory map of a whole file. Views into it stay valid while the MappedFile lives.
//
//   INQ_ASSIGN_OR_RETURN(MappedFile f, MappedFile::Open("app.log"));
//   std::string_view bytes = f.data();
#ifndef INQUEST_BASE_MAPPED_FILE_H_
#define INQUEST_BASE_MAPPED_FILE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace inquest {

class MappedFile {
 public:
  // Maps `path` read-only. An empty file maps to an empty view. Not a regular file: BadInput.
  static Result<MappedFile> Open(const std::string& path);

  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::string_view data() const { return {static_cast<const char*>(addr_), size_}; }
  uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }
  // Modification time, nanoseconds since the epoch.
  int64_t mtime_ns() const { return mtime_ns_; }

  // Tells the kernel the map will be read front to back (or not).
  void AdviseSequential() const;
  // Drops the whole pages of [begin, end) from this process's memory; the kernel's page cache
  // keeps them and a later read maps them back. For a stream that reads once from the start: its
  // memory stays a few pages however large the file.
  void Release(uint64_t begin, uint64_t end) const;

 private:
  MappedFile() = default;
  std::string path_;
  void* addr_ = nullptr;
  uint64_t size_ = 0;
  int64_t mtime_ns_ = 0;
};

}  // namespace inquest

#endif  // INQUEST_BASE_MAPPED_FILE_H_
