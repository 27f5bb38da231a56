// inquest actions sync --to github|jira: create tickets for open action items without one and
// pull ticket status back into the store (src/store/sync_actions.h).
#include "cli/actions_sync.h"

#include <fmt/format.h>

#include <memory>

#include "base/config.h"
#include "cli/common.h"
#include "store/settings.h"
#include "store/store.h"
#include "store/sync_actions.h"
#include "store/sync_config.h"
#include "store/sync_github.h"
#include "store/sync_jira.h"
#include "store/sync_retry.h"

namespace inquest::cli {

int RunActionsSync(int argc, char** argv) {
  CLI::App app{
      "Create tickets in GitHub or Jira for open action items that have none, and pull "
      "the tickets' status back into the store. Tokens come from the environment "
      "(GITHUB_TOKEN, JIRA_TOKEN); see docs/dashboard.md.",
      "actions sync"};
  std::string to, db, format = "text";
  store::SyncFlags flags;
  ConfigFlags config_flags;
  store::SyncOptions options;
  int64_t incident = 0;
  store::RetryPolicy retry;
  int max_wait_s = static_cast<int>(retry.max_wait.count());
  app.add_option("--to", to, "the tracker: github or jira")
      ->required()
      ->check(CLI::IsMember({"github", "jira"}));
  app.add_option("--db", db, "the store: a SQLite file or postgresql://... (see 'actions')");
  app.add_option("--url", flags.url,
                 "GitHub API root (default https://api.github.com) or Jira site URL");
  app.add_option("--repo", flags.repo, "GitHub repository OWNER/NAME");
  app.add_option("--project", flags.project, "Jira project key");
  app.add_flag("--allow-http-loopback", flags.allow_http_loopback,
               "accept an http:// URL on this machine (localhost, 127.0.0.1, [::1]), for tests "
               "and local mocks; otherwise only https carries the token");
  app.add_option("--incident", incident, "only the action items of this incident id");
  app.add_flag("--dry-run", options.dry_run,
               "say what would be created or updated; change nothing");
  app.add_option("--retries", retry.max_attempts,
                 "attempts per request when rate limited or unavailable")
      ->check(CLI::Range(1, 10));
  app.add_option("--max-wait", max_wait_s,
                 "longest wait in seconds for a rate limit to reset before giving up")
      ->check(CLI::Range(0, 3600));
  app.add_option("--format", format, "output format: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  config_flags.Add(app);
  if (std::optional<int> code = ParseArgs(app, argc, argv)) return *code;
  retry.max_wait = std::chrono::seconds(max_wait_s);
  if (incident != 0) options.incident_id = incident;

  ConfigSearch search;
  search.explicit_path = config_flags.path;
  Result<Config> config = LoadConfig(search);
  if (!config.ok()) return Fail("actions sync", config.status());
  store::CurlTransport curl;
  store::RetryingTransport http(&curl, retry);
  std::unique_ptr<store::TicketTracker> tracker;
  if (to == "github") {
    Result<store::GitHubConfig> c = store::ResolveGitHub(config->table, flags, store::ProcessEnv());
    if (!c.ok()) return Fail("actions sync", c.status());
    tracker = std::make_unique<store::GitHubTracker>(std::move(*c), &http);
  } else {
    Result<store::JiraConfig> c = store::ResolveJira(config->table, flags, store::ProcessEnv());
    if (!c.ok()) return Fail("actions sync", c.status());
    tracker = std::make_unique<store::JiraTracker>(std::move(*c), &http);
  }
  Result<store::StoreSettings> settings = store::ResolveStoreSettings(*config, db);
  if (!settings.ok()) return Fail("actions sync", settings.status());
  Result<std::unique_ptr<store::Store>> st = store::OpenStore(settings->spec, {});
  if (!st.ok()) return Fail("actions sync", st.status());

  Result<store::SyncReport> report = store::SyncActions(st->get(), tracker.get(), options);
  if (!report.ok()) return Fail("actions sync", report.status());
  if (format == "json")
    Emit(store::FormatSyncJson(*report));
  else
    fmt::print("{}", store::FormatSyncText(*report));
  const store::RetryStats& stats = http.stats();
  if (stats.retries > 0)
    fmt::print(stderr, "inquest actions sync: {} retries, {:.1f} s waited for rate limits ({})\n",
               stats.retries, stats.waited.count() / 1000.0, stats.last_note);
  if (!report->stopped.ok()) return Fail("actions sync", report->stopped);
  if (report->Count(store::SyncOutcome::kFailed) > 0) {
    fmt::print(stderr, "inquest actions sync: {} items failed\n",
               report->Count(store::SyncOutcome::kFailed));
    return 3;
  }
  return 0;
}

}  // namespace inquest::cli
