// inquest: a post-mortem workbench. Dispatches to the subcommand table in command.cc.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "base/config.h"
#include "base/output.h"
#include "base/strings.h"
#include "cli/command.h"
#include "native/core_analysis.h"
#include "native/core_worker.h"

#ifndef INQUEST_VERSION
#define INQUEST_VERSION "0.0.0"
#endif

namespace inquest::cli {
namespace {

void PrintUsage(FILE* out) {
  fmt::print(out,
             "inquest {}: a post-mortem workbench\n\n"
             "usage: inquest <command> [options]\n\n"
             "commands:\n",
             INQUEST_VERSION);
  size_t width = 0;
  for (const Command& c : Commands()) width = std::max(width, c.name.size());
  for (const Command& c : Commands()) fmt::print(out, "  {:<{}}  {}\n", c.name, width, c.summary);
  fmt::print(out,
             "\n  help [command]  this text, or a command's options\n"
             "\nRun 'inquest <command> --help' for a command's options.\n"
             "--no-redact, anywhere on the command line, writes secrets found in the evidence\n"
             "as they are (docs/SECURITY.md); by default every output is redacted.\n"
             "Exit codes: 0 done, 1 done and found what the command checks for, 2 usage,\n"
             "3 bad input, 4 internal error.\n");
}

const Command* Find(std::string_view name) {
  for (const Command& c : Commands())
    if (c.name == name) return &c;
  return nullptr;
}

int Unknown(std::string_view name) {
  std::vector<std::string_view> names;
  for (const Command& c : Commands()) names.push_back(c.name);
  names.push_back("help");
  std::string_view guess = ClosestMatch(name, names);
  if (!guess.empty()) {
    fmt::print(stderr, "inquest: unknown command '{}'. Did you mean '{}'?\n", name, guess);
  } else {
    fmt::print(stderr, "inquest: unknown command '{}'. Run 'inquest help' for the list.\n", name);
  }
  return 2;
}

// The global flag: removed from argv wherever it stands, so no command's parser sees it.
constexpr std::string_view kNoRedactFlag = "--no-redact";

bool TakeNoRedact(int* argc, char** argv) {
  bool found = false;
  int out = 0;
  for (int i = 0; i < *argc; ++i) {
    if (i > 0 && argv[i] == kNoRedactFlag) {
      found = true;
      continue;
    }
    argv[out++] = argv[i];
  }
  argv[out] = nullptr;
  *argc = out;
  return found;
}

// The config a command will read (its --config, else the searched one), loaded now so that its
// [redact] patterns (base/output.h) apply to everything the command writes.
Status LoadRedactPatterns(int argc, char** argv) {
  ConfigSearch search;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--config" && i + 1 < argc) search.explicit_path = argv[i + 1];
    if (a.starts_with("--config=")) search.explicit_path = std::string(a.substr(9));
  }
  return LoadConfig(search).status();
}

int RunCommand(const Command& c, int argc, char** argv) {
  if (RedactionEnabled()) {
    if (Status s = LoadRedactPatterns(argc, argv); !s.ok()) {
      fmt::print(stderr, "inquest {}: {}\n", c.name, s.ToString());
      return s.ExitCode();
    }
  }
  int rc = c.run(argc, argv);
  std::string summary = OutputTally().Summary();
  if (!summary.empty())
    fmt::print(stderr, "inquest {}: redacted {} in the output ({} keeps them)\n", c.name, summary,
               kNoRedactFlag);
  return rc;
}

}  // namespace

int Main(int argc, char** argv) {
  // The worker `inquest core` runs a core's analysis in (native/core_worker.h): it speaks a
  // binary record on its stdout, so it starts before the output boundary and reads no config.
  if (argc == 3 && std::string_view(argv[1]) == "core" && std::string_view(argv[2]) == "--worker")
    RunCoreWorker(STDIN_FILENO, STDOUT_FILENO);
  // Cores are read in a worker that is this program started afresh (native/core_analysis.h).
  SetCoreWorkerProgram("/proc/self/exe");
  // The output boundary: from here on, everything printed is redacted (base/output.h).
  InstallOutputBoundary();
  if (TakeNoRedact(&argc, argv)) SetRedactionEnabled(false);
  if (argc < 2) {
    PrintUsage(stderr);
    return 2;
  }
  std::string_view cmd = argv[1];
  if (cmd == "--version" || cmd == "version") {
    fmt::print("inquest {}\n", INQUEST_VERSION);
    return 0;
  }
  if (cmd == "help" || cmd == "--help" || cmd == "-h") {
    if (argc >= 3 && cmd == "help") {
      const Command* c = Find(argv[2]);
      if (!c) return Unknown(argv[2]);
      char help[] = "--help";
      char* sub_argv[] = {argv[2], help, nullptr};
      return c->run(2, sub_argv);
    }
    PrintUsage(stdout);
    return 0;
  }
  const Command* c = Find(cmd);
  if (!c) return Unknown(cmd);
  // Bad input is a Status (exit 3); what arrives here is a bug or the machine running out of
  // memory, said in one line with the internal-error exit code rather than an abort.
  try {
    return RunCommand(*c, argc - 1, argv + 1);
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "inquest {}: internal error: out of memory\n", c->name);
  } catch (const std::exception& e) {
    fmt::print(stderr, "inquest {}: internal error: {}\n", c->name, e.what());
  }
  FlushOutput();
  return 4;
}

}  // namespace inquest::cli

int main(int argc, char** argv) { return inquest::cli::Main(argc, argv); }
