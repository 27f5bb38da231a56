// The CSV part of evidence/flat_records.h: finding a header row and reading the records under
// it with libcsv.
#ifndef INQUEST_EVIDENCE_CSV_RECORDS_H_
#define INQUEST_EVIDENCE_CSV_RECORDS_H_

#include <cstddef>
#include <string_view>

#include "evidence/flat_records.h"

namespace inquest {

// The delimiter (',', ';', tab or '|') of `line` when it is a CSV header: two or more short
// cells, mostly non-empty, none a time or a number (a header names, data has values); 0 when
// it is not one.
char CsvHeaderDelimiter(std::string_view line);

// Reads `data` (header row first) into `t`: its columns, its records (each with the line and
// offset where it starts), and problems (rows of another width, a quote left open). Stops
// after `max` records (0: all); with a limit, a last row cut by the end of `data` is dropped.
void ReadCsvRecords(std::string_view data, char delim, size_t max, RecordTable* t);

}  // namespace inquest

#endif  // INQUEST_EVIDENCE_CSV_RECORDS_H_
