// The subcommand table: the only place that knows every command.
#ifndef INQUEST_CLI_COMMAND_H_
#define INQUEST_CLI_COMMAND_H_

#include <span>
#include <string_view>

namespace inquest::cli {

// A subcommand's entry point: argv[0] is the command name. Returns the process exit code
// (0 done, 1 found what the command checks for, 2 usage, 3 bad input, 4 internal).
using RunFn = int (*)(int argc, char** argv);

struct Command {
  std::string_view name;
  std::string_view summary;
  RunFn run;
};

std::span<const Command> Commands();

// Runs a command made of subcommands ("inquest actions list ..."): argv[1] names one of `subs`,
// which runs with argv[1..]. No name prints the usage to stderr (exit 2); --help to stdout
// (exit 0); an unknown name is a usage error naming the closest subcommand.
int RunSubcommands(std::string_view command, std::span<const Command> subs, int argc, char** argv);

// One function per file in src/cli/.
int RunAnalyze(int argc, char** argv);
int RunDetect(int argc, char** argv);
int RunTimeline(int argc, char** argv);
int RunRate(int argc, char** argv);
int RunChanges(int argc, char** argv);
int RunTrace(int argc, char** argv);
int RunDump(int argc, char** argv);
int RunCore(int argc, char** argv);
int RunHeap(int argc, char** argv);
int RunSymbolize(int argc, char** argv);
int RunCapture(int argc, char** argv);
int RunRunbook(int argc, char** argv);
int RunLab(int argc, char** argv);
int RunPm(int argc, char** argv);
int RunActions(int argc, char** argv);
int RunMetrics(int argc, char** argv);
int RunIncidents(int argc, char** argv);
int RunServe(int argc, char** argv);

}  // namespace inquest::cli

#endif  // INQUEST_CLI_COMMAND_H_
