#include "dumps/java/stack_groups.h"

#include <algorithm>
#include <string>
#include <unordered_map>

namespace inquest {

bool IsJdkFrame(std::string_view f) {
  // "java.base@25/..." module prefixes in JSON dumps, and JRockit's slashes.
  size_t slash = f.find('/');
  if (slash != std::string_view::npos && f.substr(0, slash).find('.') != std::string_view::npos &&
      f.substr(0, slash).find('(') == std::string_view::npos && f.starts_with("java.")) {
    f = f.substr(slash + 1);
  }
  static constexpr std::string_view kPrefixes[] = {"java.",    "javax.",   "jdk.",    "sun.",
                                                   "com.sun.", "jrockit.", "java/",   "javax/",
                                                   "jdk/",     "sun/",     "jrockit/"};
  for (std::string_view p : kPrefixes) {
    if (f.starts_with(p)) return true;
  }
  return false;
}

namespace {

// Whether two threads fall in one group at `similarity` (the hash said they might).
bool SameGroup(const JavaThread& a, const JavaThread& b, StackSimilarity similarity) {
  if (a.state != b.state || a.frames.size() != b.frames.size()) return false;
  for (size_t i = 0; i < a.frames.size(); ++i) {
    if (a.frames[i].text != b.frames[i].text) return false;
  }
  if (similarity != StackSimilarity::kExact) return true;
  if (a.locks.size() != b.locks.size()) return false;
  for (size_t i = 0; i < a.locks.size(); ++i) {
    if (a.locks[i].action != b.locks[i].action || a.locks[i].address != b.locks[i].address) {
      return false;
    }
  }
  return true;
}

uint64_t Mix(uint64_t h, uint64_t v) { return (h ^ v) * 0x100000001b3ULL + (h >> 29); }

uint64_t GroupHash(const JavaThread& t, StackSimilarity similarity) {
  std::hash<std::string_view> hash;
  uint64_t h = Mix(0xcbf29ce484222325ULL, static_cast<uint64_t>(t.state));
  for (const JavaFrame& f : t.frames) h = Mix(h, hash(f.text));
  if (similarity == StackSimilarity::kExact) {
    for (const LockRef& l : t.locks)
      h = Mix(Mix(h, static_cast<uint64_t>(l.action)), hash(l.address));
  }
  return h;
}

}  // namespace

std::vector<StackGroup> GroupJavaStacks(const JavaThreadDump& dump, StackSimilarity similarity) {
  std::vector<StackGroup> groups;
  // Hash of a stack -> the groups with that hash (collisions are checked frame by frame).
  std::unordered_map<uint64_t, std::vector<size_t>> index;
  index.reserve(dump.threads.size());
  for (size_t i = 0; i < dump.threads.size(); ++i) {
    const JavaThread& t = dump.threads[i];
    std::vector<size_t>& candidates = index[GroupHash(t, similarity)];
    size_t g = groups.size();
    for (size_t c : candidates) {
      if (SameGroup(dump.threads[groups[c].threads.front()], t, similarity)) {
        g = c;
        break;
      }
    }
    if (g == groups.size()) {
      groups.push_back({t.state, {}});
      candidates.push_back(g);
    }
    groups[g].threads.push_back(static_cast<int>(i));
  }
  std::stable_sort(groups.begin(), groups.end(), [](const StackGroup& a, const StackGroup& b) {
    return a.threads.size() > b.threads.size();
  });
  return groups;
}

}  // namespace inquest
