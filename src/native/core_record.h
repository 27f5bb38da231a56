// A CoreReport as a byte record, the way the unwinding worker process hands it to its parent:
// little-endian fixed-width integers and length-prefixed strings, in field order, behind a
// magic and version. Decoding trusts nothing: every length and count is checked against the
// bytes left, so a child that died mid-write gives an error naming the byte offset, never a
// crash or a huge allocation.
#ifndef INQUEST_NATIVE_CORE_RECORD_H_
#define INQUEST_NATIVE_CORE_RECORD_H_

#include <string>
#include <string_view>

#include "base/status.h"
#include "native/core_analysis.h"
#include "native/core_report.h"

namespace inquest {

std::string EncodeCoreReport(const CoreReport& report);

// BadInput with the byte offset where the record stops making sense.
Result<CoreReport> DecodeCoreReport(std::string_view bytes);

// What the parent asks of a worker (core_worker.h): the core's path, its options and the
// worker's limits with every default already resolved.
struct CoreRequest {
  std::string path;
  CoreOptions options;
};

std::string EncodeCoreRequest(const CoreRequest& request);
Result<CoreRequest> DecodeCoreRequest(std::string_view bytes);

}  // namespace inquest

#endif  // INQUEST_NATIVE_CORE_RECORD_H_
