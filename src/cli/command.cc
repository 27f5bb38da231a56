#include "cli/command.h"

namespace inquest::cli {

std::span<const Command> Commands() {
  static constexpr Command kCommands[] = {
      {"analyze",
       "the main job: read every evidence file of an incident, find the onset and "
       "what changed, write findings, a post-mortem draft and a report",
       RunAnalyze},
      {"detect", "say what kind of evidence each file is, in which format, and how sure",
       RunDetect},
      {"timeline", "merge the events of many logs into one timeline; rebuild one request",
       RunTimeline},
      {"rate", "count events per time window, grouped, with error ratio, latency and onset",
       RunRate},
      {"changes", "list change records around a time, or ranked against the error onset",
       RunChanges},
  };
  return kCommands;
}

}  // namespace inquest::cli
