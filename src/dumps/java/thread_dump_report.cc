#include "dumps/java/thread_dump_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <set>

#include "base/json_writer.h"
#include "base/output.h"
#include "base/strings.h"
#include "dumps/java/dump_summary.h"
#include "dumps/java/dump_time.h"
#include "dumps/java/java_series.h"
#include "dumps/java/java_waits.h"
#include "dumps/java/lock_graph.h"
#include "dumps/java/stack_groups.h"

namespace inquest {
namespace {

constexpr size_t kReportExcerptMax = 200;  // characters of a line quoted as evidence

struct Analysed {
  const JavaDumpInput* input;
  LockGraph graph;
  std::vector<StackGroup> groups;
  JavaDumpSummary summary;  // of input->dump and graph: every headline and detail reads it
};

std::string TopFrame(const JavaThread& t) {
  return t.frames.empty() ? std::string("no Java frames") : t.frames.front().text;
}

// The application's frame nearest the top (the first outside the JDK), else the top frame.
std::string AppFrame(const JavaThread& t) {
  for (const JavaFrame& f : t.frames) {
    if (!IsJdkFrame(f.text)) return f.text;
  }
  return TopFrame(t);
}

// "RUNNABLE in com.acme.Foo.bar(Foo.java:12)"
std::string Doing(const JavaThread& t) {
  return fmt::format("{} in {}", JavaThreadStateName(t.state), TopFrame(t));
}

EvidenceRef Evidence(const JavaDumpInput& in, uint64_t line, std::string_view fallback) {
  EvidenceRef e;
  e.source = line == 0 ? in.path : fmt::format("{}:{}", in.path, line);
  std::string_view text = fallback;
  if (line != 0 && in.line_text) {
    std::string_view t = TrimSpace(in.line_text(line));
    if (!t.empty()) text = t;
  }
  e.excerpt = SanitizeForTerminal(RedactBeforeCut(text).substr(0, kReportExcerptMax));
  return e;
}

// "\"a\" waits in F for <L> (a C) held by \"b\", which waits in G for ... held by \"c\", which is
// RUNNABLE in H" (a chain), or "...; \"b\" waits in G for ... held by \"a\"" (a cycle).
std::string Chain(const JavaThreadDump& d, const LockGraph& g, const std::vector<int>& threads,
                  bool cycle) {
  std::string s;
  for (size_t i = 0; i < threads.size(); ++i) {
    const JavaThread& t = d.threads[threads[i]];
    int e = g.edge_of[threads[i]];
    bool named = i == 0 || cycle;  // a chain's later threads are "which ..."
    if (i > 0) s += cycle ? "; " : ", which ";
    if (named) s += JavaQuote(t) + " ";
    if (e < 0 || (!cycle && i + 1 == threads.size())) {
      s += "is " + Doing(t);
      break;
    }
    const WaitEdge& edge = g.edges[e];
    s += fmt::format("waits in {} for {} held by {}", AppFrame(t), JavaLockText(*edge.wait),
                     JavaQuote(d.threads[edge.holder]));
  }
  return s;
}

void AddCycleVerdicts(const Analysed& a, std::vector<Finding>* out) {
  const JavaThreadDump& d = a.input->dump;
  for (const WaitCycle& c : a.graph.cycles) {
    Finding f;
    f.kind = "deadlock";
    f.severity = Severity::kCritical;
    f.confidence = 0.99;
    f.time = d.time;
    std::vector<std::string> names;
    for (int t : c.threads) names.push_back(JavaQuote(d.threads[t]));
    if (names.size() == 2) {
      f.title = fmt::format("deadlock: {} and {} each hold the lock the other waits for", names[0],
                            names[1]);
    } else {
      f.title = fmt::format("deadlock of {} threads: {} -> {}", names.size(),
                            fmt::join(names, " -> "), names[0]);
    }
    if (c.through_synchronizer) f.title += " (through java.util.concurrent locks)";
    f.subject = c.edges.front()->wait->class_name;
    f.explanation = Chain(d, a.graph, c.threads, true) +
                    ". None of them can proceed and the JVM never breaks a deadlock: the process "
                    "must be restarted, and the fix is one lock order for all of them.";
    for (const WaitEdge* e : c.edges) {
      f.evidence.push_back(
          Evidence(*a.input, d.threads[e->thread].line, JavaQuote(d.threads[e->thread])));
      f.evidence.push_back(Evidence(*a.input, e->wait->line, JavaLockText(*e->wait)));
      f.evidence.push_back(Evidence(*a.input, e->held->line, JavaLockText(*e->held)));
    }
    out->push_back(std::move(f));
  }
}

void AddChainVerdicts(const Analysed& a, std::vector<Finding>* out) {
  const JavaThreadDump& d = a.input->dump;
  for (const WaitChain& c : a.graph.chains) {
    if (c.threads.size() < kChainMinThreads) continue;
    const JavaThread& end = d.threads[c.threads.back()];
    if (a.graph.edge_of[c.threads.back()] >= 0) continue;  // ends in a cycle: the deadlock says it
    Finding f;
    f.kind = "blocking-chain";
    f.severity = Severity::kError;
    f.confidence = 0.9;
    f.time = d.time;
    f.title = fmt::format("blocking chain: {} wait in turn behind {} ({})",
                          JavaCount(c.threads.size() - 1 + c.other_starts, "thread"),
                          JavaQuote(end), Doing(end));
    f.subject = end.name;
    f.explanation = Chain(d, a.graph, c.threads, false) + ".";
    if (c.other_starts > 0) {
      f.explanation +=
          fmt::format(" {} more thread{} wait{} at the start of the same chain.", c.other_starts,
                      c.other_starts == 1 ? "" : "s", c.other_starts == 1 ? "s" : "");
    }
    for (int t : c.threads) {
      int e = a.graph.edge_of[t];
      if (e >= 0) f.evidence.push_back(Evidence(*a.input, a.graph.edges[e].wait->line, ""));
    }
    f.evidence.push_back(Evidence(*a.input, end.line, JavaQuote(end)));
    out->push_back(std::move(f));
    break;  // the longest chain; the detail lists the others
  }
}

void AddContentionVerdicts(const Analysed& a, std::vector<Finding>* out) {
  const JavaThreadDump& d = a.input->dump;
  for (const ContendedLock& l : a.graph.contended) {
    if (l.waiters.size() < kContentionMinWaiters) break;
    Finding f;
    f.kind = "lock-contention";
    f.severity = Severity::kWarning;
    f.confidence = 0.8;
    f.time = d.time;
    LockRef shown{LockAction::kLocked, l.address, l.class_name};
    if (l.holder >= 0) {
      const JavaThread& h = d.threads[l.holder];
      f.title =
          fmt::format("lock contention: {} wait for {} held by {}",
                      JavaCount(l.waiters.size(), "thread"), JavaLockText(shown), JavaQuote(h));
      f.explanation = fmt::format("The holder {} is {}; every waiter is stuck until it lets go.",
                                  JavaQuote(h), Doing(h));
      f.evidence.push_back(Evidence(*a.input, h.line, JavaQuote(h)));
      if (l.held) f.evidence.push_back(Evidence(*a.input, l.held->line, JavaLockText(*l.held)));
    } else {
      f.title = fmt::format("lock contention: {} wait for {}, which no thread holds",
                            JavaCount(l.waiters.size(), "thread"), JavaLockText(shown));
      f.explanation =
          "No thread in the dump shows the lock as held: the holder released it just as the "
          "dump was taken, or the dump is partial.";
    }
    f.subject = l.class_name;
    for (size_t i = 0; i < l.waiters.size() && i < kMaxListed; ++i) {
      f.evidence.push_back(
          Evidence(*a.input, d.threads[l.waiters[i]].line, JavaQuote(d.threads[l.waiters[i]])));
    }
    out->push_back(std::move(f));
  }
}

void AddSeriesVerdicts(const std::vector<Analysed>& all, const JavaSeries& s,
                       std::vector<Finding>* out) {
  if (s.deadlock_formed_at > 0) {
    const Analysed& before = all[s.deadlock_formed_at - 1];
    const Analysed& after = all[s.deadlock_formed_at];
    Finding f;
    f.kind = "deadlock-forming";
    f.severity = Severity::kError;
    f.confidence = 0.95;
    f.time = after.input->dump.time;
    std::vector<std::string> names;
    for (const std::string& n : s.forming_threads) names.push_back("\"" + n + "\"");
    f.title = fmt::format("deadlock formed between dump {} and dump {}: {}", s.deadlock_formed_at,
                          s.deadlock_formed_at + 1, fmt::join(names, ", "));
    f.explanation = fmt::format(
        "The threads were not deadlocked in the dump at {} ({}:{}) and are in the dump at {} "
        "({}:{}).",
        before.input->dump.time == kNoTime ? "?" : FormatTime(before.input->dump.time, 0),
        before.input->path, before.input->dump.line,
        after.input->dump.time == kNoTime ? "?" : FormatTime(after.input->dump.time, 0),
        after.input->path, after.input->dump.line);
    f.evidence.push_back(Evidence(*before.input, before.input->dump.line, "dump"));
    f.evidence.push_back(Evidence(*after.input, after.input->dump.line, "dump"));
    out->push_back(std::move(f));
  }
  if (!s.stuck.empty()) {
    Finding f;
    f.kind = "stuck-threads";
    f.severity = Severity::kWarning;
    f.confidence = 0.7;
    f.time = all.back().input->dump.time;
    const StuckThread& first = s.stuck.front();
    f.title = fmt::format("{} thread{} made no progress across {} dumps (e.g. \"{}\" {} in {})",
                          s.stuck.size(), s.stuck.size() == 1 ? "" : "s", s.dumps, first.name,
                          JavaThreadStateName(first.state), first.top_frame);
    f.explanation =
        "Same state and identical stack in every dump: blocked, or running the same "
        "application frame without moving on.";
    for (size_t i = 0; i < s.stuck.size() && i < kMaxListed; ++i) {
      const StuckThread& st = s.stuck[i];
      const Analysed& last = all.back();
      const JavaThread& t = last.input->dump.threads[st.thread_per_dump.back()];
      f.evidence.push_back(Evidence(*last.input, t.line, JavaQuote(t)));
    }
    out->push_back(std::move(f));
  }
}

size_t VirtualCount(const JavaThreadDump& d) {
  return std::count_if(d.threads.begin(), d.threads.end(),
                       [](const JavaThread& t) { return t.is_virtual; });
}

std::string DumpTitle(const Analysed& a, size_t index, size_t count) {
  const JavaThreadDump& d = a.input->dump;
  std::string s = count > 1 ? fmt::format("Dump {} of {}", index + 1, count) : "Dump";
  s += fmt::format(" ({}:{}", a.input->path, d.line);
  if (d.time != kNoTime) s += ", " + FormatTime(d.time, 0);
  s += ")";
  if (!d.jvm.empty()) s += ": " + d.jvm;
  return s;
}

// ---- text ----

void RenderText(const std::vector<Analysed>& all, const JavaSeries& series,
                const DumpOptions& options, std::string* out) {
  for (size_t k = 0; k < all.size(); ++k) {
    const Analysed& a = all[k];
    const JavaThreadDump& d = a.input->dump;
    const LockGraph& g = a.graph;
    *out += DumpTitle(a, k, all.size()) + "\n";
    size_t virt = VirtualCount(d);
    *out += fmt::format("  {}{}: {}\n", JavaCount(d.threads.size(), "thread"),
                        virt ? fmt::format(" ({} virtual)", virt) : "", StatesText(a.summary));
    if (std::string cut = IncompleteText(a.summary); !cut.empty()) *out += "  " + cut + "\n";
    if (d.smr_length >= 0) *out += fmt::format("  SMR thread list: {} threads\n", d.smr_length);
    if (k + 1 < all.size()) {  // earlier dumps of a series: the summary; the last in full
      if (!g.cycles.empty()) *out += fmt::format("  {} deadlock cycle(s)\n", g.cycles.size());
      *out += "\n";
      continue;
    }
    if (!g.cycles.empty()) {
      *out += fmt::format("  Deadlocks ({}), who waits for whom:\n", g.cycles.size());
      for (const WaitCycle& c : g.cycles) {
        for (size_t i = 0; i < c.threads.size(); ++i) {
          const WaitEdge& e = *c.edges[i];
          *out += fmt::format("    {} waits for {} (line {}), held by {} (line {})\n",
                              JavaQuote(d.threads[e.thread]), JavaLockText(*e.wait), e.wait->line,
                              JavaQuote(d.threads[e.holder]), e.held->line);
        }
        *out += "\n";
      }
    }
    if (!g.chains.empty()) {
      *out += "  Blocking chains:\n";
      for (size_t i = 0; i < g.chains.size() && i < kMaxListed; ++i) {
        *out += "    " + Chain(d, g, g.chains[i].threads, false);
        if (g.chains[i].other_starts > 0) {
          *out += fmt::format(" (+{} more at the start)", g.chains[i].other_starts);
        }
        *out += "\n";
      }
    }
    if (!g.contended.empty()) {
      *out += "  Contended locks:\n";
      for (size_t i = 0; i < g.contended.size() && i < kMaxListed; ++i) {
        const ContendedLock& l = g.contended[i];
        LockRef shown{LockAction::kLocked, l.address, l.class_name};
        *out += fmt::format(
            "    {:>4} waiting  {}  held by {}\n", l.waiters.size(), JavaLockText(shown),
            l.holder < 0
                ? std::string("no thread")
                : JavaQuote(d.threads[l.holder]) + " (" + Doing(d.threads[l.holder]) + ")");
      }
    }
    *out += "  Identical stacks:\n";
    for (size_t i = 0; i < a.groups.size() && i < options.max_groups; ++i) {
      const StackGroup& grp = a.groups[i];
      const JavaThread& t = d.threads[grp.threads.front()];
      *out +=
          fmt::format("    {:>4} x {:<13} {}\n", grp.threads.size(), JavaThreadStateName(grp.state),
                      grp.threads.size() == 1 ? JavaQuote(t) : JavaQuote(t) + " ...");
      for (size_t f = 0; f < t.frames.size() && f < 4; ++f) {
        *out += "           at " + t.frames[f].text + "\n";
      }
    }
    if (a.groups.size() > options.max_groups) {
      *out += fmt::format("    ... {} more groups (--format json lists them all)\n",
                          a.groups.size() - options.max_groups);
    }
    *out += "\n";
  }
  if (series.dumps > 1) {
    *out += fmt::format("Series of {} dumps\n", series.dumps);
    *out += fmt::format("  stuck (same stack in every dump): {}\n", series.stuck.size());
    for (size_t i = 0; i < series.stuck.size() && i < kMaxListed; ++i) {
      *out += fmt::format("    \"{}\" {} in {}\n", series.stuck[i].name,
                          JavaThreadStateName(series.stuck[i].state), series.stuck[i].top_frame);
    }
    *out += fmt::format("  appeared: {}, vanished: {}\n", series.appeared.size(),
                        series.vanished.size());
    for (size_t i = 0; i < series.appeared.size() && i < kMaxListed; ++i) {
      *out += "    + " + series.appeared[i] + "\n";
    }
    for (size_t i = 0; i < series.vanished.size() && i < kMaxListed; ++i) {
      *out += "    - " + series.vanished[i] + "\n";
    }
  }
}

// ---- Markdown ----

void RenderMarkdown(const std::vector<Analysed>& all, const JavaSeries& series,
                    const DumpOptions& options, std::string* out) {
  for (size_t k = 0; k < all.size(); ++k) {
    const Analysed& a = all[k];
    const JavaThreadDump& d = a.input->dump;
    const LockGraph& g = a.graph;
    *out += "### " + MarkdownCell(DumpTitle(a, k, all.size())) + "\n\n";
    *out += fmt::format("{}: {}\n\n", JavaCount(d.threads.size(), "thread"), StatesText(a.summary));
    if (std::string cut = IncompleteText(a.summary); !cut.empty()) *out += "**" + cut + "**\n\n";
    if (k + 1 < all.size()) continue;  // earlier dumps of a series: the summary only
    if (!g.cycles.empty()) {
      *out +=
          "**Deadlocks** (who waits for whom)\n\n| thread | waits for | held by |\n|---|---|---|\n";
      for (const WaitCycle& c : g.cycles) {
        for (const WaitEdge* e : c.edges) {
          *out += fmt::format("| {} | {} (line {}) | {} (line {}) |\n",
                              MarkdownCell(JavaQuote(d.threads[e->thread])),
                              MarkdownCell(JavaLockText(*e->wait)), e->wait->line,
                              MarkdownCell(JavaQuote(d.threads[e->holder])), e->held->line);
        }
      }
      *out += "\n";
    }
    if (!g.chains.empty()) {
      *out += "**Blocking chains**\n\n";
      for (size_t i = 0; i < g.chains.size() && i < kMaxListed; ++i) {
        *out += "- " + MarkdownCell(Chain(d, g, g.chains[i].threads, false)) + "\n";
      }
      *out += "\n";
    }
    if (!g.contended.empty()) {
      *out += "**Contended locks**\n\n| waiters | lock | held by |\n|---:|---|---|\n";
      for (size_t i = 0; i < g.contended.size() && i < kMaxListed; ++i) {
        const ContendedLock& l = g.contended[i];
        LockRef shown{LockAction::kLocked, l.address, l.class_name};
        *out +=
            fmt::format("| {} | {} | {} |\n", l.waiters.size(), MarkdownCell(JavaLockText(shown)),
                        l.holder < 0 ? std::string("no thread")
                                     : MarkdownCell(JavaQuote(d.threads[l.holder]) + " (" +
                                                    Doing(d.threads[l.holder]) + ")"));
      }
      *out += "\n";
    }
    *out +=
        "**Identical stacks**\n\n| threads | state | first thread | top frame "
        "|\n|---:|---|---|---|\n";
    for (size_t i = 0; i < a.groups.size() && i < options.max_groups; ++i) {
      const StackGroup& grp = a.groups[i];
      const JavaThread& t = d.threads[grp.threads.front()];
      *out +=
          fmt::format("| {} | {} | {} | {} |\n", grp.threads.size(), JavaThreadStateName(grp.state),
                      MarkdownCell(JavaQuote(t)), MarkdownCell(TopFrame(t)));
    }
    *out += "\n";
  }
  if (series.dumps > 1) {
    *out +=
        fmt::format("**Series of {} dumps**: {} stuck, {} appeared, {} vanished\n\n", series.dumps,
                    series.stuck.size(), series.appeared.size(), series.vanished.size());
    for (size_t i = 0; i < series.stuck.size() && i < kMaxListed; ++i) {
      *out += fmt::format("- stuck: \"{}\" {} in `{}`\n", MarkdownCell(series.stuck[i].name),
                          JavaThreadStateName(series.stuck[i].state), series.stuck[i].top_frame);
    }
  }
}

// ---- JSON ----

void ThreadJson(const JavaThread& t, JsonWriter* j) {
  j->BeginObject().Key("name").String(t.name).Key("id").String(t.id).Key("nid").String(t.nid);
  j->Key("state").String(JavaThreadStateName(t.state)).Key("line").Int(t.line);
  if (t.is_virtual) j->Key("virtual").Bool(true);
  if (!t.carrier.empty()) j->Key("carrier").String(t.carrier);
  j->EndObject();
}

void RenderJson(const std::vector<Analysed>& all, const JavaSeries& series, JsonWriter* j) {
  j->Key("dumps").BeginArray();
  for (const Analysed& a : all) {
    const JavaThreadDump& d = a.input->dump;
    const LockGraph& g = a.graph;
    j->BeginObject().Key("path").String(a.input->path).Key("line").Int(d.line);
    j->Key("time").Time(d.time, 9).Key("jvm").String(d.jvm).Key("format").String(d.format);
    j->Key("complete").Bool(d.complete).Key("threads").Int(d.threads.size());
    if (std::string cut = IncompleteText(a.summary); !cut.empty()) {
      j->Key("incomplete").String(cut).Key("java_threads_read").Int(a.summary.java_threads_read);
    }
    j->Key("virtual_threads").Int(VirtualCount(d));
    if (d.smr_length >= 0) j->Key("smr_length").Int(d.smr_length);
    j->Key("states").BeginObject();
    for (size_t i = 0; i < a.summary.states.size(); ++i) {
      if (a.summary.states[i]) {
        j->Key(JavaThreadStateName(static_cast<JavaThreadState>(i))).Int(a.summary.states[i]);
      }
    }
    j->EndObject();
    j->Key("deadlocks").BeginArray();
    for (const WaitCycle& c : g.cycles) {
      j->BeginObject().Key("through_synchronizer").Bool(c.through_synchronizer);
      j->Key("edges").BeginArray();
      for (const WaitEdge* e : c.edges) {
        j->BeginObject().Key("thread").String(d.threads[e->thread].name);
        j->Key("waits_for").String(e->wait->address).Key("class").String(e->wait->class_name);
        j->Key("wait_line").Int(e->wait->line);
        j->Key("held_by").String(d.threads[e->holder].name).Key("held_line").Int(e->held->line);
        j->EndObject();
      }
      j->EndArray().EndObject();
    }
    j->EndArray();
    j->Key("jvm_reported_deadlocks").Int(d.jvm_deadlocks.size());
    j->Key("chains").BeginArray();
    for (const WaitChain& c : g.chains) {
      j->BeginObject().Key("threads").BeginArray();
      for (int t : c.threads) j->String(d.threads[t].name);
      j->EndArray().Key("other_starts").Int(c.other_starts).EndObject();
    }
    j->EndArray();
    j->Key("contended").BeginArray();
    for (const ContendedLock& l : g.contended) {
      j->BeginObject().Key("lock").String(l.address).Key("class").String(l.class_name);
      j->Key("holder");
      if (l.holder < 0) {
        j->Null();
      } else {
        j->String(d.threads[l.holder].name);
      }
      j->Key("waiters").BeginArray();
      for (int t : l.waiters) j->String(d.threads[t].name);
      j->EndArray().EndObject();
    }
    j->EndArray();
    j->Key("groups").BeginArray();
    for (const StackGroup& grp : a.groups) {
      const JavaThread& t = d.threads[grp.threads.front()];
      j->BeginObject().Key("count").Int(grp.threads.size());
      j->Key("state").String(JavaThreadStateName(grp.state));
      j->Key("frames").BeginArray();
      for (const JavaFrame& f : t.frames) j->String(f.text);
      j->EndArray().Key("threads").BeginArray();
      for (int i : grp.threads) ThreadJson(d.threads[i], j);
      j->EndArray().EndObject();
    }
    j->EndArray();
    j->EndObject();
  }
  j->EndArray();
  if (series.dumps > 1) {
    j->Key("series").BeginObject().Key("dumps").Int(series.dumps);
    j->Key("stuck").BeginArray();
    for (const StuckThread& s : series.stuck) {
      j->BeginObject().Key("name").String(s.name).Key("state").String(JavaThreadStateName(s.state));
      j->Key("top_frame").String(s.top_frame).EndObject();
    }
    j->EndArray().Key("appeared").BeginArray();
    for (const std::string& s : series.appeared) j->String(s);
    j->EndArray().Key("vanished").BeginArray();
    for (const std::string& s : series.vanished) j->String(s);
    j->EndArray().Key("deadlock_formed_at");
    if (series.deadlock_formed_at < 0) {
      j->Null();
    } else {
      j->Int(series.deadlock_formed_at);
    }
    j->EndObject();
  }
}

// Threads the JVM's own deadlock report puts in a cycle (its report also lists threads that
// merely wait for one).
std::set<std::string> JvmCycleThreads(const std::vector<JvmDeadlockEdge>& block) {
  std::map<std::string, std::string> next;
  for (const JvmDeadlockEdge& e : block) next[e.thread] = e.holder;
  std::set<std::string> out;
  for (const auto& [start, unused] : next) {
    std::string t = start;
    for (size_t steps = 0; steps <= next.size() && next.contains(t); ++steps) {
      t = next[t];
      if (t == start) {
        out.insert(start);
        break;
      }
    }
  }
  return out;
}

// The JVM's report is never the evidence, but when it names a deadlocked thread our graph does
// not put in a cycle, the lock lines are incomplete (a dump taken without -l hides the holders
// of j.u.c. locks) and the reader should know.
void CrossCheckJvmReport(const JavaDumpInput& in, const LockGraph& g,
                         std::vector<std::string>* diagnostics) {
  std::set<std::string> ours;
  for (const WaitCycle& c : g.cycles) {
    for (int t : c.threads) ours.insert(in.dump.threads[t].name);
  }
  for (const auto& block : in.dump.jvm_deadlocks) {
    for (const std::string& name : JvmCycleThreads(block)) {
      if (ours.contains(name)) continue;
      diagnostics->push_back(fmt::format(
          "{}:{}: the JVM reports \"{}\" deadlocked, but the dump's lock lines do not show the "
          "cycle (without jstack -l the holders of java.util.concurrent locks are not printed)",
          in.path, block.empty() ? in.dump.line : block.front().line, name));
    }
  }
}

// The headline when no verdict fired, from the last dump's summary (the one the detail shows in
// full): what waits and what is BLOCKED is said, never hidden behind "no contention".
Finding QuietVerdict(const std::vector<Analysed>& all) {
  Finding f;
  f.kind = "no-deadlock";
  f.severity = Severity::kInfo;
  f.confidence = kWholeDumpConfidence;
  if (all.empty()) {
    f.title = "no Java threads found";
    return f;
  }
  const Analysed& last = all.back();
  f.time = last.input->dump.time;
  f.title = QuietTitle(last.input->dump, last.summary);
  if (all.size() > 1) f.title += fmt::format(", {} dumps", all.size());
  f.explanation = "No thread waits for a lock another thread holds in a cycle";
  if (last.summary.waiters > 0) {
    f.explanation += fmt::format(
        ", and fewer than {} wait for any one lock: the waits listed under Contended locks are "
        "ordinary traffic unless they repeat in a later dump",
        kContentionMinWaiters);
  }
  f.explanation += ".";
  if (last.summary.blocked_unexplained > 0) {
    f.explanation +=
        " A BLOCKED thread whose monitor no thread is shown holding was taken as the holder "
        "let go, or in a dump without its lock lines (jstack without -l, a JVM that printed "
        "\"locked\" for a monitor being re-entered after wait()).";
  }
  f.evidence.push_back(Evidence(*last.input, last.input->dump.line, "thread dump"));
  return f;
}

// A dump cut off, or a fragment, says so in a verdict of its own put first: the headline of
// every format. The verdicts on what the dump does not show are less sure.
void SayIncomplete(const std::vector<Analysed>& all, std::vector<Finding>* verdicts) {
  Finding f;
  f.kind = "dump-incomplete";
  f.severity = Severity::kWarning;
  f.confidence = 1.0;  // the missing end or header is a fact of the file
  std::vector<std::string> said;
  for (size_t k = 0; k < all.size(); ++k) {
    std::string cut = IncompleteText(all[k].summary);
    if (cut.empty()) continue;
    said.push_back(all.size() > 1 ? fmt::format("dump {} of {}: {}", k + 1, all.size(), cut) : cut);
    const JavaThreadDump& d = all[k].input->dump;
    if (f.time == kNoTime) f.time = d.time;
    uint64_t line = d.threads.empty() ? d.line : d.threads.back().line;
    f.evidence.push_back(Evidence(*all[k].input, line, "the last thread read"));
  }
  if (said.empty()) return;
  f.title = fmt::format("{}", fmt::join(said, "; "));
  f.explanation =
      "The dump does not run from its \"Full thread dump\" header to the JVM's end marker "
      "(\"JNI global refs\"): threads not in the file may close a cycle or hold a lock the "
      "others wait for. What the threads read show stands; what they do not show is less sure.";
  for (Finding& v : *verdicts) {
    if (v.kind == "no-deadlock") v.confidence = std::min(v.confidence, kIncompleteDumpConfidence);
  }
  verdicts->insert(verdicts->begin(), std::move(f));
}

}  // namespace

DumpAnalysis AnalyzeJavaThreadDumps(const std::vector<JavaDumpInput>& inputs,
                                    std::vector<std::string> diagnostics,
                                    const DumpOptions& options) {
  DumpAnalysis out;
  out.kind = "java-threads";
  out.diagnostics = std::move(diagnostics);
  out.path = inputs.empty() ? std::string() : inputs.front().path;
  std::vector<Analysed> all;
  all.reserve(inputs.size());
  for (const JavaDumpInput& in : inputs) {
    Analysed a{&in, BuildLockGraph(in.dump), GroupJavaStacks(in.dump, options.similarity), {}};
    for (const LockRef* l : a.graph.orphan_waits) {
      out.diagnostics.push_back(fmt::format("{}:{}: {} {} that no thread in the dump holds",
                                            in.path, l->line, LockActionName(l->action),
                                            JavaLockText(*l)));
    }
    CrossCheckJvmReport(in, a.graph, &out.diagnostics);
    all.push_back(std::move(a));
    // After the move: the summary points into the graph's lists.
    all.back().summary = SummarizeJavaDump(in.dump, all.back().graph);
  }
  std::vector<const JavaThreadDump*> dumps;
  std::vector<const LockGraph*> graphs;
  for (const Analysed& a : all) {
    dumps.push_back(&a.input->dump);
    graphs.push_back(&a.graph);
  }
  JavaSeries series = CompareJavaDumps(dumps, graphs);

  // Verdicts: the deadlocks of the last dump that has any (a series reports each cycle once),
  // then how it formed, blocking chains and contention in the last dump, stuck threads.
  const Analysed* with_cycles = nullptr;
  for (const Analysed& a : all) {
    if (!a.graph.cycles.empty()) with_cycles = &a;
  }
  if (with_cycles) AddCycleVerdicts(*with_cycles, &out.verdicts);
  // What the last dump's threads wait for (pool borrowers, idle workers).
  std::vector<WaitSiteCount> waits;
  if (!all.empty()) {
    waits = TallyJavaWaits(*all.back().input, all.back().groups,
                           options.wait_sites ? *options.wait_sites : WaitSiteTable::BuiltIn());
    AddSeriesVerdicts(all, series, &out.verdicts);
    for (Finding& f : WaitVerdicts(waits, "thread", all.back().input->dump.time))
      out.verdicts.push_back(std::move(f));
    AddChainVerdicts(all.back(), &out.verdicts);
    AddContentionVerdicts(all.back(), &out.verdicts);
  }
  if (out.verdicts.empty()) out.verdicts.push_back(QuietVerdict(all));
  SayIncomplete(all, &out.verdicts);

  const JavaThreadDump* last = all.empty() ? nullptr : &all.back().input->dump;
  DumpOwnTime own;
  if (last != nullptr) {
    own.time = last->time;
    own.wall_clock = last->time_zone_assumed;
    own.zone = last->time_zone;
    if (!own.zone.empty()) own.zone_where = fmt::format("line {}", last->line);
  }
  std::string no_time = "the dump has no timestamp";
  if (last != nullptr && !last->unreadable_time.empty()) {
    no_time = fmt::format("unreadable timestamp '{}' on line {}", last->unreadable_time,
                          last->unreadable_time_line);
  }
  SetJavaDumpTime(out.path, own, options, &out, no_time);
  RenderText(all, series, options, &out.text);
  out.text += WaitText(waits, "thread");
  RenderMarkdown(all, series, options, &out.markdown);
  if (!waits.empty()) out.markdown += "\n```" + WaitText(waits, "thread") + "```\n";
  JsonWriter j(JsonStyle::kCompact);
  j.BeginObject().Key("kind").String(out.kind).Key("path").String(out.path);
  RenderJson(all, series, &j);
  j.Key("wait_sites");
  WaitJson(waits, &j);
  j.EndObject();
  out.json = j.Take();
  return out;
}

}  // namespace inquest
