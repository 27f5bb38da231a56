// Files inquest creates (reports, documents, captured evidence), written so that nobody else's
// symbolic link can redirect them: the folder is opened once (never through a link as its last
// part), each file is created under a random temporary name with O_CREAT|O_EXCL|O_NOFOLLOW
// relative to that folder, written, fsynced and renamed into place. A reader never sees half a
// file, and a link planted at the temporary or the final name is never followed.
//
//   INQ_ASSIGN_OR_RETURN(OutputDir out, OutputDir::Open("bundle/inquest-report"));
//   INQ_RETURN_IF_ERROR(out.Replace("findings.json", json));    // a new version of our file
//   INQ_RETURN_IF_ERROR(out.CreateNew("postmortem.md", doc));   // never replaces anything
#ifndef INQUEST_BASE_OUTPUT_FILE_H_
#define INQUEST_BASE_OUTPUT_FILE_H_

#include <sys/types.h>

#include <string>
#include <string_view>

#include "base/status.h"

namespace inquest {

// A file descriptor closed when it goes out of scope.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.Release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { Reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int Release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void Reset(int fd = -1);

 private:
  int fd_ = -1;
};

struct OutputDirOptions {
  // Create the folder (and its missing parents) when it does not exist.
  bool create = true;
  // Mode of a folder created (umask applies); 0700 for captured evidence.
  mode_t mode = 0777;
  // A folder whose last part is a symbolic link is refused (InvalidArgument naming the link
  // and its target): a report folder inside a bundle from strangers may be a link they planted.
  // False only for a folder the user named themselves as the place of one file (`pm new --out`).
  bool refuse_link = true;
};

class OutputDir {
 public:
  // Opens `path` (trailing slashes ignored, so "link/" is refused like "link"). InvalidArgument
  // when it is a link (see OutputDirOptions) or not a folder; IoError when it cannot be made.
  static Result<OutputDir> Open(const std::string& path, const OutputDirOptions& options = {});

  // Writes `name` (a plain name, no '/') whole, replacing the regular file of that name if there
  // is one. Refuses (InvalidArgument naming the link and its target, which is left untouched)
  // when `name` is a symbolic link or anything but a regular file. `mode` before the umask.
  Status Replace(std::string_view name, std::string_view bytes, mode_t mode = 0666) const;

  // Writes `name` whole only when nothing of that name exists (InvalidArgument "exists; not
  // overwriting" otherwise, a link included): renamed into place with RENAME_NOREPLACE.
  Status CreateNew(std::string_view name, std::string_view bytes, mode_t mode = 0666) const;

  // Opens (creating with the folder mode) the sub-folder `name`, never through a link.
  Result<OutputDir> Sub(std::string_view name, mode_t mode) const;
  // The same folder on a descriptor of its own.
  Result<OutputDir> Duplicate() const;

  // `name` opened for streaming output (O_CREAT|O_EXCL|O_NOFOLLOW, no rename: the caller or a
  // child process writes it in place).
  Result<UniqueFd> OpenNewForStreaming(std::string_view name, mode_t mode) const;

  int fd() const { return fd_.get(); }
  const std::string& path() const { return path_; }
  std::string PathOf(std::string_view name) const;

 private:
  OutputDir(UniqueFd fd, std::string path) : fd_(std::move(fd)), path_(std::move(path)) {}
  // A temporary file in the folder: its name in *tmp_name.
  Result<UniqueFd> CreateTemp(std::string_view name, mode_t mode, std::string* tmp_name) const;
  Status WriteTemp(std::string_view name, std::string_view bytes, mode_t mode,
                   std::string* tmp_name) const;
  UniqueFd fd_;
  std::string path_;
};

// What the entry `name` in folder `dir_fd` is when it is not a regular file that may be
// replaced: "a symbolic link to TARGET", "a folder", ...; empty when it is a regular file or
// missing.
std::string NotAPlainFile(int dir_fd, std::string_view name);

}  // namespace inquest

#endif  // INQUEST_BASE_OUTPUT_FILE_H_
