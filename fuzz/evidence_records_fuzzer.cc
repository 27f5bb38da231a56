// Records of an export (JSON lines, JSON arrays, CSV through libcsv) and their classification:
// read whole, read as a cut head, and classified.
#include <string_view>

#include "evidence/flat_records.h"
#include "evidence/record_roles.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  inquest::RecordTable whole = inquest::ReadRecordTable(text);
  inquest::ClassifyTable(whole);
  inquest::ClassifyRecords(text);
  return 0;
}
