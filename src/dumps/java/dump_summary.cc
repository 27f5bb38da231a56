#include "dumps/java/dump_summary.h"

#include <fmt/format.h>

#include <vector>

namespace inquest {

std::string JavaCount(size_t n, std::string_view noun) {
  return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

std::string JavaQuote(const JavaThread& t) { return fmt::format("\"{}\"", t.name); }

std::string JavaLockText(const LockRef& l) {
  std::string s = l.address.empty() ? "<unknown>" : fmt::format("<0x{}>", l.address);
  if (!l.class_name.empty()) s += fmt::format(" (a {})", l.class_name);
  return s;
}

JavaDumpSummary SummarizeJavaDump(const JavaThreadDump& d, const LockGraph& g) {
  JavaDumpSummary s;
  s.threads = d.threads.size();
  s.complete = d.complete;
  s.has_header = d.has_header;
  s.java_threads_listed = d.smr_length;
  for (size_t t = 0; t < d.threads.size(); ++t) {
    const JavaThread& th = d.threads[t];
    ++s.states[static_cast<size_t>(th.state)];
    // The SMR list counts JavaThreads: every platform thread with a Java id, mounted virtual
    // threads (printed under their carrier) not.
    if (!th.is_virtual && th.id.size() > 1 && th.id[0] == '#') ++s.java_threads_read;
  }
  s.cycles = g.cycles.size();
  s.contended_locks = g.contended.size();
  std::vector<bool> waits(d.threads.size(), false);
  for (const ContendedLock& l : g.contended) {
    s.waiters += l.waiters.size();
    for (int w : l.waiters) waits[w] = true;
  }
  if (!g.contended.empty()) s.top = &g.contended.front();
  for (size_t t = 0; t < d.threads.size(); ++t) {
    if (d.threads[t].state == JavaThreadState::kBlocked && !waits[t]) ++s.blocked_unexplained;
  }
  return s;
}

std::string IncompleteText(const JavaDumpSummary& s) {
  if (!s.has_header) {
    return fmt::format("fragment: no \"Full thread dump\" header, {} read",
                       JavaCount(s.threads, "thread"));
  }
  if (s.complete) return {};
  if (s.java_threads_listed >= 0) {
    return fmt::format("cut off: {} of {} Java threads read", s.java_threads_read,
                       s.java_threads_listed);
  }
  return fmt::format("cut off after {}", JavaCount(s.threads, "thread"));
}

std::string StatesText(const JavaDumpSummary& s) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < s.states.size(); ++i) {
    if (s.states[i] > 0) {
      parts.push_back(
          fmt::format("{} {}", JavaThreadStateName(static_cast<JavaThreadState>(i)), s.states[i]));
    }
  }
  return parts.empty() ? std::string("none") : fmt::format("{}", fmt::join(parts, ", "));
}

std::string QuietTitle(const JavaThreadDump& d, const JavaDumpSummary& s) {
  std::string among = fmt::format("among {} ({})", JavaCount(s.threads, "thread"), StatesText(s));
  if (s.waiters == 0 && s.blocked_unexplained == 0) {
    return "no deadlock or contention " + among;
  }
  std::string title = "no deadlock " + among;
  if (s.top != nullptr) {
    const ContendedLock& l = *s.top;
    LockRef shown{LockAction::kLocked, l.address, l.class_name};
    std::string holder = l.holder < 0 ? std::string(", which no thread holds")
                                      : " held by " + JavaQuote(d.threads[l.holder]);
    if (s.contended_locks == 1) {
      title += fmt::format("; {} {} for {}{}", JavaCount(s.waiters, "thread"),
                           s.waiters == 1 ? "waits" : "wait", JavaLockText(shown), holder);
    } else {
      title += fmt::format("; {} wait for {} locks, {} for {}{}", JavaCount(s.waiters, "thread"),
                           s.contended_locks, l.waiters.size(), JavaLockText(shown), holder);
    }
  }
  if (s.blocked_unexplained > 0) {
    title += fmt::format("; {} BLOCKED with no lock holder in the dump",
                         JavaCount(s.blocked_unexplained, "thread"));
  }
  return title;
}

}  // namespace inquest
