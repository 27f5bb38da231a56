// A temporary file for data that does not fit the memory budget: created in $TMPDIR (else /tmp)
// with mode 0600 and unlinked at once, so it vanishes with the process whatever happens, and
// nothing else can open it by name.
//
//   INQ_ASSIGN_OR_RETURN(SpillFile f, SpillFile::Create("requests"));
//   INQ_RETURN_IF_ERROR(f.Append(bytes.data(), bytes.size()));
//   INQ_RETURN_IF_ERROR(f.ReadAt(offset, buf, n));
#ifndef INQUEST_BASE_SPILL_FILE_H_
#define INQUEST_BASE_SPILL_FILE_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "base/status.h"

namespace inquest {

class SpillFile {
 public:
  // `purpose` names the file in errors ("request table spill").
  static Result<SpillFile> Create(std::string purpose);
  SpillFile(SpillFile&& o) noexcept;
  SpillFile& operator=(SpillFile&& o) noexcept;
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;
  ~SpillFile();

  // Writes at the end. A full disk is an IoError naming the folder.
  Status Append(const void* data, size_t n);
  // Reads exactly n bytes at `offset` (within what was appended).
  Status ReadAt(uint64_t offset, void* out, size_t n) const;
  uint64_t size() const { return size_; }

 private:
  SpillFile(int fd, std::string where) : fd_(fd), where_(std::move(where)) {}
  int fd_ = -1;
  std::string where_;  // "<purpose> in <folder>", for errors
  uint64_t size_ = 0;
};

}  // namespace inquest

#endif  // INQUEST_BASE_SPILL_FILE_H_
