#include "evidence/flat_records.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>

#include "base/input_file.h"
#include "base/strings.h"
#include "base/time.h"
#include "evidence/csv_records.h"

namespace inquest {
namespace {

// Nesting deeper than this is not a record of an export; it also bounds the recursion.
constexpr int kMaxDepth = 8;

// False when the JSON is malformed part-way (On Demand parses lazily).
bool Flatten(simdjson::ondemand::value v, const std::string& prefix, int depth,
             std::vector<std::pair<std::string, std::string>>* out) {
  simdjson::ondemand::json_type type;
  if (v.type().get(type)) return false;
  switch (type) {
    case simdjson::ondemand::json_type::object: {
      if (depth >= kMaxDepth) return true;  // skipped, not wrong
      simdjson::ondemand::object obj;
      if (v.get_object().get(obj)) return false;
      for (auto field : obj) {
        if (field.error()) return false;
        std::string_view key;
        if (field.unescaped_key().get(key)) return false;
        std::string name = prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
        simdjson::ondemand::value child;
        if (field.value().get(child)) return false;
        if (!Flatten(child, name, depth + 1, out)) return false;
      }
      return true;
    }
    case simdjson::ondemand::json_type::string: {
      std::string_view s;
      if (v.get_string().get(s)) return false;
      out->emplace_back(prefix, std::string(s));
      return true;
    }
    case simdjson::ondemand::json_type::array: {
      // Lists of tags, links or reactions: their presence is kept, their items are not.
      simdjson::ondemand::array arr;
      if (v.get_array().get(arr)) return false;
      for (auto item : arr)
        if (item.error()) return false;
      out->emplace_back(prefix, "[]");
      return true;
    }
    default: {
      std::string_view raw = v.raw_json_token();
      out->emplace_back(prefix, std::string(TrimSpace(raw)));
      return true;
    }
  }
}

// Parses one JSON object's text into `rec`; false (with *why) when it is not one.
bool ParseObject(simdjson::ondemand::parser& parser, std::string_view text, FlatRecord* rec,
                 std::string* why) {
  simdjson::padded_string padded(text);
  simdjson::ondemand::document doc;
  simdjson::ondemand::value root;
  if (parser.iterate(padded).get(doc) || doc.get_value().get(root)) {
    *why = "not valid JSON";
    return false;
  }
  simdjson::ondemand::json_type type;
  if (root.type().get(type) || type != simdjson::ondemand::json_type::object) {
    *why = "not a JSON object";
    return false;
  }
  if (!Flatten(root, "", 0, &rec->fields)) {
    *why = "not valid JSON";
    return false;
  }
  rec->raw = text;
  return true;
}

void AddColumns(const FlatRecord& r, RecordTable* t) {
  for (const auto& [k, v] : r.fields)
    if (std::find(t->columns.begin(), t->columns.end(), k) == t->columns.end() &&
        t->columns.size() < 256)
      t->columns.push_back(k);
}

void ScanArray(std::string_view data, size_t open, size_t max, uint64_t base_line,
               uint64_t base_offset, RecordTable* t);
size_t FindRecordArray(std::string_view data, size_t root);

// Whether any field of `r` holds a time: a wrapper (a webhook delivery, an API page) has none
// of its own, its records do.
bool HasTimeValue(const FlatRecord& r) {
  for (const auto& [k, v] : r.fields) {
    ParsedTime pt;
    if (ParseTimeValue(v, {}, &pt)) return true;
  }
  return false;
}

void ReadJsonLines(std::string_view data, size_t max, RecordTable* t) {
  simdjson::ondemand::parser parser;
  LineIterator it(data);
  std::string_view line;
  uint64_t line_no = 0;
  while (it.Next(&line)) {
    ++line_no;
    std::string_view trimmed = TrimSpace(line);
    if (trimmed.empty()) continue;
    bool last = it.line_offset() + line.size() >= data.size();
    FlatRecord r;
    r.line = line_no;
    r.offset = it.line_offset();
    std::string why;
    if (trimmed.front() == '{' && ParseObject(parser, trimmed, &r, &why)) {
      // One delivery per line ({"alerts": [...]}, {"log_entries": [...]}): its items are the
      // records.
      if (size_t open = HasTimeValue(r) ? std::string_view::npos : FindRecordArray(trimmed, 0);
          open != std::string_view::npos) {
        ScanArray(trimmed, open, max, line_no, it.line_offset() + (trimmed.data() - line.data()),
                  t);
        if (max && t->records.size() >= max) return;
        continue;
      }
      AddColumns(r, t);
      t->records.push_back(std::move(r));
      if (max && t->records.size() >= max) return;
      continue;
    }
    if (last && max && trimmed.front() == '{') return;  // a cut head's last line
    ++t->rejected;
    t->problems.push_back({line_no, it.line_offset(), why.empty() ? "not a JSON object" : why});
  }
}

// One step of a scan over JSON text: whether data[*i] belongs to a string (its quotes
// included), in which case it is not structural. Tracks *in_string across calls and steps *i
// over an escaped character.
bool InString(std::string_view data, size_t* i, bool* in_string) {
  char c = data[*i];
  if (*in_string) {
    if (c == '\\') {
      ++*i;
    } else if (c == '"') {
      *in_string = false;
    }
    return true;
  }
  if (c == '"') *in_string = true;
  return *in_string;
}

// Reads each top-level object of the array that opens at `open` (the '[') as a record; stops
// at the array's end, at a cut, or after `max` records. `data` starts at line `base_line` and
// byte `base_offset` of the file.
void ScanArray(std::string_view data, size_t open, size_t max, uint64_t base_line,
               uint64_t base_offset, RecordTable* t) {
  simdjson::ondemand::parser parser;
  int depth = 0;
  bool in_string = false;
  size_t begin = 0;
  uint64_t line = base_line + std::count(data.begin(), data.begin() + open, '\n');
  uint64_t begin_line = line;
  for (size_t i = open + 1; i < data.size(); ++i) {
    char c = data[i];
    if (c == '\n') ++line;
    if (InString(data, &i, &in_string)) continue;
    if (c == '{' || c == '[') {
      if (depth == 0) {
        begin = i;
        begin_line = line;
      }
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == 0) return;  // the array's own end
      if (--depth > 0) continue;
      FlatRecord r;
      r.line = begin_line;
      r.offset = base_offset + begin;
      std::string why;
      if (data[begin] == '{' && ParseObject(parser, data.substr(begin, i + 1 - begin), &r, &why)) {
        AddColumns(r, t);
        t->records.push_back(std::move(r));
        if (max && t->records.size() >= max) return;
      } else {
        ++t->rejected;
        t->problems.push_back(
            {begin_line, base_offset + begin, why.empty() ? "not a JSON object" : why});
      }
    }
  }
}

// Where the records' array opens: the root itself, or the first array of objects directly
// inside the root object. npos when there is none.
size_t FindRecordArray(std::string_view data, size_t root) {
  if (data[root] == '[') return root;
  int depth = 0;
  bool in_string = false;
  for (size_t i = root; i < data.size(); ++i) {
    char c = data[i];
    if (InString(data, &i, &in_string)) continue;
    if (c == '{' || c == '[') {
      ++depth;
      if (c == '[' && depth == 2) {
        size_t j = data.find_first_not_of(" \t\r\n", i + 1);
        if (j != std::string_view::npos && data[j] == '{') return i;
      }
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return std::string_view::npos;
    }
  }
  return std::string_view::npos;
}

}  // namespace

std::string_view RecordLayoutName(RecordLayout l) {
  switch (l) {
    case RecordLayout::kJsonLines:
      return "JSON lines";
    case RecordLayout::kJsonArray:
      return "JSON array";
    case RecordLayout::kCsv:
      return "CSV";
    case RecordLayout::kNone:
      break;
  }
  return "none";
}

const std::string* FlatRecord::Find(std::string_view key) const {
  for (const auto& [k, v] : fields)
    if (k == key) return &v;
  return nullptr;
}

RecordLayout SniffRecordLayout(std::string_view data) {
  size_t root = data.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (root == std::string_view::npos) return RecordLayout::kNone;
  if (data[root] == '[') return RecordLayout::kJsonArray;
  std::string_view first = data.substr(root);
  if (size_t nl = first.find('\n'); nl != std::string_view::npos) first = first.substr(0, nl);
  first = TrimSpace(first);
  if (data[root] == '{') {
    // One object per line, or one document spread over lines.
    if (first.back() == '}') return RecordLayout::kJsonLines;
    return FindRecordArray(data, root) == std::string_view::npos ? RecordLayout::kNone
                                                                 : RecordLayout::kJsonArray;
  }
  return CsvHeaderDelimiter(first) ? RecordLayout::kCsv : RecordLayout::kNone;
}

RecordTable ReadRecordTable(std::string_view data, size_t max_records) {
  RecordTable t;
  t.layout = SniffRecordLayout(data);
  size_t root = data.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  switch (t.layout) {
    case RecordLayout::kJsonLines:
      ReadJsonLines(data, max_records, &t);
      break;
    case RecordLayout::kJsonArray: {
      size_t open = FindRecordArray(data, root);
      if (open != std::string_view::npos) ScanArray(data, open, max_records, 1, 0, &t);
      break;
    }
    case RecordLayout::kCsv: {
      std::string_view first = data.substr(root);
      first = TrimSpace(first.substr(0, first.find('\n')));
      ReadCsvRecords(data, CsvHeaderDelimiter(first), max_records, &t);
      break;
    }
    case RecordLayout::kNone:
      break;
  }
  return t;
}

}  // namespace inquest
