#include "profile/pprof_legacy.h"

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>
#include <re2/re2.h>

#include <cmath>
#include <cstdlib>
#include <optional>
#include <vector>

#include "base/strings.h"
#include "profile/profile_math.h"

namespace inquest::profile {
namespace {

// The header and sample lines as pprof's legacy parser matches them (unanchored).
const RE2& HeapHeaderRe() {
  static const RE2 re(
      R"(heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] *@ *(heap[_a-z0-9]*|growthz?|fragmentationz?)/?(\d*))");
  return re;
}
const RE2& HeapSampleRe() {
  static const RE2 re(R"((-?\d+): *(-?\d+) *\[ *(\d+): *(\d+) *] @([ x0-9a-f]*))");
  return re;
}
const RE2& JavaAttributeRe() {
  static const RE2 re(R"(([\w ]+)=([\w ]+))");
  return re;
}
const RE2& JavaSampleRe() {
  static const RE2 re(R"( *(\d+) +(\d+) +@ +([ x0-9a-f]*))");
  return re;
}
const RE2& JavaLocationRe() {
  static const RE2 re(R"(^\s*0x([[:xdigit:]]+)\s+(.*)\s*$)");
  return re;
}
const RE2& JavaFileLineRe() {
  static const RE2 re(R"(^(.*)\s+\((.+):(-?[[:digit:]]+)\)$)");
  return re;
}
const RE2& JavaPathRe() {
  static const RE2 re(R"(^(.*)\s+\((.*)\)$)");
  return re;
}
// Lines of a memory map: /proc/<pid>/maps ("start-end perms offset dev inode path") and the brief
// form ("start-end: path (@offset) build-id"), as pprof's legacy reader takes them.
#define INQ_HEX_RANGE R"(\s*(?:0x)?([[:xdigit:]]+)[\s-]?\s*(?:0x)?([[:xdigit:]]+):?)"
#define INQ_PERM R"((?:\s+([-rwxp]+))?)"
const RE2& ProcMapsRe() {
  static const RE2 re(
      "^" INQ_HEX_RANGE INQ_PERM
      R"((?:\s+([[:xdigit:]]+))?\s+[[:xdigit:]]+:[[:xdigit:]]+\s+[[:digit:]]+(?:\s+(\S+))?)");
  return re;
}
const RE2& BriefMapsRe() {
  static const RE2 re("^" INQ_HEX_RANGE INQ_PERM
                      R"((?:\s+(\S+))?(?:\s+\(@([[:xdigit:]]+)\))?(?:\s+([[:xdigit:]]+))?)");
  return re;
}
#undef INQ_HEX_RANGE
#undef INQ_PERM
// A shared library's file name (not the main binary).
const RE2& SharedLibraryRe() {
  static const RE2 re(R"([.]so$|[.]so[._][0-9])");
  return re;
}

// The rate Java's heapz samples at (512 KiB), which its files do not state.
constexpr int64_t kJavaHeapzRate = 524288;

// A sampled allocation of `size` bytes in `count` objects stands for count*scale objects, with
// scale 1/(1-exp(-avg/rate)): the probability that a Poisson sampler of mean `rate` bytes picks
// an object of the average size is 1-exp(-avg/rate). rate <= 1 means every allocation was kept.
std::pair<int64_t, int64_t> ScaleHeapSample(int64_t count, int64_t size, int64_t rate) {
  if (count == 0 || size == 0) return {0, 0};
  if (rate <= 1) return {count, size};
  double avg = static_cast<double>(size) / static_cast<double>(count);
  double scale = 1 / (1 - std::exp(-avg / static_cast<double>(rate)));
  return {GoInt64(static_cast<double>(count) * scale), GoInt64(static_cast<double>(size) * scale)};
}

// Lines of a text, numbered from 1.
class LegacyLines {
 public:
  explicit LegacyLines(std::string_view text) : text_(text) {}
  bool Next(std::string_view* line) {
    if (pos_ >= text_.size()) return false;
    size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos) end = text_.size();
    *line = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    ++number_;
    return true;
  }
  uint64_t number() const { return number_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  uint64_t number_ = 0;
};

// "0x..." numbers of a stack, in order; nullopt when one does not fit 64 bits.
std::optional<std::vector<uint64_t>> HexAddresses(std::string_view s) {
  std::vector<uint64_t> out;
  for (size_t i = s.find("0x"); i != std::string_view::npos; i = s.find("0x", i)) {
    size_t j = i + 2;
    uint64_t v = 0;
    for (; j < s.size() && ((s[j] >= '0' && s[j] <= '9') || (s[j] >= 'a' && s[j] <= 'f')); ++j) {
      if (v > (UINT64_MAX >> 4)) return std::nullopt;
      v = v * 16 + static_cast<uint64_t>(s[j] <= '9' ? s[j] - '0' : s[j] - 'a' + 10);
    }
    if (j > i + 2) out.push_back(v);
    i = j;
  }
  return out;
}

class LegacyBuilder {
 public:
  LegacyBuilder(std::string name, std::string format) {
    p_.source = std::move(name);
    p_.format = std::move(format);
  }
  Profile& profile() { return p_; }

  uint32_t Intern(std::string_view s) {
    auto [it, fresh] =
        strings_.try_emplace(std::string(s), static_cast<uint32_t>(p_.strings.size()));
    if (fresh) p_.strings.emplace_back(s);
    return it->second;
  }
  uint32_t LocationAt(uint64_t address) {
    auto [it, fresh] = by_address_.try_emplace(address, static_cast<uint32_t>(p_.locations.size()));
    if (fresh) {
      Location l;
      l.address = address;
      p_.locations.push_back(l);
    }
    return it->second;
  }
  uint32_t Find(uint64_t address) const {
    auto it = by_address_.find(address);
    return it == by_address_.end() ? kNone : it->second;
  }
  void AddSample(const std::vector<int64_t>& values, const std::vector<uint64_t>& addresses,
                 int64_t block_size) {
    Sample s;
    s.first_location = p_.stack.size();
    s.location_count = static_cast<uint32_t>(addresses.size());
    for (uint64_t a : addresses) p_.stack.push_back(LocationAt(a));
    p_.values.insert(p_.values.end(), values.begin(), values.end());
    s.first_label = p_.labels.size();
    s.label_count = 1;
    p_.labels.push_back(Label{Intern("bytes"), 0, block_size, 0});
    p_.samples.push_back(s);
  }

 private:
  Profile p_;
  absl::flat_hash_map<std::string, uint32_t> strings_{{"", 0}};
  absl::flat_hash_map<uint64_t, uint32_t> by_address_;
};

Status LegacyBad(const std::string& name, uint64_t line, std::string what) {
  return Status::BadInput(std::move(what), SourceLocation{name, line});
}

// The executable mappings of the memory map after the sentinel line ("attr=value" lines define
// $attr for the lines after them); then, as pprof does, adjacent pieces of one file are joined,
// the main binary (the first file that is not a shared library or "[vdso]") moves to the front,
// and each location joins the mapping holding its address (or one unnamed mapping over all).
void ReadMemoryMap(LegacyLines& lines, LegacyBuilder& b) {
  Profile& p = b.profile();
  struct Entry {
    Mapping m;
    std::string file, build_id;
  };
  std::vector<Entry> entries;
  std::vector<std::pair<std::string, std::string>> attrs;
  std::string_view raw;
  while (lines.Next(&raw)) {
    std::string line(raw);
    for (const auto& [name, value] : attrs)
      for (size_t at = line.find(name); at != std::string::npos;
           at = line.find(name, at + value.size()))
        line.replace(at, name.size(), value);
    std::string start, limit, perms, offset, file, build_id;
    bool proc = RE2::PartialMatch(line, ProcMapsRe(), &start, &limit, &perms, &offset, &file);
    if (!proc && !RE2::PartialMatch(line, BriefMapsRe(), &start, &limit, &perms, &file, &offset,
                                    &build_id)) {
      if (size_t eq = line.find('='); eq != std::string::npos)
        attrs.emplace_back("$" + std::string(TrimSpace(line.substr(0, eq))),
                           std::string(TrimSpace(line.substr(eq + 1))));
      continue;
    }
    if (!perms.empty() && perms.find('x') == std::string::npos) continue;
    if (start.size() > 16 || limit.size() > 16 || offset.size() > 16) continue;
    Entry e;
    e.m.start = std::strtoull(start.c_str(), nullptr, 16);
    e.m.limit = std::strtoull(limit.c_str(), nullptr, 16);
    e.m.offset = offset.empty() ? 0 : std::strtoull(offset.c_str(), nullptr, 16);
    e.file = file;
    e.build_id = build_id;
    if (!entries.empty()) {
      Entry& last = entries.back();
      bool same_file = last.file.empty() || e.file.empty() || last.file == e.file;
      bool same_id = last.build_id.empty() || e.build_id.empty() || last.build_id == e.build_id;
      bool offsets = last.m.offset == 0 || e.m.offset == 0 ||
                     last.m.offset + (last.m.limit - last.m.start) == e.m.offset;
      if (same_file && same_id && last.m.limit == e.m.start && offsets) {
        last.m.limit = e.m.limit;
        if (!e.file.empty()) last.file = e.file;
        if (!e.build_id.empty()) last.build_id = e.build_id;
        continue;
      }
    }
    entries.push_back(std::move(e));
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    std::string_view f = TrimSpace(entries[i].file);
    if (f.empty() || f[0] == '[' || RE2::PartialMatch(f, SharedLibraryRe())) continue;
    std::swap(entries[0], entries[i]);
    break;
  }
  if (!entries.empty() && entries[0].m.start - entries[0].m.offset == 0x400000) {
    entries[0].m.start = 0x400000;
    entries[0].m.offset = 0;
  }
  for (Entry& e : entries) {
    e.m.filename = b.Intern(e.file);
    e.m.build_id = b.Intern(e.build_id);
    p.mappings.push_back(e.m);
  }
  uint32_t fake = kNone;
  for (Location& l : p.locations) {
    if (l.address == 0) continue;
    for (size_t i = 0; i < p.mappings.size() && l.mapping == kNone; ++i)
      if (l.address >= p.mappings[i].start && l.address < p.mappings[i].limit)
        l.mapping = static_cast<uint32_t>(i);
    for (size_t i = 0; i < p.mappings.size() && l.mapping == kNone; ++i) {
      Mapping& m = p.mappings[i];
      if (m.offset != 0 && m.start - m.offset <= l.address && l.address < m.start) {
        m.start -= m.offset;
        m.offset = 0;
        l.mapping = static_cast<uint32_t>(i);
      }
    }
    if (l.mapping != kNone) continue;
    if (fake == kNone) {
      fake = static_cast<uint32_t>(p.mappings.size());
      p.mappings.push_back(Mapping{0, UINT64_MAX, 0, 0, 0});
    }
    l.mapping = fake;
  }
}

Result<Profile> ParseNativeHeap(std::string_view text, const std::string& name) {
  LegacyLines lines(text);
  std::string_view line;
  lines.Next(&line);
  std::string h[6];
  if (!RE2::PartialMatch(line, HeapHeaderRe(), &h[0], &h[1], &h[2], &h[3], &h[4], &h[5]))
    return LegacyBad(name, 1, "not a heap profile header");
  int64_t period = 0;
  if (!h[5].empty()) {
    std::optional<int64_t> v = ParseInt(h[5]);
    if (!v) return LegacyBad(name, 1, fmt::format("sampling period {} does not fit", h[5]));
    period = *v;
  }
  bool has_alloc = (h[2] != h[0] && h[2] != "0") || (h[3] != h[1] && h[3] != "0");
  bool scaled = false;
  const std::string& sampling = h[4];
  if (sampling == "heapz_v2" || sampling == "heap_v2") {
    scaled = true;
  } else if (sampling == "heap") {
    scaled = true;
    period /= 2;
  } else if (sampling == "heapprofile" || sampling.starts_with("growth") ||
             sampling.starts_with("fragmentation")) {
    period = 1;
    if (!sampling.starts_with("heap")) has_alloc = false;
  } else {
    return LegacyBad(name, 1,
                     fmt::format("heap profile sampling \"{}\" is not one pprof knows", sampling));
  }
  LegacyBuilder b(name, "legacy heap profile (" + sampling + ")");
  Profile& p = b.profile();
  p.period_type = {"space", "bytes"};
  p.period = period;
  if (has_alloc)
    p.sample_types = {{"alloc_objects", "count"},
                      {"alloc_space", "bytes"},
                      {"inuse_objects", "count"},
                      {"inuse_space", "bytes"}};
  else
    p.sample_types = {{"objects", "count"}, {"space", "bytes"}};

  std::vector<int64_t> values;
  while (lines.Next(&line)) {
    std::string_view t = TrimSpace(line);
    if (t.empty() || t[0] == '#') continue;
    if (t.find("--- Memory map: ---") != std::string_view::npos ||
        t.find("MAPPED_LIBRARIES:") != std::string_view::npos) {
      ReadMemoryMap(lines, b);
      break;
    }
    std::string s[5];
    if (!RE2::PartialMatch(t, HeapSampleRe(), &s[0], &s[1], &s[2], &s[3], &s[4]))
      return LegacyBad(name, lines.number(),
                       fmt::format("not a heap profile sample: \"{}\"", t.substr(0, 80)));
    values.clear();
    int64_t block_size = 0;
    auto add = [&](const std::string& count_text, const std::string& size_text,
                   std::string_view what) -> Status {
      std::optional<int64_t> count = ParseInt(count_text), size = ParseInt(size_text);
      if (!count || !size)
        return LegacyBad(name, lines.number(), fmt::format("{} count or size does not fit", what));
      if (*count == 0 && *size != 0)
        return LegacyBad(name, lines.number(),
                         fmt::format("{} count is 0 but {} bytes is {}", what, what, *size));
      int64_t c = *count, z = *size;
      if (c != 0) {
        block_size = z / c;
        if (scaled) std::tie(c, z) = ScaleHeapSample(c, z, period);
      }
      values.push_back(c);
      values.push_back(z);
      return Status::Ok();
    };
    if (has_alloc) INQ_RETURN_IF_ERROR(add(s[2], s[3], "allocation"));
    INQ_RETURN_IF_ERROR(add(s[0], s[1], "in-use"));
    std::optional<std::vector<uint64_t>> addresses = HexAddresses(s[4]);
    if (!addresses)
      return LegacyBad(name, lines.number(), "a stack address does not fit in 64 bits");
    // Return addresses point after the call; one byte back lands on it.
    for (uint64_t& a : *addresses) --a;
    b.AddSample(values, *addresses, block_size);
  }
  return std::move(p);
}

Result<Profile> ParseJavaHeap(std::string_view text, const std::string& name) {
  LegacyBuilder b(name, "legacy Java heapz profile");
  Profile& p = b.profile();
  LegacyLines lines(text);
  std::string_view line;
  lines.Next(&line);
  bool more = lines.Next(&line);
  // Attributes until the first line that is not one.
  for (; more; more = lines.Next(&line)) {
    std::string_view t = TrimSpace(line);
    if (t.empty()) continue;
    std::string key, value;
    if (!RE2::PartialMatch(t, JavaAttributeRe(), &key, &value)) break;
    key = std::string(TrimSpace(key));
    value = std::string(TrimSpace(value));
    if (key == "format") {
      if (value != "java")
        return LegacyBad(name, lines.number(), fmt::format("heapz format \"{}\", not java", value));
    } else if (key == "resolution") {
      p.sample_types = {{"inuse_objects", "count"}, {"inuse_space", value}};
    } else {
      return LegacyBad(name, lines.number(),
                       fmt::format("heapz attribute \"{}\" is not one pprof knows", key));
    }
  }
  if (p.sample_types.empty())
    return LegacyBad(name, lines.number(), "a heapz profile without its resolution attribute");
  // Samples until the first line that is not one.
  std::vector<int64_t> values(2);
  for (; more; more = lines.Next(&line)) {
    std::string_view t = TrimSpace(line);
    if (t.empty()) continue;
    std::string size_text, count_text, stack;
    if (!RE2::PartialMatch(t, JavaSampleRe(), &size_text, &count_text, &stack)) break;
    std::optional<int64_t> count = ParseInt(count_text), size = ParseInt(size_text);
    if (!count || !size) return LegacyBad(name, lines.number(), "a count or size does not fit");
    if (*count == 0) return LegacyBad(name, lines.number(), "a sample of 0 objects");
    std::optional<std::vector<uint64_t>> addresses = HexAddresses(stack);
    if (!addresses)
      return LegacyBad(name, lines.number(), "a stack address does not fit in 64 bits");
    std::tie(values[0], values[1]) = ScaleHeapSample(*count, *size, kJavaHeapzRate);
    b.AddSample(values, *addresses, *size / *count);
  }
  // Symbols: "0x<address> <function> (<file>:<line>)".
  absl::flat_hash_map<std::string, uint32_t> functions;
  for (; more; more = lines.Next(&line)) {
    std::string_view t = TrimSpace(line);
    std::string address_text, symbol;
    if (t.empty() || !RE2::FullMatch(t, JavaLocationRe(), &address_text, &symbol)) continue;
    if (address_text.size() > 16) return LegacyBad(name, lines.number(), "an address past 64 bits");
    uint32_t loc = b.Find(std::strtoull(address_text.c_str(), nullptr, 16));
    if (loc == kNone) continue;
    std::string function, file, line_text;
    int64_t line_no = 0;
    if (RE2::FullMatch(symbol, JavaFileLineRe(), &function, &file, &line_text)) {
      std::optional<int64_t> n = ParseInt(line_text);
      if (n && *n > 0) line_no = *n;
    } else if (RE2::FullMatch(symbol, JavaPathRe(), &function, &file)) {
      if (size_t slash = file.rfind('/'); slash != std::string::npos) file = file.substr(slash + 1);
    } else if (symbol.find("generated stub/JIT") != std::string::npos) {
      function = "STUB";
    } else {
      function = symbol;
    }
    auto [it, fresh] = functions.try_emplace(function, static_cast<uint32_t>(p.functions.size()));
    if (fresh) {
      uint32_t n = b.Intern(function);
      p.functions.push_back(Function{n, n, b.Intern(file), 0});
    }
    Location& l = p.locations[loc];
    l.first_line = static_cast<uint32_t>(p.lines.size());
    l.line_count = 1;
    l.address = 0;
    p.lines.push_back(Line{it->second, line_no, 0});
  }
  return std::move(p);
}

}  // namespace

LegacyHeapKind LegacyHeapKindOf(std::string_view text) {
  std::string_view first = text.substr(0, text.find('\n'));
  if (TrimSpace(first) == "--- heapz 1 ---") return LegacyHeapKind::kJava;
  if (RE2::PartialMatch(first, HeapHeaderRe())) return LegacyHeapKind::kNative;
  return LegacyHeapKind::kNone;
}

Result<Profile> ParseLegacyHeap(std::string_view text, const std::string& name) {
  switch (LegacyHeapKindOf(text)) {
    case LegacyHeapKind::kNative:
      return ParseNativeHeap(text, name);
    case LegacyHeapKind::kJava:
      return ParseJavaHeap(text, name);
    case LegacyHeapKind::kNone:
      break;
  }
  return Status::Unsupported(
      fmt::format("{}: not a legacy heap profile (legacy CPU, contention and thread profiles are "
                  "not read)",
                  name));
}

}  // namespace inquest::profile
