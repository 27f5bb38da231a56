// inquest: a post-mortem workbench. Dispatches to the subcommand table in command.cc.
#include <fmt/format.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "base/strings.h"
#include "cli/command.h"

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

}  // namespace

int Main(int argc, char** argv) {
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
  if (const Command* c = Find(cmd)) return c->run(argc - 1, argv + 1);
  return Unknown(cmd);
}

}  // namespace inquest::cli

int main(int argc, char** argv) { return inquest::cli::Main(argc, argv); }
