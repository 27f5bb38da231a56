// inquest actions sync: tickets for action items in GitHub or Jira, status pulled back.
#ifndef INQUEST_CLI_ACTIONS_SYNC_H_
#define INQUEST_CLI_ACTIONS_SYNC_H_

namespace inquest::cli {

// argv[0] is "sync". Returns the exit code.
int RunActionsSync(int argc, char** argv);

}  // namespace inquest::cli

#endif  // INQUEST_CLI_ACTIONS_SYNC_H_
