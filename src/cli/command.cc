#include "cli/command.h"

#include <fmt/format.h>

#include <cstdio>
#include <string>
#include <vector>

#include "base/strings.h"
#include "cli/common.h"

namespace inquest::cli {

std::span<const Command> Commands() {
  static constexpr Command kCommands[] = {
      {"analyze",
       "the main job: read every evidence file of an incident, find the onset and "
       "what changed, write findings, a post-mortem draft and a report",
       RunAnalyze},
      {"detect", "say what kind of evidence each file is, in which format, and how sure",
       RunDetect},
      {"timeline",
       "merge logs, changes, alerts, dumps and traces into one timeline; rebuild one request",
       RunTimeline},
      {"rate", "count events per time window, grouped, with error ratio, latency and onset",
       RunRate},
      {"changes", "list change records around a time, or ranked against the error onset",
       RunChanges},
      {"trace", "trace waterfall: critical path, self time, clock skew, diff of two traces",
       RunTrace},
      {"dump",
       "read goroutine, Java thread, Python, hs_err and gdb dumps: groups, deadlocks, verdict",
       RunDump},
      {"core",
       "every thread's stack of an ELF core, with signal, symbols, lines and the walk to the "
       "origin",
       RunCore},
      {"heap",
       "a Java heap dump (HPROF): histogram, dominator tree, retained sizes, leak suspects, diff",
       RunHeap},
      {"symbolize", "turn a crash file written by libinquest_crash into a symbolized report",
       RunSymbolize},
      {"capture",
       "preserve a live process's evidence (proc snapshot, core, runtime dumps) before restart",
       RunCapture},
      {"runbook", "print the crash and dump capture configuration for go, java, python or native",
       RunRunbook},
      {"lab", "drill scenarios that crash, hang or run out of memory, with worked transcripts",
       RunLab},
      {"pm", "post-mortem documents: new (scaffold), lint (check), import (into the store)", RunPm},
      {"actions", "action items: list, add, update, done, review, sync with GitHub or Jira",
       RunActions},
      {"incidents", "what the store holds: list incidents, or show one with its items' history",
       RunIncidents},
      {"metrics", "time to detect and recover per SEV, action-item completion and balance",
       RunMetrics},
      {"serve", "the action-item dashboard in a browser", RunServe},
  };
  return kCommands;
}

namespace {

void PrintSubcommandUsage(FILE* out, std::string_view command, std::span<const Command> subs) {
  size_t width = 0;
  for (const Command& s : subs) width = std::max(width, s.name.size());
  fmt::print(out, "usage: inquest {} <subcommand> [options]\n\n", command);
  for (const Command& s : subs) fmt::print(out, "  {:<{}}  {}\n", s.name, width, s.summary);
  fmt::print(out, "\nRun 'inquest {} <subcommand> --help' for its options.\n", command);
}

}  // namespace

int RunSubcommands(std::string_view command, std::span<const Command> subs, int argc, char** argv) {
  if (argc < 2) {
    PrintSubcommandUsage(stderr, command, subs);
    return 2;
  }
  std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    PrintSubcommandUsage(stdout, command, subs);
    return 0;
  }
  for (const Command& s : subs)
    if (s.name == name) return s.run(argc - 1, argv + 1);
  std::vector<std::string_view> names;
  for (const Command& s : subs) names.push_back(s.name);
  std::string_view guess = ClosestMatch(name, names);
  return Fail(
      command,
      Status::InvalidArgument(
          guess.empty() ? fmt::format("unknown subcommand '{}'", name)
                        : fmt::format("unknown subcommand '{}'. Did you mean '{}'?", name, guess)));
}

}  // namespace inquest::cli
