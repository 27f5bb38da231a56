// Request ids found by recurring across files: an attribute whose values are the request ids of
// other files ("ctx_id=req-9f89…" in a callee's text log, "request_id" in its caller's JSON)
// is that file's request id, whatever its key is called.
#ifndef INQUEST_TIMELINE_SHARED_IDS_H_
#define INQUEST_TIMELINE_SHARED_IDS_H_

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "logs/event.h"

namespace inquest {

// Distinct values of a key sampled per file: enough to judge a share within a few percent.
inline constexpr size_t kSharedIdSample = 512;
// The share of a key's sampled values that must be request ids of other files. A caller's id
// key shares only the requests that called the file with ids (a service calls another for a
// fifth to a half of its requests: a cache hit, a path that needs no call), while a status, a
// path, a user or an order id is another file's request id essentially never: a fifth is far
// above chance and within what a partial call graph gives.
inline constexpr double kSharedIdShare = 0.2;
// Values of fewer distinct values than this are not judged (an enum, a handful of paths).
inline constexpr size_t kSharedIdMinValues = 8;

struct PromotedIdKey {
  size_t file = 0;      // index into the files given
  std::string key;      // the attribute promoted
  double share = 0;     // of its sampled values that are other files' request ids
  size_t promoted = 0;  // records whose request id it set
};

// For each file in which no record carries a request id, finds the attribute whose distinct
// values are most often request ids of the other files (at least kSharedIdShare of them, over
// at least kSharedIdMinValues values) and sets each record's request id from it. The
// attribute's views point into the file's data, as before. Returns what was promoted.
std::vector<PromotedIdKey> PromoteSharedIdKeys(std::span<std::vector<Event>* const> files);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_SHARED_IDS_H_
