#include "capture/runbook.h"

#include <gtest/gtest.h>

namespace inquest {
namespace {

TEST(RunbookTest, EachRuntimeTeachesThePrimersSettings) {
  struct Case {
    std::string_view runtime;
    std::vector<std::string_view> must_hold;
  };
  const Case cases[] = {
      {"native", {"core_pattern", "ulimit -c unlimited", "/srv/dumps/core.%e.%p.%t"}},
      {"go",
       {"GOTRACEBACK=crash", "ulimit -c unlimited", "pprof",
        "dumps.Install(dumps.Options{Dir: \"/srv/dumps\""}},
      {"java",
       {"-javaagent:/opt/inquest/inquest-agent.jar=dir=/srv/dumps",
        "-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=/srv/dumps",
        "-XX:+ExitOnOutOfMemoryError", "jcmd"}},
      {"python",
       {"inquest_dumps.install(\"/srv/dumps\"", "faulthandler.enable()",
        "faulthandler.register(signal.SIGUSR1)", "SIGUSR1"}},
  };
  for (const Case& c : cases) {
    Result<std::string> text = Runbook(c.runtime, "/srv/dumps/");
    ASSERT_TRUE(text.ok()) << c.runtime << ": " << text.status().ToString();
    for (std::string_view want : c.must_hold) {
      EXPECT_NE(text->find(want), std::string::npos) << c.runtime << " lacks " << want;
    }
    EXPECT_EQ(text->find("{dir}"), std::string::npos);
    EXPECT_EQ(text->find("/var/dumps"), std::string::npos) << c.runtime;
  }
}

TEST(RunbookTest, RejectsUnknownRuntimesAndUnsafeFolders) {
  Result<std::string> r = Runbook("pyhton", "/var/dumps");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("did you mean \"python\""), std::string::npos);
  EXPECT_FALSE(Runbook("go", "dumps").ok());
  EXPECT_FALSE(Runbook("go", "/var/my dumps").ok());
  EXPECT_FALSE(Runbook("go", "/var/$(rm -rf)").ok());
}

}  // namespace
}  // namespace inquest
