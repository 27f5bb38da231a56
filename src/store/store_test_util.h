// The store test fixture shared by the store's tests: the same tests run against a fresh
// SQLite file and a fresh database on a throw-away PostgreSQL server (pg_test_server.h), with
// a clock the test moves by hand. Header-only: included by tests only.
#ifndef INQUEST_STORE_STORE_TEST_UTIL_H_
#define INQUEST_STORE_STORE_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "store/pg_test_server.h"
#include "store/store.h"

namespace inquest::store {

// 2026-05-29T00:00:00Z, the day of the example incident.
inline constexpr TimePoint kTestDay = 1'780'012'800LL * kNanosPerSecond;

// One PostgreSQL server for the whole test binary, started on first use.
inline PgTestServer* SharedPgServer(std::string* skip_reason) {
  static std::unique_ptr<PgTestServer> server;
  static std::string reason;
  static bool tried = false;
  if (!tried) {
    tried = true;
    Result<std::unique_ptr<PgTestServer>> s = PgTestServer::Start();
    if (s.ok()) {
      server = std::move(s).value();
    } else {
      reason = s.status().ToString();
    }
  }
  *skip_reason = reason;
  return server.get();
}

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    int n = counter++;
    if (GetParam() == "sqlite") {
      char tmpl[] = "/tmp/inquest-store-test-XXXXXX";
      ASSERT_NE(mkdtemp(tmpl), nullptr);
      dir_ = tmpl;
      spec_ = dir_ + "/inquest.db";
    } else {
      std::string reason;
      PgTestServer* pg = SharedPgServer(&reason);
      if (!pg) {
        if (reason.find("not installed") != std::string::npos) GTEST_SKIP() << reason;
        FAIL() << reason;
      }
      Result<std::string> url = pg->CreateDatabase(fmt::format("t{}_{}", getpid(), n));
      ASSERT_TRUE(url.ok()) << url.status().ToString();
      spec_ = *url;
    }
    store_ = Open();
    ASSERT_NE(store_, nullptr);
  }

  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  // Another handle on the same database (another connection), with the shared test clock.
  std::unique_ptr<Store> Open() {
    StoreOptions o;
    o.clock = [this] { return now_.load(); };
    Result<std::unique_ptr<Store>> s = OpenStore(spec_, o);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }

  std::string dir_;
  std::string spec_;
  std::atomic<TimePoint> now_{kTestDay + 9 * 3600 * kNanosPerSecond};
  std::unique_ptr<Store> store_;
};

}  // namespace inquest::store

#endif  // INQUEST_STORE_STORE_TEST_UTIL_H_
