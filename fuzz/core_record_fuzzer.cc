// The byte records between inquest and its core worker (native/core_record.h): a worker that
// died mid-write, or a hostile one, hands the parent any bytes. Whatever decodes must encode
// back to a record that decodes to the same encoding (the format has one spelling per value).
#include <cstdlib>
#include <string>
#include <string_view>

#include "native/core_record.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (inquest::Result<inquest::CoreReport> report = inquest::DecodeCoreReport(bytes); report.ok()) {
    std::string again = inquest::EncodeCoreReport(*report);
    inquest::Result<inquest::CoreReport> back = inquest::DecodeCoreReport(again);
    if (!back.ok() || inquest::EncodeCoreReport(*back) != again) std::abort();
  }
  if (inquest::Result<inquest::CoreRequest> req = inquest::DecodeCoreRequest(bytes); req.ok()) {
    std::string again = inquest::EncodeCoreRequest(*req);
    inquest::Result<inquest::CoreRequest> back = inquest::DecodeCoreRequest(again);
    if (!back.ok() || inquest::EncodeCoreRequest(*back) != again) std::abort();
  }
  return 0;
}
