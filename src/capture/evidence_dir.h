// A folder of captured evidence: created with mode 0700, every file in it 0600 (dumps hold
// secrets and personal data), each file recorded so that the manifest can list it with its
// size and SHA-256. The folder is opened once, never through a link, and every file and
// sub-folder is created relative to it without following links (base/output_file.h).
//
//   INQ_ASSIGN_OR_RETURN(EvidenceDir dir, EvidenceDir::Create("incident/pid-4242"));
//   INQ_RETURN_IF_ERROR(dir.Write("proc/status", text));
//   std::string core = dir.PathOf("core");  // a tool writes it ...
//   INQ_RETURN_IF_ERROR(dir.Adopt("core"));  // ... then it is made 0600 and recorded
#ifndef INQUEST_CAPTURE_EVIDENCE_DIR_H_
#define INQUEST_CAPTURE_EVIDENCE_DIR_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/output_file.h"
#include "base/status.h"

namespace inquest {

struct EvidenceFile {
  std::string name;  // relative to the folder, '/'-separated
  uint64_t size = 0;
  std::string sha256;  // lower-case hex
};

class EvidenceDir {
 public:
  // Creates `path` (and missing parents) with mode 0700. An existing folder is used only when
  // empty, so that no earlier evidence is mixed in or overwritten, and never when `path` is a
  // symbolic link.
  static Result<EvidenceDir> Create(std::string path);

  const std::string& path() const { return path_; }
  std::string PathOf(std::string_view name) const;

  // Writes a new file (never overwrites; sub-folders are created 0700) with mode 0600.
  Status Write(std::string_view name, std::string_view bytes);
  // Opens a new file for writing (O_EXCL, 0600) and returns its descriptor, for output that a
  // child process streams into; call Adopt() once it is complete.
  Result<int> OpenNew(std::string_view name);
  // Records a file that something else wrote into the folder, forcing its mode to 0600 (a
  // link or anything but a regular file is refused).
  Status Adopt(std::string_view name);

  // SHA-256 and size of every recorded file, read back from disk, in the order recorded.
  Result<std::vector<EvidenceFile>> Hash() const;
  const std::vector<std::string>& names() const { return names_; }

 private:
  explicit EvidenceDir(OutputDir dir) : dir_(std::move(dir)), path_(dir_.path()) {}
  // The folder that holds `name` (its sub-folders made 0700); *leaf gets the file's own name.
  Result<OutputDir> FolderOf(std::string_view name, std::string_view* leaf, bool create) const;
  OutputDir dir_;
  std::string path_;
  std::vector<std::string> names_;
};

// SHA-256 of a file's bytes (OpenSSL), streamed; sets *size.
Result<std::string> Sha256File(const std::string& path, uint64_t* size);
// The same from an open descriptor, read to its end; `path` names it in errors.
Result<std::string> Sha256Fd(int fd, const std::string& path, uint64_t* size);

}  // namespace inquest

#endif  // INQUEST_CAPTURE_EVIDENCE_DIR_H_
