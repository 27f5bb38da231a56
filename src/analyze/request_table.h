// Every request's outcome, keyed by a 64-bit hash of its id, in bounded memory: the failed-request
// set of `analyze`'s first pass. A request is what the impact counts: placed at its first
// record; failed when its last record (ties: the worst) is at error or above; the files that
// logged an error for it name the services that saw it fail.
//
//   RequestTable t;
//   t.Fold(&batch);          // from any thread: a batch of RequestRecords, each shard locked
//   t.Add(HashRequestId(id), e.time, e.level, e.file);   // one thread only
//   INQ_RETURN_IF_ERROR(t.ForEach([&](const RequestOutcome& r) { ... }));
//
// The table is split into kRequestShards by hash, each with its own lock, so two scanning
// threads fold their batches into different shards at once. Past `max_entries` requests in
// memory a shard is sorted by hash and written to a spill file (base/spill_file.h) as one run,
// and starts again empty; ForEach merges the runs back, so each request is visited once with
// its whole outcome whatever was spilled.
//
// Limits: two ids with the same 64-bit hash count as one request (about one pair in 10^7 among
// 10 million requests). A request logged at error by more than kMaxErrorFiles files names the
// first kMaxErrorFiles of them only.
#ifndef INQUEST_ANALYZE_REQUEST_TABLE_H_
#define INQUEST_ANALYZE_REQUEST_TABLE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "logs/event.h"

namespace inquest {

inline constexpr size_t kMaxErrorFiles = 4;
// Requests held in memory before runs are spilled: 3.5 M, 35 bytes each in the hash tables (a
// packed slot and its control byte). Each of the 8 shards then holds up to 437,500 in a table of
// 2^19 slots (absl grows a table when it is 7/8 full: 458,752 fit), so the tables take 147 MB at
// most, well inside the 512 MB `analyze` aims at. A lower limit would not save memory: past
// 229,376 requests a shard has those 2^19 slots anyway.
inline constexpr size_t kRequestTableMaxEntries = 3'500'000;
// Shards of the table (a power of two).
inline constexpr size_t kRequestShards = 8;
// Records a scanning thread gathers before it folds them into the table.
inline constexpr size_t kRequestBatch = 1 << 14;

struct RequestOutcome {
  uint64_t id_hash = 0;
  TimePoint first = kNoTime, last = kNoTime;
  Level last_level = Level::kUnknown;
  uint8_t error_file_count = 0;
  uint16_t error_files[kMaxErrorFiles] = {};  // file indices (below 65536)
  bool failed() const { return last_level >= Level::kError; }
};

// One record of a request, as the scanning threads hand them over.
struct RequestRecord {
  uint64_t id_hash = 0;
  TimePoint time = kNoTime;
  uint32_t file = 0;
  Level level = Level::kUnknown;
};

// A stable 64-bit hash of a request id as written (case kept: ids are compared as written).
uint64_t HashRequestId(std::string_view id);

class RequestTable {
 public:
  explicit RequestTable(size_t max_entries = kRequestTableMaxEntries);
  ~RequestTable();
  RequestTable(const RequestTable&) = delete;
  RequestTable& operator=(const RequestTable&) = delete;

  // One record of a request. Not thread-safe: use Fold from several threads.
  void Add(uint64_t id_hash, TimePoint t, Level level, uint32_t file);
  // Folds and clears a batch; safe from several threads at once.
  void Fold(std::vector<RequestRecord>* batch);
  // Visits every request once, with everything every run knows of it (shard by shard, each in
  // hash order when it spilled).
  Status ForEach(const std::function<void(const RequestOutcome&)>& fn) const;
  // The same for one shard (below kRequestShards): the shards hold disjoint requests, so
  // several threads may each visit their own shards at once.
  Status ForEachInShard(size_t shard, const std::function<void(const RequestOutcome&)>& fn) const;

  // A spill that failed (the records are still counted in memory, over the budget).
  Status status() const;
  size_t in_memory() const;
  size_t runs() const;

 private:
  struct Shard;
  std::unique_ptr<Shard[]> shards_;
};

// Merges outcome `from` into `into` (same request): earliest first, latest last with the worse
// level on a tie, error files united.
void CombineOutcomes(RequestOutcome& into, const RequestOutcome& from);

}  // namespace inquest

#endif  // INQUEST_ANALYZE_REQUEST_TABLE_H_
