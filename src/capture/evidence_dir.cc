#include "capture/evidence_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <memory>

namespace inquest {
namespace {

constexpr mode_t kDirMode = 0700;
constexpr mode_t kFileMode = 0600;
// Read size when hashing: large enough that a multi-GiB core hashes at disk speed.
constexpr size_t kHashChunk = 1 << 20;

std::string Errno(std::string_view what, const std::string& path) {
  return fmt::format("{} {}: {}", what, path, std::strerror(errno));
}

bool SafeName(std::string_view name) {
  if (name.empty() || name.front() == '/') return false;
  for (std::string_view part : {std::string_view("..")}) {
    size_t pos = 0;
    while ((pos = name.find(part, pos)) != std::string_view::npos) {
      bool start = pos == 0 || name[pos - 1] == '/';
      bool end = pos + 2 == name.size() || name[pos + 2] == '/';
      if (start && end) return false;
      pos += 2;
    }
  }
  return true;
}

}  // namespace

Result<EvidenceDir> EvidenceDir::Create(std::string path) {
  struct stat st;
  bool existed = ::lstat(path.c_str(), &st) == 0;
  if (existed && !S_ISLNK(st.st_mode) && !S_ISDIR(st.st_mode))
    return Status::InvalidArgument(fmt::format("{} exists and is not a folder", path));
  INQ_ASSIGN_OR_RETURN(OutputDir dir, OutputDir::Open(path, {.create = true, .mode = kDirMode}));
  if (existed) {
    // Listed through the descriptor: the folder checked is the folder written to.
    DIR* d = ::fdopendir(::fcntl(dir.fd(), F_DUPFD_CLOEXEC, 0));
    if (d == nullptr) return Status::IoError(Errno("cannot list", path), path);
    ::rewinddir(d);
    bool empty = true;
    while (dirent* e = ::readdir(d)) {
      std::string_view n = e->d_name;
      if (n != "." && n != "..") empty = false;
    }
    ::closedir(d);
    if (!empty) {
      return Status::InvalidArgument(
          fmt::format("{} is not empty; evidence goes into a new or empty folder", path));
    }
  }
  if (::fchmod(dir.fd(), kDirMode) != 0) return Status::IoError(Errno("cannot chmod", path));
  return EvidenceDir(std::move(dir));
}

std::string EvidenceDir::PathOf(std::string_view name) const {
  return fmt::format("{}/{}", path_, name);
}

Result<OutputDir> EvidenceDir::FolderOf(std::string_view name, std::string_view* leaf,
                                        bool create) const {
  if (!SafeName(name)) return Status::Internal(fmt::format("bad evidence name {}", name));
  INQ_ASSIGN_OR_RETURN(OutputDir folder, dir_.Duplicate());
  size_t slash;
  while ((slash = name.find('/')) != std::string_view::npos) {
    std::string_view part = name.substr(0, slash);
    name.remove_prefix(slash + 1);
    if (part.empty()) continue;
    if (!create) {
      struct stat st;
      if (::fstatat(folder.fd(), std::string(part).c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 ||
          !S_ISDIR(st.st_mode))
        return Status::IoError(fmt::format("missing folder {}", folder.PathOf(part)));
    }
    INQ_ASSIGN_OR_RETURN(folder, folder.Sub(part, kDirMode));
  }
  *leaf = name;
  return folder;
}

Result<int> EvidenceDir::OpenNew(std::string_view name) {
  std::string_view leaf;
  INQ_ASSIGN_OR_RETURN(OutputDir folder, FolderOf(name, &leaf, true));
  INQ_ASSIGN_OR_RETURN(UniqueFd fd, folder.OpenNewForStreaming(leaf, kFileMode));
  // The umask may only have narrowed the mode; fchmod makes it exactly 0600.
  ::fchmod(fd.get(), kFileMode);
  names_.emplace_back(name);
  return fd.Release();
}

Status EvidenceDir::Write(std::string_view name, std::string_view bytes) {
  std::string_view leaf;
  INQ_ASSIGN_OR_RETURN(OutputDir folder, FolderOf(name, &leaf, true));
  INQ_RETURN_IF_ERROR(folder.CreateNew(leaf, bytes, kFileMode));
  names_.emplace_back(name);
  return Status::Ok();
}

Status EvidenceDir::Adopt(std::string_view name) {
  std::string_view leaf;
  INQ_ASSIGN_OR_RETURN(OutputDir folder, FolderOf(name, &leaf, false));
  std::string full = PathOf(name);
  UniqueFd fd(::openat(folder.fd(), std::string(leaf).c_str(),
                       O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ELOOP) return Status::IoError(full + " is a symbolic link; not adopted", full);
    return Status::IoError(Errno("missing", full), full);
  }
  struct stat st;
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode))
    return Status::IoError(full + " is not a regular file", full);
  if (::fchmod(fd.get(), kFileMode) != 0) return Status::IoError(Errno("cannot chmod", full));
  for (const std::string& n : names_) {
    if (n == name) return Status::Ok();
  }
  names_.emplace_back(name);
  return Status::Ok();
}

Result<std::vector<EvidenceFile>> EvidenceDir::Hash() const {
  std::vector<EvidenceFile> files;
  for (const std::string& name : names_) {
    EvidenceFile f;
    f.name = name;
    std::string_view leaf;
    INQ_ASSIGN_OR_RETURN(OutputDir folder, FolderOf(name, &leaf, false));
    UniqueFd fd(::openat(folder.fd(), std::string(leaf).c_str(),
                         O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (!fd.valid()) return Status::IoError(Errno("cannot open", PathOf(name)), PathOf(name));
    INQ_ASSIGN_OR_RETURN(f.sha256, Sha256Fd(fd.get(), PathOf(name), &f.size));
    files.push_back(std::move(f));
  }
  return files;
}

Result<std::string> Sha256File(const std::string& path, uint64_t* size) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return Status::IoError(Errno("cannot open", path), path);
  return Sha256Fd(fd.get(), path, size);
}

Result<std::string> Sha256Fd(int fd, const std::string& path, uint64_t* size) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
    return Status::Internal("OpenSSL SHA-256 is not available");
  std::unique_ptr<char[]> buf(new char[kHashChunk]);
  *size = 0;
  for (;;) {
    ssize_t n = read(fd, buf.get(), kHashChunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::IoError(Errno("cannot read", path), path);
    if (n == 0) break;
    EVP_DigestUpdate(ctx.get(), buf.get(), static_cast<size_t>(n));
    *size += static_cast<uint64_t>(n);
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> md;
  unsigned int md_len = 0;
  EVP_DigestFinal_ex(ctx.get(), md.data(), &md_len);
  std::string hex;
  for (unsigned int i = 0; i < md_len; ++i) hex += fmt::format("{:02x}", md[i]);
  return hex;
}

}  // namespace inquest
