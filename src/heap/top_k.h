// The k objects of largest key among n, without sorting or copying all n: a heap of k.
#ifndef INQUEST_HEAP_TOP_K_H_
#define INQUEST_HEAP_TOP_K_H_

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace inquest::heap {

// The `k` objects of largest nonzero key, largest first (ties: lower number first), without a
// copy of all objects: a heap of k.
template <typename Key>
std::vector<uint32_t> TopBy(uint32_t n, size_t k, Key key) {
  using Entry = std::pair<uint64_t, uint32_t>;
  auto better = [](const Entry& a, const Entry& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  };
  std::vector<Entry> heap;  // the worst kept on top (the "greatest" under better)
  for (uint32_t i = 0; i < n && k > 0; ++i) {
    uint64_t v = key(i);
    if (v == 0) continue;
    Entry e{v, i};
    if (heap.size() < k) {
      heap.push_back(e);
      std::push_heap(heap.begin(), heap.end(), better);
    } else if (better(e, heap.front())) {
      std::pop_heap(heap.begin(), heap.end(), better);
      heap.back() = e;
      std::push_heap(heap.begin(), heap.end(), better);
    }
  }
  std::sort(heap.begin(), heap.end(), better);
  std::vector<uint32_t> out;
  for (const Entry& e : heap) out.push_back(e.second);
  return out;
}

}  // namespace inquest::heap

#endif  // INQUEST_HEAP_TOP_K_H_
