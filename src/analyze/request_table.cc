#include "analyze/request_table.h"

#include <absl/container/flat_hash_set.h>
#include <absl/hash/hash.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <mutex>
#include <queue>
#include <type_traits>

#include "base/large_pages.h"
#include "base/spill_file.h"
#include "base/stable_hash.h"

namespace inquest {
namespace {

static_assert(std::is_trivially_copyable_v<RequestOutcome>, "runs are written as bytes");
static_assert((kRequestShards & (kRequestShards - 1)) == 0, "a power of two");

size_t ShardOf(uint64_t hash) { return static_cast<size_t>(hash >> 32) & (kRequestShards - 1); }

bool ByHash(const RequestOutcome& a, const RequestOutcome& b) { return a.id_hash < b.id_hash; }

// A request as the table holds it: RequestOutcome packed into 34 bytes, the key included (the
// map of a hash to an outcome took 48). The table is touched at random, a million requests deep:
// each byte of a slot is a byte of memory touched first and of cache missed.
struct __attribute__((packed)) Slot {
  uint64_t id_hash;
  mutable TimePoint first, last;
  mutable Level last_level;
  mutable uint8_t error_file_count;
  mutable uint16_t error_files[kMaxErrorFiles];
};
static_assert(sizeof(Slot) == 34, "packed");

// The fields of an outcome but its hash, from one form to the other (a Slot's are mutable:
// a slot in the set is updated in place).
template <typename From, typename To>
void CopyOutcome(const From& from, To& to) {
  to.first = from.first;
  to.last = from.last;
  to.last_level = from.last_level;
  to.error_file_count = from.error_file_count;
  std::memcpy(to.error_files, from.error_files, sizeof from.error_files);
}

Slot Pack(const RequestOutcome& r) {
  Slot s;
  s.id_hash = r.id_hash;
  CopyOutcome(r, s);
  return s;
}

RequestOutcome Unpack(const Slot& s) {
  RequestOutcome r;
  r.id_hash = s.id_hash;
  CopyOutcome(s, r);
  return r;
}

// Slots are looked up by their hash alone.
struct SlotHash {
  using is_transparent = void;
  size_t operator()(uint64_t h) const { return absl::Hash<uint64_t>{}(h); }
  size_t operator()(const Slot& s) const { return (*this)(uint64_t{s.id_hash}); }
};
struct SlotEq {
  using is_transparent = void;
  static uint64_t Key(uint64_t h) { return h; }
  static uint64_t Key(const Slot& s) { return s.id_hash; }
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return Key(a) == Key(b);
  }
};

// Outcomes in hash order. The hashes are uniform, so a counting pass on their top bits puts
// each in one of 2^10 buckets of a few hundred, each then sorted within the cache: a shard's
// half a million outcomes sort in one scatter and many small sorts instead of one large one.
void SortByHash(std::vector<RequestOutcome>* v) {
  constexpr int kBits = 10;
  constexpr size_t kBuckets = size_t{1} << kBits;
  if (v->size() < 4 * kBuckets) {
    std::sort(v->begin(), v->end(), ByHash);
    return;
  }
  auto bucket = [](const RequestOutcome& r) {
    return static_cast<size_t>(r.id_hash >> (64 - kBits));
  };
  std::vector<size_t> start(kBuckets + 1, 0);
  for (const RequestOutcome& r : *v) ++start[bucket(r) + 1];
  for (size_t b = 1; b <= kBuckets; ++b) start[b] += start[b - 1];
  std::vector<RequestOutcome> out(v->size());
  std::vector<size_t> at(start.begin(), start.end() - 1);
  for (const RequestOutcome& r : *v) out[at[bucket(r)]++] = r;
  for (size_t b = 0; b < kBuckets; ++b)
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(start[b]),
              out.begin() + static_cast<std::ptrdiff_t>(start[b + 1]), ByHash);
  v->swap(out);
}

// Outcomes read back from one run, a block at a time.
class RunReader {
 public:
  static constexpr size_t kBlock = 4096;
  RunReader(const SpillFile* file, uint64_t offset, uint64_t count)
      : file_(file), offset_(offset), left_(count) {}
  // The current outcome, or null at the end.
  Result<const RequestOutcome*> Peek() {
    if (pos_ < buf_.size()) return &buf_[pos_];
    if (left_ == 0) return static_cast<const RequestOutcome*>(nullptr);
    size_t n = static_cast<size_t>(std::min<uint64_t>(left_, kBlock));
    buf_.resize(n);
    INQ_RETURN_IF_ERROR(file_->ReadAt(offset_, buf_.data(), n * sizeof(RequestOutcome)));
    offset_ += n * sizeof(RequestOutcome);
    left_ -= n;
    pos_ = 0;
    return &buf_[0];
  }
  void Pop() { ++pos_; }

 private:
  const SpillFile* file_;
  uint64_t offset_, left_;
  std::vector<RequestOutcome> buf_;
  size_t pos_ = 0;
};

}  // namespace

struct RequestTable::Shard {
  struct Run {
    uint64_t offset = 0, count = 0;
  };
  std::mutex mu;
  size_t max_entries = 0;
  // Touched at random, a million requests deep: on huge pages (base/large_pages.h).
  absl::flat_hash_set<Slot, SlotHash, SlotEq, LargePageAllocator<Slot>> map;
  std::vector<Run> runs;
  std::unique_ptr<SpillFile> spill;
  Status status;

  void Add(uint64_t id_hash, TimePoint t, Level level, uint32_t file);
  Status Spill();
  Status ForEach(const std::function<void(const RequestOutcome&)>& fn) const;
};

uint64_t HashRequestId(std::string_view id) {
  // Stable across runs and builds, so spilled runs and outputs never depend on the process.
  return StableHash64(id);
}

void CombineOutcomes(RequestOutcome& into, const RequestOutcome& from) {
  if (into.first == kNoTime || (from.first != kNoTime && from.first < into.first))
    into.first = from.first;
  if (into.last == kNoTime || from.last > into.last) {
    into.last = from.last;
    into.last_level = from.last_level;
  } else if (from.last == into.last && from.last_level > into.last_level) {
    into.last_level = from.last_level;
  }
  for (uint8_t i = 0; i < from.error_file_count; ++i) {
    uint16_t f = from.error_files[i];
    bool known = std::find(into.error_files, into.error_files + into.error_file_count, f) !=
                 into.error_files + into.error_file_count;
    if (!known && into.error_file_count < kMaxErrorFiles)
      into.error_files[into.error_file_count++] = f;
  }
}

void RequestTable::Shard::Add(uint64_t id_hash, TimePoint t, Level level, uint32_t file) {
  RequestOutcome one;
  one.id_hash = id_hash;
  one.first = one.last = t;
  one.last_level = level;
  if (level >= Level::kError && file < 65536) {
    one.error_files[0] = static_cast<uint16_t>(file);
    one.error_file_count = 1;
  }
  bool inserted = false;
  auto it = map.lazy_emplace(id_hash, [&](const auto& make) {
    make(Pack(one));
    inserted = true;
  });
  if (!inserted) {
    RequestOutcome r = Unpack(*it);
    CombineOutcomes(r, one);
    CopyOutcome(r, *it);
  }
  if (map.size() >= max_entries && status.ok()) status = Spill();
}

Status RequestTable::Shard::Spill() {
  if (map.empty()) return Status::Ok();
  if (!spill) {
    INQ_ASSIGN_OR_RETURN(SpillFile f, SpillFile::Create("request table"));
    spill = std::make_unique<SpillFile>(std::move(f));
  }
  std::vector<RequestOutcome> sorted;
  sorted.reserve(map.size());
  for (const Slot& r : map) sorted.push_back(Unpack(r));
  SortByHash(&sorted);
  Run run{spill->size(), sorted.size()};
  INQ_RETURN_IF_ERROR(spill->Append(sorted.data(), sorted.size() * sizeof(RequestOutcome)));
  runs.push_back(run);
  // Empty again, at the size it reached: a table that spilled once will fill again, and growing
  // from nothing would rehash it all over.
  map = {};
  map.reserve(max_entries);
  return Status::Ok();
}

Status RequestTable::Shard::ForEach(const std::function<void(const RequestOutcome&)>& fn) const {
  INQ_RETURN_IF_ERROR(status);
  if (runs.empty()) {
    for (const Slot& r : map) fn(Unpack(r));
    return Status::Ok();
  }
  // A k-way merge by hash over the runs and the (sorted) requests still in memory.
  std::vector<RequestOutcome> mem;
  mem.reserve(map.size());
  for (const Slot& r : map) mem.push_back(Unpack(r));
  SortByHash(&mem);
  std::vector<RunReader> readers;
  readers.reserve(runs.size());
  for (const Run& r : runs) readers.emplace_back(spill.get(), r.offset, r.count);
  size_t mem_pos = 0;
  using Head = std::pair<uint64_t, size_t>;  // hash, source (readers.size() = memory)
  std::priority_queue<Head, std::vector<Head>, std::greater<>> heap;
  for (size_t i = 0; i < readers.size(); ++i) {
    INQ_ASSIGN_OR_RETURN(const RequestOutcome* p, readers[i].Peek());
    if (p) heap.emplace(p->id_hash, i);
  }
  if (!mem.empty()) heap.emplace(mem[0].id_hash, readers.size());
  RequestOutcome cur;
  bool have = false;
  while (!heap.empty()) {
    auto [hash, src] = heap.top();
    heap.pop();
    RequestOutcome next;
    if (src == readers.size()) {
      next = mem[mem_pos++];
      if (mem_pos < mem.size()) heap.emplace(mem[mem_pos].id_hash, src);
    } else {
      INQ_ASSIGN_OR_RETURN(const RequestOutcome* p, readers[src].Peek());
      next = *p;
      readers[src].Pop();
      INQ_ASSIGN_OR_RETURN(const RequestOutcome* q, readers[src].Peek());
      if (q) heap.emplace(q->id_hash, src);
    }
    if (have && cur.id_hash == next.id_hash) {
      CombineOutcomes(cur, next);
      continue;
    }
    if (have) fn(cur);
    cur = next;
    have = true;
  }
  if (have) fn(cur);
  return Status::Ok();
}

RequestTable::RequestTable(size_t max_entries)
    : shards_(std::make_unique<Shard[]>(kRequestShards)) {
  for (size_t i = 0; i < kRequestShards; ++i) {
    shards_[i].max_entries = std::max<size_t>(1, max_entries / kRequestShards);
    // Room for half the limit up front: the growth of a table to a million requests
    // rehashes everything several times otherwise. Only the control bytes are touched.
    shards_[i].map.reserve(shards_[i].max_entries / 2);
  }
}

RequestTable::~RequestTable() = default;

void RequestTable::Add(uint64_t id_hash, TimePoint t, Level level, uint32_t file) {
  shards_[ShardOf(id_hash)].Add(id_hash, t, level, file);
}

void RequestTable::Fold(std::vector<RequestRecord>* batch) {
  // Records by shard (a stable counting sort), then each shard's run under its lock.
  std::array<size_t, kRequestShards + 1> start{};
  for (const RequestRecord& r : *batch) ++start[ShardOf(r.id_hash) + 1];
  for (size_t s = 1; s <= kRequestShards; ++s) start[s] += start[s - 1];
  std::vector<RequestRecord> sorted(batch->size());
  std::array<size_t, kRequestShards> at{};
  for (size_t s = 0; s < kRequestShards; ++s) at[s] = start[s];
  for (const RequestRecord& r : *batch) sorted[at[ShardOf(r.id_hash)]++] = r;
  for (size_t s = 0; s < kRequestShards; ++s) {
    if (start[s] == start[s + 1]) continue;
    Shard& sh = shards_[s];
    std::lock_guard<std::mutex> lock(sh.mu);
    // The table is far larger than the caches: ask for the slot a few records ahead.
    constexpr size_t kAhead = 8;
    for (size_t k = start[s]; k < start[s + 1]; ++k) {
      if (k + kAhead < start[s + 1]) sh.map.prefetch(sorted[k + kAhead].id_hash);
      sh.Add(sorted[k].id_hash, sorted[k].time, sorted[k].level, sorted[k].file);
    }
  }
  batch->clear();
}

Status RequestTable::ForEach(const std::function<void(const RequestOutcome&)>& fn) const {
  for (size_t s = 0; s < kRequestShards; ++s) INQ_RETURN_IF_ERROR(shards_[s].ForEach(fn));
  return Status::Ok();
}

Status RequestTable::ForEachInShard(size_t shard,
                                    const std::function<void(const RequestOutcome&)>& fn) const {
  return shards_[shard].ForEach(fn);
}

Status RequestTable::status() const {
  for (size_t s = 0; s < kRequestShards; ++s)
    if (!shards_[s].status.ok()) return shards_[s].status;
  return Status::Ok();
}

size_t RequestTable::in_memory() const {
  size_t n = 0;
  for (size_t s = 0; s < kRequestShards; ++s) n += shards_[s].map.size();
  return n;
}

size_t RequestTable::runs() const {
  size_t n = 0;
  for (size_t s = 0; s < kRequestShards; ++s) n += shards_[s].runs.size();
  return n;
}

}  // namespace inquest
