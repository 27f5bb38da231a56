#include "dumps/java/java_waits.h"

#include <fmt/format.h>

#include "base/output.h"
#include "base/strings.h"

namespace inquest {
namespace {

constexpr size_t kExcerptMax = 200;  // characters of a line quoted as evidence

std::string DigitsAsStar(std::string_view name) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    bool digit = name[i] >= '0' && name[i] <= '9';
    if (!digit) {
      out += name[i];
    } else if (out.empty() || out.back() != '*') {
      out += '*';
    }
  }
  return out;
}

}  // namespace

std::string_view JavaFrameName(std::string_view frame) {
  frame = frame.substr(0, frame.find('('));
  // "java.base@21/java.util.concurrent.Semaphore.acquire": drop the module.
  size_t slash = frame.find('/');
  if (slash != std::string_view::npos && frame.substr(0, slash).find('@') != std::string_view::npos)
    frame = frame.substr(slash + 1);
  return frame;
}

std::string CommonThreadName(const std::vector<std::string_view>& names) {
  if (names.empty()) return {};
  std::string shape = DigitsAsStar(names.front());
  for (std::string_view n : names)
    if (DigitsAsStar(n) != shape) return {};
  return shape;
}

std::vector<WaitSiteCount> TallyJavaWaits(const JavaDumpInput& in,
                                          const std::vector<StackGroup>& groups,
                                          const WaitSiteTable& table) {
  const JavaThreadDump& d = in.dump;
  WaitTally tally;
  WaitQuery q;
  q.runtime = WaitRuntime::kJava;
  for (const StackGroup& g : groups) {
    if (g.threads.empty()) continue;
    const JavaThread& t = d.threads[g.threads.front()];
    q.state = JavaThreadStateName(t.state);
    q.frames.clear();
    q.waiting.clear();
    for (const JavaFrame& f : t.frames)
      q.frames.push_back({JavaFrameName(f.text), IsJdkFrame(f.text)});
    for (const LockRef& l : t.locks)
      if (l.action == LockAction::kWaitingToLock || l.action == LockAction::kParkedOn ||
          l.action == LockAction::kWaitingToRelock)
        q.waiting.push_back(l.class_name);
    WaitMatch m = table.Match(q);
    if (m.site == nullptr) continue;
    WaitObservation o;
    o.count = g.threads.size();
    o.match = m;
    if (m.frame >= 0) {
      o.frame = std::string(JavaFrameName(t.frames[m.frame].text));
    } else {
      for (std::string_view l : q.waiting)
        if (WaitNameMatches(m.site->lock, l)) o.frame = "lock of " + std::string(l);
    }
    if (m.caller >= 0) o.caller = t.frames[m.caller].text;
    std::vector<std::string_view> names;
    for (int i : g.threads) names.push_back(d.threads[i].name);
    o.threads = CommonThreadName(names);
    o.evidence.source = t.line == 0 ? in.path : fmt::format("{}:{}", in.path, t.line);
    std::string_view text;
    if (t.line != 0 && in.line_text) text = TrimSpace(in.line_text(t.line));
    std::string quoted = fmt::format("\"{}\"", t.name);
    if (text.empty()) text = quoted;
    o.evidence.excerpt = SanitizeForTerminal(RedactBeforeCut(text).substr(0, kExcerptMax));
    tally.Add(o);
  }
  return tally.Finish();
}

}  // namespace inquest
