// CSV exports read with libcsv: a header row, then records whose quoted fields may hold
// delimiters, "" quotes and newlines; each record with the line and offset where it starts.
#include "evidence/csv_records.h"

#include <csv.h>
#include <fmt/format.h>

#include "base/strings.h"
#include "base/time.h"

namespace inquest {
namespace {

// A CSV record longer than this many lines is a quote left open: reported, not taken.
constexpr uint64_t kMaxCsvRecordLines = 256;
// A header cell longer than this is data, not a column name.
constexpr size_t kMaxHeaderCell = 64;
// Delimiters a CSV export may use, most common first.
constexpr char kDelimiters[] = {',', ';', '\t', '|'};

// CSV cells of one line, for sniffing the header (no quoted newlines in a header).
std::vector<std::string> SplitCsvLine(std::string_view line, char delim) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cells.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cells.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == delim) {
      cells.emplace_back();
    } else {
      cells.back() += c;
    }
  }
  return cells;
}

struct CsvState {
  std::string_view data;
  std::vector<std::string> row;
  uint64_t row_line = 1, row_offset = 0;  // where the row being read starts
  uint64_t line = 1;                      // the line being fed
  uint64_t line_offset = 0;
  uint64_t row_end = 0;  // offset just past the row being read
  size_t max = 0;
  bool done = false;
  RecordTable* t = nullptr;
};

void OnCsvField(void* s, size_t len, void* st) {
  auto* state = static_cast<CsvState*>(st);
  if (state->done) return;
  state->row.emplace_back(static_cast<const char*>(s), len);
}

void OnCsvRow(int, void* st) {
  auto* state = static_cast<CsvState*>(st);
  std::vector<std::string> row = std::move(state->row);
  state->row.clear();
  uint64_t start_line = state->row_line, start_offset = state->row_offset;
  state->row_line = state->line + 1;
  state->row_offset = state->line_offset + 1;
  if (state->done) return;
  bool blank = row.empty() || (row.size() == 1 && TrimSpace(row[0]).empty());
  if (blank) return;
  RecordTable* t = state->t;
  if (state->line - start_line + 1 > kMaxCsvRecordLines) {
    ++t->rejected;
    t->problems.push_back(
        {start_line, start_offset,
         fmt::format("a quoted field opened here runs over {} lines: a quote left open",
                     state->line - start_line + 1)});
    return;
  }
  if (t->columns.empty()) {
    for (std::string& c : row) t->columns.push_back(std::string(TrimSpace(c)));
    return;
  }
  FlatRecord r;
  r.line = start_line;
  r.offset = start_offset;
  if (start_offset < state->data.size())
    r.raw = state->data.substr(start_offset, state->line_offset - start_offset);
  if (row.size() != t->columns.size())
    t->problems.push_back({start_line, start_offset,
                           fmt::format("{} fields where the header has {}: read by position",
                                       row.size(), t->columns.size())});
  for (size_t i = 0; i < row.size() && i < t->columns.size(); ++i)
    r.fields.emplace_back(t->columns[i], std::string(TrimSpace(row[i])));
  t->records.push_back(std::move(r));
  if (state->max && t->records.size() >= state->max) state->done = true;
}

}  // namespace

void ReadCsvRecords(std::string_view data, char delim, size_t max, RecordTable* t) {
  csv_parser p;
  if (csv_init(&p, CSV_APPEND_NULL | CSV_REPALL_NL) != 0) return;
  csv_set_delim(&p, static_cast<unsigned char>(delim));
  CsvState st;
  st.data = data;
  st.max = max;
  st.t = t;
  // Fed a line at a time, so that each row's first line and offset are known.
  size_t pos = 0;
  while (pos < data.size() && !st.done) {
    size_t nl = data.find('\n', pos);
    size_t end = nl == std::string_view::npos ? data.size() : nl + 1;
    st.line_offset = end - 1;
    csv_parse(&p, data.data() + pos, end - pos, OnCsvField, OnCsvRow, &st);
    ++st.line;
    pos = end;
  }
  // A cut head ends mid-row: only a complete file's last row is taken.
  if (!st.done && !max) {
    --st.line;
    st.line_offset = data.size();
    csv_fini(&p, OnCsvField, OnCsvRow, &st);
  }
  csv_free(&p);
}

// The delimiter of a CSV header line, or 0 when `line` is not a header: two or more short
// cells, none of them empty-heavy, none a time or a number (a header names, data has values).
char CsvHeaderDelimiter(std::string_view line) {
  char best = 0;
  size_t best_cells = 1;
  for (char d : kDelimiters) {
    std::vector<std::string> cells = SplitCsvLine(line, d);
    if (cells.size() <= best_cells) continue;
    bool header = true;
    size_t empty = 0;
    for (const std::string& raw : cells) {
      std::string_view c = TrimSpace(raw);
      ParsedTime pt;
      if (c.empty()) {
        ++empty;
        continue;
      }
      if (c.size() > kMaxHeaderCell || ParseTimeValue(c, {}, &pt) || ParseDouble(c)) {
        header = false;
        break;
      }
    }
    if (header && empty * 2 < cells.size()) {
      best = d;
      best_cells = cells.size();
    }
  }
  return best;
}

}  // namespace inquest
