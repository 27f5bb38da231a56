#include "capture/evidence_dir.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
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
  std::error_code ec;
  std::filesystem::path p(path);
  if (std::filesystem::exists(p, ec)) {
    if (!std::filesystem::is_directory(p, ec)) {
      return Status::InvalidArgument(fmt::format("{} exists and is not a folder", path));
    }
    if (!std::filesystem::is_empty(p, ec)) {
      return Status::InvalidArgument(
          fmt::format("{} is not empty; evidence goes into a new or empty folder", path));
    }
  } else {
    if (p.has_parent_path()) {
      std::filesystem::create_directories(p.parent_path(), ec);
      if (ec) return Status::IoError(fmt::format("cannot create {}: {}", path, ec.message()));
    }
    if (mkdir(path.c_str(), kDirMode) != 0 && errno != EEXIST) {
      return Status::IoError(Errno("cannot create", path), path);
    }
  }
  if (chmod(path.c_str(), kDirMode) != 0) return Status::IoError(Errno("cannot chmod", path));
  return EvidenceDir(std::move(path));
}

std::string EvidenceDir::PathOf(std::string_view name) const {
  return fmt::format("{}/{}", path_, name);
}

Status EvidenceDir::MakeParents(std::string_view name) const {
  if (!SafeName(name)) return Status::Internal(fmt::format("bad evidence name {}", name));
  for (size_t slash = name.find('/'); slash != std::string_view::npos;
       slash = name.find('/', slash + 1)) {
    std::string dir = PathOf(name.substr(0, slash));
    if (mkdir(dir.c_str(), kDirMode) != 0 && errno != EEXIST) {
      return Status::IoError(Errno("cannot create", dir), dir);
    }
  }
  return Status::Ok();
}

Result<int> EvidenceDir::OpenNew(std::string_view name) {
  INQ_RETURN_IF_ERROR(MakeParents(name));
  std::string full = PathOf(name);
  int fd = open(full.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, kFileMode);
  if (fd < 0) return Status::IoError(Errno("cannot create", full), full);
  names_.emplace_back(name);
  return fd;
}

Status EvidenceDir::Write(std::string_view name, std::string_view bytes) {
  INQ_ASSIGN_OR_RETURN(int fd, OpenNew(name));
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + off, bytes.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Status s = Status::IoError(Errno("cannot write", PathOf(name)), PathOf(name));
      close(fd);
      return s;
    }
    off += static_cast<size_t>(n);
  }
  if (close(fd) != 0) return Status::IoError(Errno("cannot write", PathOf(name)), PathOf(name));
  return Status::Ok();
}

Status EvidenceDir::Adopt(std::string_view name) {
  if (!SafeName(name)) return Status::Internal(fmt::format("bad evidence name {}", name));
  std::string full = PathOf(name);
  struct stat st;
  if (lstat(full.c_str(), &st) != 0) return Status::IoError(Errno("missing", full), full);
  if (!S_ISREG(st.st_mode)) return Status::IoError(full + " is not a regular file", full);
  if (chmod(full.c_str(), kFileMode) != 0) return Status::IoError(Errno("cannot chmod", full));
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
    INQ_ASSIGN_OR_RETURN(f.sha256, Sha256File(PathOf(name), &f.size));
    files.push_back(std::move(f));
  }
  return files;
}

Result<std::string> Sha256File(const std::string& path, uint64_t* size) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError(Errno("cannot open", path), path);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    close(fd);
    return Status::Internal("OpenSSL SHA-256 is not available");
  }
  std::unique_ptr<char[]> buf(new char[kHashChunk]);
  *size = 0;
  for (;;) {
    ssize_t n = read(fd, buf.get(), kHashChunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status s = Status::IoError(Errno("cannot read", path), path);
      close(fd);
      return s;
    }
    if (n == 0) break;
    EVP_DigestUpdate(ctx.get(), buf.get(), static_cast<size_t>(n));
    *size += static_cast<uint64_t>(n);
  }
  close(fd);
  std::array<unsigned char, EVP_MAX_MD_SIZE> md;
  unsigned int md_len = 0;
  EVP_DigestFinal_ex(ctx.get(), md.data(), &md_len);
  std::string hex;
  for (unsigned int i = 0; i < md_len; ++i) hex += fmt::format("{:02x}", md[i]);
  return hex;
}

}  // namespace inquest
