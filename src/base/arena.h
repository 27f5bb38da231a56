// A bump allocator for strings that outlive the line they were decoded from (unescaped JSON
// strings, joined keys). Views it returns stay valid until the Arena is destroyed; moving the
// Arena keeps them valid (blocks are heap-allocated and never move).
#ifndef INQUEST_BASE_ARENA_H_
#define INQUEST_BASE_ARENA_H_

#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace inquest {

class Arena {
 public:
  explicit Arena(size_t block_bytes = 64 << 10) : block_bytes_(block_bytes) {}
  Arena(Arena&&) noexcept = default;
  Arena& operator=(Arena&&) noexcept = default;

  // Returns uninitialised space for n bytes.
  char* Allocate(size_t n) {
    if (n > left_) {
      size_t size = n > block_bytes_ / 4 ? n : block_bytes_;
      blocks_.push_back(std::make_unique<char[]>(size));
      next_ = blocks_.back().get();
      left_ = size;
      total_ += size;
    }
    char* p = next_;
    next_ += n;
    left_ -= n;
    return p;
  }

  std::string_view Copy(std::string_view s) {
    if (s.empty()) return {};
    char* p = Allocate(s.size());
    memcpy(p, s.data(), s.size());
    return {p, s.size()};
  }

  // Bytes reserved from the system so far.
  size_t bytes_reserved() const { return total_; }

 private:
  size_t block_bytes_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* next_ = nullptr;
  size_t left_ = 0;
  size_t total_ = 0;
};

}  // namespace inquest

#endif  // INQUEST_BASE_ARENA_H_
