#include "dumps/go/goroutine_groups.h"

#include <algorithm>
#include <functional>

namespace inquest {
namespace {

constexpr uint32_t kNone = UINT32_MAX;

uint64_t Mix(uint64_t h, uint64_t v) {
  // boost::hash_combine's step, widened to 64 bits.
  return h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 12) + (h >> 4));
}

uint64_t HashText(std::string_view s) { return std::hash<std::string_view>{}(s); }

bool SameFrame(const GoFrame& a, const GoFrame& b, bool with_args) {
  return a.line == b.line && a.func == b.func && a.file == b.file &&
         (!with_args || a.args == b.args);
}

}  // namespace

bool IsGoStdlibFunc(std::string_view func) {
  // A package path whose first element has no dot ("runtime", "net/http") is the standard
  // library, except the program's "main"; module paths start with a domain ("github.com/x").
  size_t slash = func.find('/');
  if (slash == std::string_view::npos) return func.substr(0, func.find('.')) != "main";
  return func.substr(0, slash).find('.') == std::string_view::npos;
}

const GoFrame* FirstOwnFrame(const Goroutine& g) {
  for (const GoFrame& f : g.frames)
    if (!IsGoStdlibFunc(f.func)) return &f;
  return g.frames.empty() ? nullptr : &g.frames.front();
}

uint64_t GoroutineGrouper::Hash(const Goroutine& g) const {
  bool with_args = similarity_ == StackSimilarity::kExact;
  uint64_t h = HashText(g.state);
  h = Mix(h, g.frames.size());
  for (const GoFrame& f : g.frames) {
    h = Mix(h, HashText(f.func));
    h = Mix(h, f.line);
    if (with_args) h = Mix(h, HashText(f.args));
  }
  if (g.has_created_by) {
    h = Mix(h, HashText(g.created_by.func));
    h = Mix(h, g.created_by.line);
  }
  if (similarity_ != StackSimilarity::kIgnoreWaitTime) h = Mix(h, g.wait_minutes);
  return Mix(h, (g.incomplete ? 4 : 0) | (g.frames_elided ? 2 : 0) | (g.locked_to_thread ? 1 : 0));
}

bool GoroutineGrouper::Same(const Goroutine& a, const Goroutine& b) const {
  bool with_args = similarity_ == StackSimilarity::kExact;
  if (a.state != b.state || a.frames.size() != b.frames.size() ||
      a.has_created_by != b.has_created_by || a.frames_elided != b.frames_elided ||
      a.locked_to_thread != b.locked_to_thread || a.incomplete != b.incomplete)
    return false;
  if (similarity_ != StackSimilarity::kIgnoreWaitTime && a.wait_minutes != b.wait_minutes)
    return false;
  if (a.has_created_by && !SameFrame(a.created_by, b.created_by, false)) return false;
  for (size_t i = 0; i < a.frames.size(); ++i)
    if (!SameFrame(a.frames[i], b.frames[i], with_args)) return false;
  return true;
}

void GoroutineGrouper::Add(const Goroutine& g) {
  goroutines_ += g.count;
  uint64_t h = Hash(g);
  auto [it, inserted] = first_.try_emplace(h, kNone);
  uint32_t idx = it->second;
  while (idx != kNone && !Same(groups_[idx].sample, g)) idx = next_[idx];
  if (idx == kNone) {
    idx = static_cast<uint32_t>(groups_.size());
    GoroutineGroup group;
    group.sample = g;
    group.wait_min = g.wait_minutes;
    group.wait_max = g.wait_minutes;
    groups_.push_back(std::move(group));
    next_.push_back(it->second);
    it->second = idx;
  }
  GoroutineGroup& group = groups_[idx];
  group.count += g.count;
  group.wait_min = std::min(group.wait_min, g.wait_minutes);
  group.wait_max = std::max(group.wait_max, g.wait_minutes);
  if (g.locked_to_thread) group.locked += g.count;
  if (group.ids.size() < GoroutineGroup::kIdsKept && g.id != 0) group.ids.push_back(g.id);
}

std::vector<GoroutineGroup> GoroutineGrouper::Finish(uint64_t lead_id) {
  bool lead_found = false;
  for (GoroutineGroup& group : groups_) {
    size_t own = 0;
    for (const GoFrame& f : group.sample.frames) own += !IsGoStdlibFunc(f.func);
    group.own_code =
        group.sample.frames.empty() ? 0 : static_cast<double>(own) / group.sample.frames.size();
    if (lead_id != 0 && std::find(group.ids.begin(), group.ids.end(), lead_id) != group.ids.end()) {
      group.lead = true;
      lead_found = true;
    }
  }
  if (!lead_found) {
    for (GoroutineGroup& group : groups_)
      if (group.sample.state == "running") group.lead = true;
  }
  std::vector<GoroutineGroup> out = std::move(groups_);
  std::stable_sort(out.begin(), out.end(), [](const GoroutineGroup& a, const GoroutineGroup& b) {
    if (a.lead != b.lead) return a.lead;
    if (a.sample.incomplete != b.sample.incomplete) return b.sample.incomplete;
    if (a.count != b.count) return a.count > b.count;
    if (a.own_code != b.own_code) return a.own_code > b.own_code;
    return a.sample.header_line < b.sample.header_line;
  });
  groups_.clear();
  next_.clear();
  first_.clear();
  return out;
}

}  // namespace inquest
