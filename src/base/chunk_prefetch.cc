#include "base/chunk_prefetch.h"

#include <fmt/format.h>

#include <new>
#include <utility>

namespace inquest {

ChunkPrefetcher::ChunkPrefetcher(std::unique_ptr<ByteStream> stream, size_t chunk_bytes)
    : reader_(std::move(stream), chunk_bytes) {
  thread_ = std::thread([this] { Produce(); });
}

ChunkPrefetcher::~ChunkPrefetcher() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void ChunkPrefetcher::Produce() {
  std::string filled;
  for (;;) {
    std::string_view chunk;
    Result<bool> more = false;
    bool have = false;
    try {
      more = reader_.Next(&chunk);
      have = more.ok() && *more;
      if (have) filled.assign(chunk.data(), chunk.size());
    } catch (const std::bad_alloc&) {
      // A line too long for memory: an error for the caller, not an abort of this thread.
      more = Status::IoError(fmt::format(
          "out of memory after {} bytes: a line longer than memory holds", reader_.offset()));
      have = false;
    }
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return !ready_ || stop_; });
    if (stop_) return;
    next_error_ = reader_.error();
    next_over_limit_ = reader_.over_limit();
    if (!have) {
      if (!more.ok()) failed_ = more.status();
      done_ = true;
      cv_.notify_all();
      return;
    }
    next_.swap(filled);
    next_offset_ = reader_.offset();
    ready_ = true;
    cv_.notify_all();
  }
}

Result<bool> ChunkPrefetcher::Next(std::string_view* chunk) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return ready_ || done_; });
  error_ = next_error_;
  over_limit_ = next_over_limit_;
  if (!ready_) {
    if (!failed_.ok()) return failed_;  // the reader's Next failed: as ChunkReader::Next
    return false;
  }
  current_.swap(next_);
  offset_ = next_offset_;
  ready_ = false;
  lock.unlock();
  cv_.notify_all();
  *chunk = current_;
  return true;
}

}  // namespace inquest
