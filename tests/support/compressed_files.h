// Compressed test data and a temporary file to hold it, for the tests of the readers that
// decompress (base/input_file, base/chunk_prefetch).
#ifndef INQUEST_TESTS_SUPPORT_COMPRESSED_FILES_H_
#define INQUEST_TESTS_SUPPORT_COMPRESSED_FILES_H_

#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdlib>
#include <string>

namespace inquest {

// A file under /tmp holding `bytes`, removed with the object.
class TempFile {
 public:
  explicit TempFile(const std::string& bytes) {
    char tmpl[] = "/tmp/inquest-test-XXXXXX";
    int fd = mkstemp(tmpl);
    path_ = tmpl;
    if (write(fd, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size())) abort();
    close(fd);
  }
  ~TempFile() { unlink(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline std::string Gzip(const std::string& in) {
  z_stream z = {};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, in.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

inline std::string Zstd(const std::string& in) {
  std::string out(ZSTD_compressBound(in.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3));
  return out;
}

// `n` timestamped lines.
inline std::string ManyLines(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += "2026-05-29T14:11:08Z line " + std::to_string(i) + "\n";
  return s;
}

}  // namespace inquest

#endif  // INQUEST_TESTS_SUPPORT_COMPRESSED_FILES_H_
