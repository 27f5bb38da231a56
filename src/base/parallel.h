// Running fn(i) for i in [0, n) on a few threads: the calling thread works too, and the call
// returns when every index is done. Indices are handed out one at a time, so uneven items (one
// big file among small ones) keep every thread busy.
//
//   ParallelFor(files.size(), 2, [&](size_t i) { Read(files[i]); });
#ifndef INQUEST_BASE_PARALLEL_H_
#define INQUEST_BASE_PARALLEL_H_

#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace inquest {

template <typename Fn>
void ParallelFor(size_t n, int threads, Fn fn) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < n;) fn(i);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads && static_cast<size_t>(t) < n; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
}

}  // namespace inquest

#endif  // INQUEST_BASE_PARALLEL_H_
