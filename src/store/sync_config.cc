#include "store/sync_config.h"

#include <fmt/format.h>

#include <cstdlib>

#include "base/strings.h"

namespace inquest::store {
namespace {

// The first non-empty of: the flag, the environment variable, the config key.
std::string Pick(std::string_view flag, const EnvLookup& env, std::string_view var,
                 const toml::table* table, std::string_view key) {
  if (!flag.empty()) return std::string(flag);
  if (!var.empty())
    if (std::optional<std::string> v = env(var)) return *v;
  if (table != nullptr)
    if (std::optional<std::string> v = (*table)[key].value<std::string>(); v && !v->empty())
      return *v;
  return {};
}

// The token from `token_env` in the table, else the first set of `vars`.
Result<std::string> Token(const toml::table* table, std::initializer_list<std::string_view> vars,
                          const EnvLookup& env, std::string_view section) {
  if (table != nullptr && (*table)["token"])
    return Status::InvalidArgument(fmt::format(
        "[{}] token: tokens are not read from inquest.toml (it tends to be committed); set "
        "{} or name another variable with token_env",
        section, *vars.begin()));
  if (table != nullptr)
    if (std::optional<std::string> name = (*table)["token_env"].value<std::string>()) {
      if (std::optional<std::string> v = env(*name)) return *v;
      return Status::InvalidArgument(
          fmt::format("[{}] token_env names {}, which is not set", section, *name));
    }
  for (std::string_view var : vars)
    if (std::optional<std::string> v = env(var)) return *v;
  return Status::InvalidArgument(fmt::format("no token: set {}", *vars.begin()));
}

const toml::table* Section(const toml::table& config, std::string_view name) {
  const toml::table* sync = config["sync"].as_table();
  return sync == nullptr ? nullptr : (*sync)[name].as_table();
}

}  // namespace

EnvLookup ProcessEnv() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr || *v == '\0') return std::nullopt;
    return std::string(v);
  };
}

Result<GitHubConfig> ResolveGitHub(const toml::table& config, const SyncFlags& flags,
                                   const EnvLookup& env) {
  const toml::table* t = Section(config, "github");
  GitHubConfig c;
  c.repo = Pick(flags.repo, env, "GITHUB_REPOSITORY", t, "repo");
  if (c.repo.empty())
    return Status::InvalidArgument(
        "no GitHub repository: pass --repo OWNER/NAME, set GITHUB_REPOSITORY, or set repo in "
        "[sync.github] of inquest.toml");
  std::vector<std::string_view> parts = Split(c.repo, '/');
  if (parts.size() != 2 || parts[0].empty() || parts[1].empty())
    return Status::InvalidArgument(fmt::format("GitHub repository '{}' is not OWNER/NAME", c.repo));
  std::string url = Pick(flags.url, env, "GITHUB_API_URL", t, "api_url");
  if (!url.empty()) c.api_url = url;
  INQ_RETURN_IF_ERROR(CheckApiUrl(c.api_url, "GitHub API URL", flags.allow_http_loopback));
  c.allow_http_loopback = flags.allow_http_loopback;
  INQ_ASSIGN_OR_RETURN(c.token, Token(t, {"GITHUB_TOKEN", "GH_TOKEN"}, env, "sync.github"));
  return c;
}

Result<JiraConfig> ResolveJira(const toml::table& config, const SyncFlags& flags,
                               const EnvLookup& env) {
  const toml::table* t = Section(config, "jira");
  JiraConfig c;
  c.url = Pick(flags.url, env, "JIRA_URL", t, "url");
  if (c.url.empty())
    return Status::InvalidArgument(
        "no Jira site: pass --url, set JIRA_URL, or set url in [sync.jira] of inquest.toml");
  INQ_RETURN_IF_ERROR(CheckApiUrl(c.url, "Jira URL", flags.allow_http_loopback));
  c.allow_http_loopback = flags.allow_http_loopback;
  c.project = Pick(flags.project, env, "JIRA_PROJECT", t, "project");
  if (c.project.empty())
    return Status::InvalidArgument(
        "no Jira project: pass --project KEY, set JIRA_PROJECT, or set project in [sync.jira] "
        "of inquest.toml");
  std::string type = Pick("", env, "JIRA_ISSUE_TYPE", t, "issue_type");
  if (!type.empty()) c.issue_type = type;
  c.email = Pick("", env, "JIRA_EMAIL", t, "email");
  INQ_ASSIGN_OR_RETURN(c.token, Token(t, {"JIRA_TOKEN", "JIRA_API_TOKEN"}, env, "sync.jira"));
  return c;
}

}  // namespace inquest::store
