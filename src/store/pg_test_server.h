// A throw-away PostgreSQL server for the store's tests, started from Debian's packages
// (/usr/lib/postgresql/<version>/bin): initdb into a temporary folder, then pg_ctl start with
// no TCP listener and its unix socket in that folder, so tests never collide with each other or
// with a system server. PostgreSQL refuses to run as root, so under root the server runs as
// `nobody` (runuser). Header-only: included by tests only.
#ifndef INQUEST_STORE_PG_TEST_SERVER_H_
#define INQUEST_STORE_PG_TEST_SERVER_H_

#include <fmt/format.h>
#include <libpq-fe.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "base/status.h"

namespace inquest::store {

class PgTestServer {
 public:
  // The binaries folder of the newest installed PostgreSQL, or "" when none is installed.
  static std::string FindBinaries() {
    std::error_code ec;
    std::string best;
    for (const auto& e : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
      std::string bin = e.path().string() + "/bin";
      if (access((bin + "/initdb").c_str(), X_OK) == 0 &&
          access((bin + "/pg_ctl").c_str(), X_OK) == 0 && bin > best) {
        best = bin;
      }
    }
    return best;
  }

  // Starts a server. NotFound when PostgreSQL is not installed (the caller skips, saying so);
  // any other error is a failure.
  static Result<std::unique_ptr<PgTestServer>> Start() {
    std::string bin = FindBinaries();
    if (bin.empty()) return Status::NotFound("PostgreSQL is not installed (/usr/lib/postgresql)");
    char tmpl[] = "/tmp/inquest-pg-XXXXXX";
    if (!mkdtemp(tmpl)) return Status::IoError("mkdtemp failed");
    auto s = std::unique_ptr<PgTestServer>(new PgTestServer(bin, tmpl));
    std::string as_user;
    if (geteuid() == 0) {
      if (chown(tmpl, 65534, 65534) != 0) return Status::IoError("chown to nobody failed", tmpl);
      as_user = "runuser -u nobody -- ";
    }
    chmod(tmpl, 0755);
    std::string initdb = fmt::format(
        "cd {} && {}{}/initdb -D {}/data -U inquest --auth=trust -E UTF8 --no-sync >{}/initdb.log "
        "2>&1",
        s->dir_, as_user, bin, s->dir_, s->dir_);
    if (std::system(initdb.c_str()) != 0) {
      return Status::Internal(fmt::format("initdb failed; see {}/initdb.log", s->dir_));
    }
    // No TCP listener: the socket in our folder is the only way in, so any port number works.
    std::string start = fmt::format(
        "cd {} && {}{}/pg_ctl -D {}/data -l {}/server.log -w -t 60 -o \"-p {} -k {} -c "
        "listen_addresses='' -c fsync=off\" start >/dev/null 2>&1",
        s->dir_, as_user, bin, s->dir_, s->dir_, kPort, s->dir_);
    if (std::system(start.c_str()) != 0) {
      return Status::Internal(fmt::format("pg_ctl start failed; see {}/server.log", s->dir_));
    }
    s->as_user_ = as_user;
    s->running_ = true;
    return s;
  }

  ~PgTestServer() {
    if (running_) {
      std::string stop =
          fmt::format("cd {} && {}{}/pg_ctl -D {}/data -m immediate stop >/dev/null 2>&1", dir_,
                      as_user_, bin_, dir_);
      (void)std::system(stop.c_str());
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // A libpq URL for database `db` on this server.
  std::string Url(const std::string& db = "postgres") const {
    return fmt::format("postgresql:///{}?host={}&port={}&user=inquest", db, dir_, kPort);
  }

  // Creates an empty database and returns its URL.
  Result<std::string> CreateDatabase(const std::string& name) {
    PGconn* c = PQconnectdb(Url().c_str());
    std::string err;
    if (PQstatus(c) == CONNECTION_OK) {
      PGresult* r = PQexec(c, fmt::format("CREATE DATABASE \"{}\"", name).c_str());
      if (PQresultStatus(r) != PGRES_COMMAND_OK) err = PQresultErrorMessage(r);
      PQclear(r);
    } else {
      err = PQerrorMessage(c);
    }
    PQfinish(c);
    if (!err.empty()) return Status::Internal("CREATE DATABASE: " + err);
    return Url(name);
  }

  const std::string& dir() const { return dir_; }

 private:
  // Only names the socket file (.s.PGSQL.<port>) inside our own folder.
  static constexpr int kPort = 5432;

  PgTestServer(std::string bin, std::string dir) : bin_(std::move(bin)), dir_(std::move(dir)) {}

  std::string bin_;
  std::string dir_;
  std::string as_user_;
  bool running_ = false;
};

}  // namespace inquest::store

#endif  // INQUEST_STORE_PG_TEST_SERVER_H_
