// Where the ticket sync sends its requests and with which token: the command's flags, then the
// environment, then inquest.toml's [sync.github] / [sync.jira] tables (first found wins).
// Tokens come from the environment only, never from the config file (which gets committed):
// GITHUB_TOKEN (or GH_TOKEN) and JIRA_TOKEN (or JIRA_API_TOKEN), or the variable the table's
// `token_env` names.
//
//   [sync.github]                      [sync.jira]
//   repo = "acme/checkout"             url = "https://acme.atlassian.net"
//   api_url = "https://api.github.com" project = "OPS"
//   token_env = "INQUEST_GH_TOKEN"     issue_type = "Task"
//                                      email = "sre-bot@acme.example"   # Jira Cloud
#ifndef INQUEST_STORE_SYNC_CONFIG_H_
#define INQUEST_STORE_SYNC_CONFIG_H_

#include <toml++/toml.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "store/sync_github.h"
#include "store/sync_jira.h"

namespace inquest::store {

// Values given on the command line; empty = not given.
struct SyncFlags {
  std::string url;      // --url: GitHub API root or Jira site
  std::string repo;     // --repo (GitHub)
  std::string project;  // --project (Jira)
  // --allow-http-loopback: accept an http:// URL on this machine (tests and local mocks).
  bool allow_http_loopback = false;
};

// Reads an environment variable; nullopt when unset or empty. Tests pass a map.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;
EnvLookup ProcessEnv();

// Environment variables read (besides the tokens): GITHUB_API_URL, GITHUB_REPOSITORY (as set in
// GitHub Actions). InvalidArgument naming every place a missing value can come from, and for
// an API URL that is not https (http on a loopback host only with allow_http_loopback).
Result<GitHubConfig> ResolveGitHub(const toml::table& config, const SyncFlags& flags,
                                   const EnvLookup& env);
// Environment variables read: JIRA_URL, JIRA_PROJECT, JIRA_EMAIL, JIRA_ISSUE_TYPE.
Result<JiraConfig> ResolveJira(const toml::table& config, const SyncFlags& flags,
                               const EnvLookup& env);

}  // namespace inquest::store

#endif  // INQUEST_STORE_SYNC_CONFIG_H_
