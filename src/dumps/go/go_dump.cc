#include "dumps/go/go_dump.h"

#include <fmt/format.h>

#include <algorithm>

#include "dumps/go/goroutine_parser.h"

namespace inquest {
namespace {

// Confidence kept by the verdicts of a dump that was cut off: they hold for what was read only.
constexpr double kCutOffConfidence = 0.6;

bool IsChannelOrIoWait(std::string_view state) {
  return state.starts_with("chan ") || state.starts_with("select") || state == "IO wait" ||
         state == "semacquire" || state == "sync.Cond.Wait" || state == "sync.WaitGroup.Wait";
}

bool IsMutexFunc(std::string_view func) {
  return func == "sync.(*Mutex).Lock" || func == "sync.(*RWMutex).Lock" ||
         func == "sync.(*RWMutex).RLock" || func == "sync.(*Mutex).lockSlow";
}

// The mutex call of a group's stack, or null: the outermost sync frame, which is the call the
// program made ("sync.(*Mutex).Lock" rather than its "lockSlow").
const GoFrame* MutexFrame(const Goroutine& g) {
  const GoFrame* found = nullptr;
  for (const GoFrame& f : g.frames)
    if (IsMutexFunc(f.func)) found = &f;
  return found;
}

std::string Where(const GoFrame& f) {
  if (f.file.empty()) return std::string(f.func);
  return fmt::format("{} ({}:{})", f.func, f.file, f.line);
}

std::string CreatedBy(const Goroutine& g) {
  if (!g.has_created_by) return {};
  std::string s = fmt::format("created by {}", Where(g.created_by));
  if (g.created_in != 0) s += fmt::format(" in goroutine {}", g.created_in);
  return s;
}

// "created by main.start in goroutine 1", without the file, for titles.
std::string CreatedByShort(const Goroutine& g) {
  if (!g.has_created_by) return {};
  std::string s = fmt::format("created by {}", g.created_by.func);
  if (g.created_in != 0) s += fmt::format(" in goroutine {}", g.created_in);
  return s;
}

std::string Header(const GoroutineGroup& group) {
  return fmt::format("goroutine {} {}:", group.sample.id, GoGroupState(group));
}

EvidenceRef GroupRef(const std::string& path, const GoroutineGroup& group) {
  EvidenceRef ref;
  ref.source = fmt::format("{}:{}", path, group.sample.header_line);
  ref.excerpt = Header(group);
  if (const GoFrame* own = FirstOwnFrame(group.sample)) ref.excerpt += " " + Where(*own);
  return ref;
}

// "main.query (main.go:42)": a frame for a title, with the file's base name.
std::string Short(const GoFrame& f) {
  if (f.file.empty()) return std::string(f.func);
  std::string_view file = f.file.substr(f.file.find_last_of('/') + 1);
  return fmt::format("{} ({}:{})", f.func, file, f.line);
}

}  // namespace

void TallyGoWaits(const WaitSiteTable& table, const std::string& path, GoDump* dump) {
  WaitTally tally;
  dump->group_sites.assign(dump->groups.size(), nullptr);
  WaitQuery q;
  q.runtime = WaitRuntime::kGo;
  for (size_t i = 0; i < dump->groups.size(); ++i) {
    const GoroutineGroup& group = dump->groups[i];
    const Goroutine& s = group.sample;
    q.state = s.state;
    q.frames.clear();
    for (const GoFrame& f : s.frames) q.frames.push_back({f.func, IsGoStdlibFunc(f.func)});
    WaitMatch m = table.Match(q);
    if (m.site == nullptr) continue;
    dump->group_sites[i] = m.site;
    WaitObservation o;
    o.count = group.count;
    o.match = m;
    o.frame = m.frame >= 0 ? std::string(s.frames[m.frame].func) : std::string(s.state);
    if (m.caller >= 0) o.caller = Short(s.frames[m.caller]);
    if (s.has_created_by) o.creator = Short(s.created_by);
    o.wait_minutes = group.wait_max;
    o.evidence = GroupRef(path, group);
    tally.Add(o);
  }
  dump->waits = tally.Finish();
}

std::string FormatCount(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

namespace {

std::string Count(uint64_t n) { return FormatCount(n); }

std::string Plural(uint64_t n, std::string_view one, std::string_view many) {
  return Count(n) + " " + std::string(n == 1 ? one : many);
}

std::string WaitPhrase(const GoroutineGroup& group) {
  if (group.wait_max == 0) return {};
  if (group.wait_min == group.wait_max) return fmt::format(" for {} minutes", group.wait_max);
  return fmt::format(" for {}~{} minutes", group.wait_min, group.wait_max);
}

}  // namespace

bool IsGoBlockedForGood(std::string_view state) {
  // Channel and select waits are left out: a timer, a signal or the network can end them
  // (an idle daemon parks every goroutine that way), which is why the runtime itself does not
  // call those a deadlock while timers exist.
  return state == "semacquire" || state.starts_with("sync.") || state.ends_with("(nil chan)") ||
         state == "select (no cases)";
}

std::string GoGroupState(const GoroutineGroup& group) {
  std::string s = "[" + std::string(group.sample.state.empty() ? "?" : group.sample.state);
  if (group.wait_max > 0) {
    if (group.wait_min == group.wait_max)
      s += fmt::format(", {} minutes", group.wait_max);
    else
      s += fmt::format(", {}~{} minutes", group.wait_min, group.wait_max);
  }
  if (group.locked > 0) s += ", locked to thread";
  return s + "]";
}

GoDump ReadGoDump(std::string_view bytes, StackSimilarity similarity) {
  GoDump dump;
  GoroutineParser parser(bytes, &dump.issues);
  GoroutineGrouper grouper(similarity);
  Goroutine g;
  bool first = true;
  while (parser.Next(&g)) {
    ++dump.records;
    if (g.incomplete) ++dump.incomplete;
    // A panic or fatal error prints the goroutine that hit it first.
    if (first && (!parser.preamble().panic.empty() || !parser.preamble().fatal_error.empty()))
      dump.lead_id = g.id;
    first = false;
    grouper.Add(g);
  }
  dump.preamble = parser.preamble();
  dump.duplicate_ids = parser.duplicate_ids();
  dump.cut_off = parser.cut_off();
  dump.cut_line = parser.cut_line();
  dump.cut_text = parser.cut_text();

  dump.lines = parser.lines();
  dump.goroutines = grouper.goroutines();
  dump.groups = grouper.Finish(dump.lead_id);
  return dump;
}

std::vector<Finding> GoVerdicts(const GoDump& dump, const std::string& path, TimePoint time) {
  std::vector<Finding> out;
  auto add = [&](Finding f) {
    f.time = time;
    out.push_back(std::move(f));
  };
  const GoDumpPreamble& pre = dump.preamble;
  const GoroutineGroup* lead = nullptr;
  for (const GoroutineGroup& group : dump.groups)
    if (group.lead && dump.lead_id != 0) lead = &group;

  // Deadlock: the runtime's own verdict, or every goroutine of the program blocked on another.
  bool runtime_deadlock =
      pre.fatal_error.find("all goroutines are asleep") != std::string_view::npos;
  if (runtime_deadlock) {
    Finding f;
    f.kind = "deadlock";
    f.severity = Severity::kCritical;
    f.confidence = 1.0;
    f.title = "deadlock: all goroutines are asleep";
    f.explanation =
        "The Go runtime found no goroutine that could ever run again and stopped the program "
        "(\"fatal error: all goroutines are asleep - deadlock!\"). The stacks below show what "
        "each one waits on.";
    f.evidence.push_back({fmt::format("{}:{}", path, pre.fatal_line),
                          "fatal error: " + std::string(pre.fatal_error)});
    for (const GoroutineGroup& group : dump.groups) {
      if (f.evidence.size() > 4) break;
      f.evidence.push_back(GroupRef(path, group));
    }
    add(std::move(f));
  } else if (!pre.counted && dump.goroutines > 0 && dump.incomplete == 0) {
    // Only a whole dump can show that nothing is left to run.
    uint64_t own = 0, blocked = 0;
    for (const GoroutineGroup& group : dump.groups) {
      if (group.own_code == 0) continue;  // runtime housekeeping (GC workers, finalizers)
      own += group.count;
      if (IsGoBlockedForGood(group.sample.state)) blocked += group.count;
    }
    if (own > 0 && blocked == own) {
      Finding f;
      f.kind = "deadlock";
      f.severity = Severity::kCritical;
      f.confidence = 0.7;
      f.title = fmt::format(
          "deadlock likely: all {} of the program's goroutines wait on mutexes, "
          "wait groups or nil channels, none runnable",
          Count(own));
      f.explanation =
          "No goroutine of the program's own code is running, runnable, in a system call, or "
          "waiting on a channel, I/O or a timer that could still fire: nothing inside the "
          "process can wake the others. A goroutine dump cannot show who holds a mutex; read "
          "the stacks for the cycle.";
      for (const GoroutineGroup& group : dump.groups) {
        if (group.own_code == 0) continue;
        if (f.evidence.size() > 4) break;
        f.evidence.push_back(GroupRef(path, group));
      }
      add(std::move(f));
    }
  }

  // Panic or another fatal error.
  if (!pre.panic.empty() || (!pre.fatal_error.empty() && !runtime_deadlock)) {
    Finding f;
    f.kind = pre.panic.empty() ? "fatal-error" : "panic";
    f.severity = Severity::kCritical;
    f.confidence = 1.0;
    std::string what = pre.panic.empty() ? "fatal error: " + std::string(pre.fatal_error)
                                         : "panic: " + std::string(pre.panic);
    f.title = what;
    if (lead != nullptr) {
      const GoFrame* own = FirstOwnFrame(lead->sample);
      if (own != nullptr)
        f.title += fmt::format(" in goroutine {} at {}", lead->sample.id, Where(*own));
      f.subject = own ? std::string(own->func) : std::string();
    }
    f.explanation =
        "The program stopped on this error; the first goroutine of the dump is the one that hit "
        "it, and its first frame outside the runtime is where the program's code went wrong.";
    if (!pre.signal.empty())
      f.explanation += " The runtime reported " + std::string(pre.signal) + ".";
    uint64_t line = pre.panic.empty() ? pre.fatal_line : pre.panic_line;
    f.evidence.push_back({fmt::format("{}:{}", path, line), what});
    if (lead != nullptr) f.evidence.push_back(GroupRef(path, *lead));
    add(std::move(f));
  }

  // What the goroutines wait for; a group whose wait site explains it gets no second verdict.
  std::vector<Finding> waits = WaitVerdicts(dump.waits, "goroutine", time);
  std::vector<std::string> explained;
  for (const Finding& f : waits) explained.push_back(f.subject);
  for (Finding& f : waits) add(std::move(f));

  // Lock convoys and leak suspects, group by group (largest first, as ordered).
  for (size_t gi = 0; gi < dump.groups.size(); ++gi) {
    const GoroutineGroup& group = dump.groups[gi];
    const WaitSite* site = gi < dump.group_sites.size() ? dump.group_sites[gi] : nullptr;
    if (site != nullptr && !site->normal &&
        std::find(explained.begin(), explained.end(), site->pool) != explained.end())
      continue;
    const Goroutine& s = group.sample;
    const GoFrame* own = FirstOwnFrame(s);
    std::string under = own ? fmt::format(" under {}", own->func) : std::string();
    std::string created = CreatedBy(s);
    const GoFrame* mutex = MutexFrame(s);
    bool mutex_state = s.state.starts_with("sync.Mutex") || s.state.starts_with("sync.RWMutex");
    if ((mutex != nullptr || mutex_state) && group.count >= kConvoyMinGoroutines) {
      Finding f;
      f.kind = "lock-convoy";
      f.severity = Severity::kWarning;
      f.confidence = std::min(1.0, 0.5 + static_cast<double>(group.count) / 200);
      f.title = fmt::format("lock convoy: {} wait in {}{}{}",
                            Plural(group.count, "goroutine", "goroutines"),
                            mutex ? mutex->func : s.state, under, WaitPhrase(group));
      if (!created.empty()) f.title += ", " + CreatedByShort(s);
      f.explanation =
          "Many goroutines queue on the same mutex call site: the holder is slow or the lock is "
          "too coarse. A goroutine dump does not say who holds it; look for the goroutine "
          "inside the critical section.";
      if (!created.empty()) f.explanation += " They were " + created + ".";
      f.subject = own ? std::string(own->func) : std::string(s.state);
      f.evidence.push_back(GroupRef(path, group));
      add(std::move(f));
      continue;
    }
    bool waiting = IsChannelOrIoWait(s.state);
    bool many = group.count >= kLeakMinGoroutines;
    bool long_wait =
        group.count >= kLeakMinGoroutinesLongWait && group.wait_min >= kLeakLongWaitMinutes;
    if (waiting && group.own_code > 0 && (many || long_wait)) {
      Finding f;
      f.kind = "goroutine-leak";
      f.severity = Severity::kError;
      f.confidence = std::min(0.95, (many ? 0.6 : 0.4) + (long_wait ? 0.3 : 0.0) +
                                        static_cast<double>(group.count) / 100000);
      f.title = fmt::format("leak suspect: {} blocked in {}{}{}",
                            Plural(group.count, "goroutine", "goroutines"), s.state, under,
                            WaitPhrase(group));
      if (!created.empty()) f.title += ", " + CreatedByShort(s);
      f.explanation = fmt::format(
          "{} of the dump's {} goroutines share this stack and wait on a {} that nothing "
          "answers{}. Goroutines parked like this are never collected; find who should send, "
          "close or time out.",
          Count(group.count), Count(dump.goroutines),
          s.state == "IO wait" ? "connection" : "channel or lock",
          group.wait_max > 0 ? fmt::format(" (the longest for {} minutes)", group.wait_max) : "");
      if (!created.empty()) f.explanation += " The set was " + created + ".";
      f.subject = own ? std::string(own->func) : std::string(s.state);
      f.evidence.push_back(GroupRef(path, group));
      add(std::move(f));
    }
  }
  // A dump cut off mid-record: said first, and the rest believed less (what is missing could
  // hold the deadlock or the leak; an empty list is no clean bill).
  if (dump.cut_off) {
    for (Finding& v : out) v.confidence *= kCutOffConfidence;
    Finding f;
    f.kind = "dump-incomplete";
    f.severity = Severity::kWarning;
    f.confidence = 0.9;
    f.title = fmt::format(
        "cut off: the dump ends mid-record at line {} after {}; goroutines after it are missing",
        dump.cut_line, Plural(dump.records, "goroutine", "goroutines"));
    f.explanation =
        "The file stops inside a goroutine's record, so the dump was cut (a size limit, a copy "
        "interrupted, a terminal scrollback). The verdicts hold for the goroutines read; a "
        "deadlock or leak among the missing ones cannot be seen.";
    f.evidence.push_back({fmt::format("{}:{}", path, dump.cut_line), std::string(dump.cut_text)});
    f.time = time;
    out.insert(out.begin(), std::move(f));
  }
  return out;
}

}  // namespace inquest
