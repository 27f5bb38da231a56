// A ChunkReader (input_file.h) that reads the next chunk on a thread of its own while the caller
// works on the current one: decompressing a gzip or zstd file then overlaps parsing it, instead
// of alternating with it on one core.
//
//   ChunkPrefetcher chunks(std::move(stream));
//   std::string_view chunk;
//   for (Result<bool> more; (more = chunks.Next(&chunk)).ok() && *more;) Parse(chunk);
//   if (chunks.over_limit()) return chunks.error();
//
// Same contract as ChunkReader: runs of whole lines, the view valid until the next call, the
// offset of each chunk in the decompressed data, the error that ended the stream early.
// Memory: three chunk buffers (the reader's, the one handed over, the caller's). The thread is
// stopped and joined when the prefetcher is destroyed, read to its end or not.
#ifndef INQUEST_BASE_CHUNK_PREFETCH_H_
#define INQUEST_BASE_CHUNK_PREFETCH_H_

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "base/decompress.h"
#include "base/input_file.h"
#include "base/status.h"

namespace inquest {

class ChunkPrefetcher {
 public:
  explicit ChunkPrefetcher(std::unique_ptr<ByteStream> stream, size_t chunk_bytes = 8 << 20);
  ~ChunkPrefetcher();
  ChunkPrefetcher(const ChunkPrefetcher&) = delete;
  ChunkPrefetcher& operator=(const ChunkPrefetcher&) = delete;

  // Sets *chunk to the next run of whole lines; false at the end.
  Result<bool> Next(std::string_view* chunk);
  // Bytes delivered before the current chunk.
  uint64_t offset() const { return offset_; }
  // Why the stream ended early, or OK; whether it ended at the expansion limits. As
  // ChunkReader's, known from the chunk on which the reader met them.
  const Status& error() const { return error_; }
  bool over_limit() const { return over_limit_; }

 private:
  void Produce();

  ChunkReader reader_;  // used by the thread only
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  // The chunk handed over: full when `ready_`, else being filled.
  std::string next_;
  uint64_t next_offset_ = 0;
  Status next_error_;  // the reader's error() and over_limit() as it handed the chunk over
  bool next_over_limit_ = false;
  bool ready_ = false;
  bool done_ = false;  // the reader has no more chunks (after `next_` when ready_)
  bool stop_ = false;  // the caller is gone
  Status failed_;      // the reader's Next failed with this
  // The caller's side.
  std::string current_;
  uint64_t offset_ = 0;
  Status error_;
  bool over_limit_ = false;
};

}  // namespace inquest

#endif  // INQUEST_BASE_CHUNK_PREFETCH_H_
