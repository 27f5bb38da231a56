#include "base/output_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>

namespace inquest {
namespace {

// Tries at a free temporary name: a clash means someone else is creating names in the folder
// (or planted them in advance), which a handful of random names get past.
constexpr int kTempAttempts = 16;

std::string Errno() { return std::strerror(errno); }

bool PlainName(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos &&
         name.find('\0') == std::string_view::npos;
}

std::string LinkTarget(int dir_fd, const char* name) {
  char buf[4096];
  ssize_t n = ::readlinkat(dir_fd, name, buf, sizeof buf - 1);
  return n < 0 ? std::string("?") : std::string(buf, static_cast<size_t>(n));
}

std::string RandomSuffix() {
  uint64_t v = 0;
  if (::getrandom(&v, sizeof v, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof v)) {
    // No entropy yet: the clock still differs between attempts, and O_EXCL catches a clash.
    struct timespec ts;
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    v = static_cast<uint64_t>(ts.tv_nsec) ^ (static_cast<uint64_t>(::getpid()) << 32);
  }
  return fmt::format("{:012x}", v & 0xffffffffffffu);
}

Status WriteAll(int fd, std::string_view bytes, const std::string& what) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      return Status::IoError(
          fmt::format("cannot write {}: {}", what, n < 0 ? Errno() : "no space left"), what);
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

std::string StripTrailingSlashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& o) noexcept {
  if (this != &o) Reset(o.Release());
  return *this;
}

void UniqueFd::Reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

std::string NotAPlainFile(int dir_fd, std::string_view name) {
  std::string n(name);
  struct stat st;
  if (::fstatat(dir_fd, n.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return {};
  if (S_ISREG(st.st_mode)) return {};
  if (S_ISLNK(st.st_mode)) return "a symbolic link to " + LinkTarget(dir_fd, n.c_str());
  if (S_ISDIR(st.st_mode)) return "a folder";
  return "not a regular file";
}

Result<OutputDir> OutputDir::Open(const std::string& given, const OutputDirOptions& options) {
  std::string path = StripTrailingSlashes(given.empty() ? std::string(".") : given);
  if (options.create) {
    std::filesystem::path p(path);
    std::error_code ec;
    if (p.has_parent_path() && !p.parent_path().empty())
      std::filesystem::create_directories(p.parent_path(), ec);
    if (ec) return Status::IoError(fmt::format("cannot create {}: {}", path, ec.message()), path);
    if (::mkdir(path.c_str(), options.mode) != 0 && errno != EEXIST)
      return Status::IoError(fmt::format("cannot create {}: {}", path, Errno()), path);
  }
  int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (options.refuse_link ? O_NOFOLLOW : 0);
  UniqueFd fd(::open(path.c_str(), flags));
  if (fd.valid()) return OutputDir(std::move(fd), path);
  int err = errno;
  struct stat st;
  if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode) && options.refuse_link) {
    return Status::InvalidArgument(fmt::format(
        "{} is a symbolic link to {}; inquest does not write into a folder through a link "
        "(someone else may have planted it): remove it, or name the folder it points to",
        path, LinkTarget(AT_FDCWD, path.c_str())));
  }
  if (err == ENOTDIR) return Status::InvalidArgument(fmt::format("{} is not a folder", path));
  return Status::IoError(fmt::format("cannot open {}: {}", path, std::strerror(err)), path);
}

std::string OutputDir::PathOf(std::string_view name) const {
  if (path_ == ".") return std::string(name);  // named as the user wrote it
  return path_ == "/" ? fmt::format("/{}", name) : fmt::format("{}/{}", path_, name);
}

Result<UniqueFd> OutputDir::CreateTemp(std::string_view name, mode_t mode,
                                       std::string* tmp_name) const {
  for (int attempt = 0; attempt < kTempAttempts; ++attempt) {
    *tmp_name = fmt::format(".{}.{}.tmp", name, RandomSuffix());
    UniqueFd fd(::openat(fd_.get(), tmp_name->c_str(),
                         O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
    if (fd.valid()) return fd;
    if (errno != EEXIST)
      return Status::IoError(fmt::format("cannot create {}: {}", PathOf(*tmp_name), Errno()),
                             PathOf(name));
  }
  return Status::IoError(
      fmt::format("cannot create a temporary file for {}: every name tried exists", PathOf(name)),
      PathOf(name));
}

Status OutputDir::WriteTemp(std::string_view name, std::string_view bytes, mode_t mode,
                            std::string* tmp_name) const {
  INQ_ASSIGN_OR_RETURN(UniqueFd fd, CreateTemp(name, mode, tmp_name));
  const std::string what = PathOf(name);
  Status s = WriteAll(fd.get(), bytes, what);
  if (s.ok() && ::fsync(fd.get()) != 0)
    s = Status::IoError(fmt::format("cannot write {}: {}", what, Errno()), what);
  if (s.ok() && ::close(fd.Release()) != 0)
    s = Status::IoError(fmt::format("cannot write {}: {}", what, Errno()), what);
  if (!s.ok()) ::unlinkat(fd_.get(), tmp_name->c_str(), 0);
  return s;
}

Status OutputDir::Replace(std::string_view name, std::string_view bytes, mode_t mode) const {
  if (!PlainName(name)) return Status::Internal(fmt::format("bad output file name '{}'", name));
  const std::string n(name);
  if (std::string what = NotAPlainFile(fd_.get(), n); !what.empty()) {
    return Status::InvalidArgument(
        fmt::format("{} is {}; not replaced (inquest writes only its own files there): remove "
                    "it to let inquest write its file",
                    PathOf(name), what));
  }
  std::string tmp;
  INQ_RETURN_IF_ERROR(WriteTemp(name, bytes, mode, &tmp));
  // rename replaces the directory entry: were a link planted at `name` since the check above,
  // the link is what gets replaced, never the file it points to.
  if (::renameat(fd_.get(), tmp.c_str(), fd_.get(), n.c_str()) != 0) {
    Status s =
        Status::IoError(fmt::format("cannot write {}: {}", PathOf(name), Errno()), PathOf(name));
    ::unlinkat(fd_.get(), tmp.c_str(), 0);
    return s;
  }
  ::fsync(fd_.get());  // the rename itself on disk; a failure here loses nothing written
  return Status::Ok();
}

Status OutputDir::CreateNew(std::string_view name, std::string_view bytes, mode_t mode) const {
  if (!PlainName(name)) return Status::Internal(fmt::format("bad output file name '{}'", name));
  const std::string n(name);
  auto exists = [&] {
    std::string what = NotAPlainFile(fd_.get(), n);
    return Status::InvalidArgument(fmt::format("{} exists{}; not overwriting", PathOf(name),
                                               what.empty() ? "" : " (" + what + ")"));
  };
  struct stat st;
  if (::fstatat(fd_.get(), n.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) return exists();
  std::string tmp;
  INQ_RETURN_IF_ERROR(WriteTemp(name, bytes, mode, &tmp));
  int rc = ::renameat2(fd_.get(), tmp.c_str(), fd_.get(), n.c_str(), RENAME_NOREPLACE);
  if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) {
    // A file system without RENAME_NOREPLACE: a hard link fails the same way on any entry.
    rc = ::linkat(fd_.get(), tmp.c_str(), fd_.get(), n.c_str(), 0);
    if (rc == 0) ::unlinkat(fd_.get(), tmp.c_str(), 0);
  }
  if (rc != 0) {
    int err = errno;
    ::unlinkat(fd_.get(), tmp.c_str(), 0);
    if (err == EEXIST) return exists();
    return Status::IoError(fmt::format("cannot write {}: {}", PathOf(name), std::strerror(err)),
                           PathOf(name));
  }
  ::fsync(fd_.get());
  return Status::Ok();
}

Result<OutputDir> OutputDir::Sub(std::string_view name, mode_t mode) const {
  if (!PlainName(name)) return Status::Internal(fmt::format("bad output folder name '{}'", name));
  const std::string n(name);
  if (::mkdirat(fd_.get(), n.c_str(), mode) != 0 && errno != EEXIST)
    return Status::IoError(fmt::format("cannot create {}: {}", PathOf(name), Errno()),
                           PathOf(name));
  UniqueFd fd(::openat(fd_.get(), n.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) {
    std::string what = NotAPlainFile(fd_.get(), n);
    if (!what.empty() && what != "a folder")
      return Status::InvalidArgument(fmt::format("{} is {}; not used", PathOf(name), what));
    return Status::IoError(fmt::format("cannot open {}: {}", PathOf(name), Errno()), PathOf(name));
  }
  return OutputDir(std::move(fd), PathOf(name));
}

Result<OutputDir> OutputDir::Duplicate() const {
  UniqueFd fd(::fcntl(fd_.get(), F_DUPFD_CLOEXEC, 0));
  if (!fd.valid()) return Status::IoError(fmt::format("cannot open {}: {}", path_, Errno()), path_);
  return OutputDir(std::move(fd), path_);
}

Result<UniqueFd> OutputDir::OpenNewForStreaming(std::string_view name, mode_t mode) const {
  if (!PlainName(name)) return Status::Internal(fmt::format("bad output file name '{}'", name));
  const std::string n(name);
  UniqueFd fd(
      ::openat(fd_.get(), n.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
  if (!fd.valid()) {
    if (errno == EEXIST || errno == ELOOP) {
      std::string what = NotAPlainFile(fd_.get(), n);
      return Status::InvalidArgument(fmt::format("{} exists{}; not overwriting", PathOf(name),
                                                 what.empty() ? "" : " (" + what + ")"));
    }
    return Status::IoError(fmt::format("cannot create {}: {}", PathOf(name), Errno()),
                           PathOf(name));
  }
  return fd;
}

}  // namespace inquest
