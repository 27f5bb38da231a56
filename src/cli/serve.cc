// inquest serve: the action-item dashboard on localhost (src/dashboard/).
#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <thread>

#include "cli/command.h"
#include "cli/common.h"
#include "dashboard/dashboard.h"
#include "dashboard/server.h"
#include "store/settings.h"
#include "store/store.h"

namespace inquest::cli {
namespace {

// A token short enough to guess is no protection; 16 characters of a password generator is
// the least accepted.
constexpr size_t kMinTokenChars = 16;
// The environment variable read when --token is not given (a flag shows in `ps`).
constexpr const char* kTokenEnv = "INQUEST_SERVE_TOKEN";

}  // namespace

int RunServe(int argc, char** argv) {
  CLI::App app{
      "Serve the action-item dashboard on localhost: open items aged and flagged for "
      "silent decay, incidents by SEV, the metrics. Read-only unless --allow-writes.",
      "serve"};
  std::string db, config, host = "127.0.0.1", token;
  int decay_days = 0;
  int port = 8080;
  bool allow_writes = false;
  dashboard::DashboardOptions options;
  app.add_option("--db", db, "the store: a SQLite file or postgresql://... (see 'actions')");
  app.add_option("--config", config, "inquest.toml to read (default: searched)");
  app.add_option("--port", port, "port to listen on (0: any free port; the URL is printed)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--host", host, "loopback address to listen on: 127.0.0.1 or ::1")
      ->check(CLI::IsMember({"127.0.0.1", "::1", "localhost"}));
  app.add_flag("--allow-writes", allow_writes, "let the page change an item's status");
  app.add_option("--token", token,
                 fmt::format("the token a status change must carry (at least {} characters; "
                             "default ${})",
                             kMinTokenChars, kTokenEnv));
  app.add_option("--decay-days", decay_days,
                 "days without a status change after which an open item is flagged as silent "
                 "decay (default: [store] decay_days, else 14)")
      ->check(CLI::Range(1, 3650));
  if (std::optional<int> code = ParseArgs(app, argc, argv)) return *code;
  if (token.empty())
    if (const char* env = std::getenv(kTokenEnv)) token = env;
  if (allow_writes && token.size() < kMinTokenChars)
    return Fail("serve", Status::InvalidArgument(fmt::format(
                             "--allow-writes needs --token (or ${}) of at least {} characters",
                             kTokenEnv, kMinTokenChars)));
  if (!allow_writes && !token.empty())
    fmt::print(stderr, "inquest serve: --token has no effect without --allow-writes\n");
  options.allow_writes = allow_writes;
  options.token = token;

  Result<store::StoreSettings> settings = store::LoadStoreSettings(config, db);
  if (!settings.ok()) return Fail("serve", settings.status());
  options.summary.decay_days = decay_days > 0 ? decay_days : settings->decay_days;
  options.summary.last_n = settings->last_n;
  Result<std::unique_ptr<store::Store>> st = store::OpenStore(settings->spec, {});
  if (!st.ok()) return Fail("serve", st.status());
  dashboard::Dashboard board(st->get(), options);
  dashboard::DashboardServer server(&board);

  // SIGINT and SIGTERM are taken by a waiting thread, which stops the server cleanly.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  Result<int> bound = server.Bind(host, port);
  if (!bound.ok()) return Fail("serve", bound.status());
  std::string shown_host = host == "::1" ? "[::1]" : host;
  fmt::print("inquest serve: http://{}:{}/ ({}; store {}: {})\n", shown_host, *bound,
             allow_writes ? "status changes allowed with the token" : "read-only", (*st)->backend(),
             (*st)->location());
  std::fflush(stdout);

  std::thread waiter([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    server.Stop();
  });
  Status served = server.Serve();
  // Serve() also returns when the server fails; wake the waiter so it can be joined.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  if (!served.ok()) return Fail("serve", served);
  return 0;
}

}  // namespace inquest::cli
