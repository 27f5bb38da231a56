#include "profile/profile_prune.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <memory>
#include <vector>

namespace inquest::profile {
namespace {

// A function name without its parameter list: up to the first "(" that does not open
// "(anonymous namespace)" or belong to "operator()"; a leading "." dropped.
std::string_view SimplifiedName(std::string_view f) {
  if (f.starts_with('.')) f.remove_prefix(1);
  for (size_t i = 0; i < f.size();) {
    std::string_view rest = f.substr(i);
    if (rest.starts_with("(anonymous namespace)")) {
      i += 21;
    } else if (rest.starts_with("operator()")) {
      i += 10;
    } else if (f[i] == '(') {
      return f.substr(0, i);
    } else {
      ++i;
    }
  }
  return f;
}

Result<std::unique_ptr<RE2>> Compile(const Profile& p, const std::string& expr, const char* what) {
  auto re = std::make_unique<RE2>("^(" + expr + ")$", RE2::Quiet);
  if (!re->ok())
    return Status::BadInput(fmt::format("the profile's {} \"{}\" is not a regular expression: {}",
                                        what, expr, re->error()),
                            SourceLocation{p.source});
  return re;
}

}  // namespace

Status PruneFrames(Profile& p) {
  if (p.drop_frames.empty()) return Status::Ok();
  INQ_ASSIGN_OR_RETURN(std::unique_ptr<RE2> drop, Compile(p, p.drop_frames, "drop_frames"));
  std::unique_ptr<RE2> keep;
  if (!p.keep_frames.empty()) {
    INQ_ASSIGN_OR_RETURN(keep, Compile(p, p.keep_frames, "keep_frames"));
  }
  // Per function: 0 not yet judged, 1 keep, 2 prune from here.
  std::vector<uint8_t> verdict(p.functions.size(), 0);
  auto prunes = [&](uint32_t fn) {
    if (verdict[fn] == 0) {
      std::string_view name = SimplifiedName(p.Str(p.functions[fn].name));
      bool cut = RE2::PartialMatch(name, *drop) && !(keep && RE2::PartialMatch(name, *keep));
      verdict[fn] = cut ? 2 : 1;
    }
    return verdict[fn] == 2;
  };
  // Per location: 1 prune it whole, 2 its inlined callees were cut (prune beneath it).
  std::vector<uint8_t> cut(p.locations.size(), 0);
  for (size_t l = 0; l < p.locations.size(); ++l) {
    Location& loc = p.locations[l];
    auto lines = p.Lines(loc);
    int i = static_cast<int>(lines.size()) - 1;
    for (; i >= 0; --i) {
      uint32_t fn = lines[static_cast<size_t>(i)].function;
      if (fn != kNone && !p.Str(p.functions[fn].name).empty() && prunes(fn)) break;
    }
    if (i < 0) continue;
    if (i == static_cast<int>(lines.size()) - 1) {
      cut[l] = 1;
    } else {
      cut[l] = 2;
      loc.first_line += static_cast<uint32_t>(i + 1);
      loc.line_count -= static_cast<uint32_t>(i + 1);
    }
  }
  for (Sample& s : p.samples) {
    bool found_user = false;
    for (int i = static_cast<int>(s.location_count) - 1; i >= 0; --i) {
      uint8_t c = cut[p.stack[s.first_location + static_cast<uint64_t>(i)]];
      if (c == 0) {
        found_user = true;
        continue;
      }
      if (!found_user) continue;
      uint32_t drop_count = static_cast<uint32_t>(c == 1 ? i + 1 : i);
      s.first_location += drop_count;
      s.location_count -= drop_count;
      break;
    }
  }
  return Status::Ok();
}

}  // namespace inquest::profile
