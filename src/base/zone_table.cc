#include "base/zone_table.h"

#include <fmt/format.h>

#include <atomic>
#include <memory>
#include <mutex>

#include "base/strings.h"
#include "base/time.h"

namespace inquest {
namespace {

constexpr std::string_view kBuiltinRows =
#include "base/zone_table_data.inc"
    ;

// Lower-cased, with runs of spaces made one and the ends trimmed: "pacific standard time".
std::string NormaliseName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  bool space = false;
  for (char c : name) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return out;
}

// The next whitespace-separated word of *rest, which is advanced past it.
std::string_view NextWord(std::string_view* rest) {
  std::string_view r = TrimSpace(*rest);
  size_t end = r.find_first_of(" \t");
  std::string_view w = r.substr(0, end);
  *rest = end == std::string_view::npos ? std::string_view() : r.substr(end);
  return w;
}

}  // namespace

bool ValidZoneTarget(std::string_view target) {
  int64_t off = 0;
  if (ParseUtcOffset(target, &off)) return true;
  return TimeZone::LoadNamed(target).ok();
}

namespace {
std::atomic<const ZoneTable*> g_active{nullptr};
}  // namespace

const ZoneTable& ZoneTable::Active() {
  const ZoneTable* t = g_active.load(std::memory_order_acquire);
  return t ? *t : Builtin();
}

void ZoneTable::SetActive(ZoneTable table) {
  // Every table set is kept for the life of the process: readers may hold references to it.
  static std::mutex mu;
  static std::vector<std::unique_ptr<ZoneTable>> kept;
  std::lock_guard<std::mutex> lock(mu);
  kept.push_back(std::make_unique<ZoneTable>(std::move(table)));
  g_active.store(kept.back().get(), std::memory_order_release);
}

Status ZoneTable::ActivateWithConfig(const toml::table& root, std::string_view config_path) {
  ZoneTable t = Builtin();
  INQ_RETURN_IF_ERROR(t.AddFromConfig(root, config_path));
  SetActive(std::move(t));
  return Status::Ok();
}

const ZoneTable& ZoneTable::Builtin() {
  static const ZoneTable table = [] {
    Result<ZoneTable> t = FromText(kBuiltinRows, "the built-in zone table");
    // The rows are compiled in and checked by zone_table_test; a bad row is a build defect.
    if (!t.ok()) {
      fmt::print(stderr, "inquest: {}\n", t.status().ToString());
      std::abort();
    }
    return std::move(*t);
  }();
  return table;
}

ZoneEntry* ZoneTable::FindOrAdd(std::string_view name, bool windows) {
  std::string key = NormaliseName(name);
  auto it = index_.find(key);
  if (it != index_.end()) return &entries_[it->second];
  index_.emplace(std::move(key), entries_.size());
  ZoneEntry& e = entries_.emplace_back();
  e.name = std::string(TrimSpace(name));
  e.windows = windows;
  return &e;
}

Result<ZoneTable> ZoneTable::FromText(std::string_view text, std::string_view source) {
  ZoneTable t;
  uint64_t line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    line = TrimSpace(line);
    if (line.empty()) continue;
    std::string_view rest = line;
    std::string_view kind = NextWord(&rest);
    auto bad = [&](std::string_view why) {
      return Status::BadInput(fmt::format("{} line {}: {}: \"{}\"", source, line_no, why, line));
    };
    if (kind == "abbr") {
      std::string_view name = NextWord(&rest);
      std::string_view target = NextWord(&rest);
      int64_t off = 0;
      if (name.empty() || target.empty()) return bad("expected: abbr NAME OFFSET MEANING");
      if (!ParseUtcOffset(target, &off)) return bad("an abbreviation's target must be an offset");
      t.FindOrAdd(name, false)
          ->candidates.push_back({std::string(target), std::string(TrimSpace(rest))});
    } else if (kind == "windows") {
      std::string_view target = NextWord(&rest);
      std::string_view name = TrimSpace(rest);
      if (target.empty() || name.empty()) return bad("expected: windows IANA_NAME WINDOWS NAME");
      ZoneEntry* e = t.FindOrAdd(name, true);
      if (!e->candidates.empty()) return bad("a Windows name listed twice");
      e->candidates.push_back({std::string(target), std::string(name)});
    } else {
      return bad("a row starts with 'abbr' or 'windows'");
    }
    if (nl == std::string_view::npos) break;
  }
  return t;
}

Status ZoneTable::AddFromConfig(const toml::table& root, std::string_view config_path) {
  const toml::node* node = root.get("zones");
  if (node == nullptr) return Status::Ok();
  const toml::table* zones = node->as_table();
  if (zones == nullptr)
    return Status::InvalidArgument(
        fmt::format("{}: [zones] must be a table of name = \"offset or IANA zone\"", config_path));
  for (const auto& [key, value] : *zones) {
    std::optional<std::string_view> target = value.value<std::string_view>();
    if (!target || !ValidZoneTarget(*target)) {
      return Status::InvalidArgument(
          fmt::format("{}: [zones] {}: expected a UTC offset (\"+08:00\") or an IANA zone "
                      "(\"Asia/Hong_Kong\")",
                      config_path, key.str()));
    }
    // A name with a space is a Windows-style name; either way the user's row is the only
    // meaning.
    ZoneEntry* e = FindOrAdd(key.str(), key.str().find(' ') != std::string_view::npos);
    e->user = true;
    e->candidates = {{std::string(*target), ""}};
  }
  return Status::Ok();
}

const ZoneEntry* ZoneTable::Find(std::string_view name) const {
  auto it = index_.find(NormaliseName(name));
  return it == index_.end() ? nullptr : &entries_[it->second];
}

}  // namespace inquest
