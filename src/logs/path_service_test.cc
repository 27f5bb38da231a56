// Services named by log paths: file stems, rotation and compression suffixes, generic names
// giving way to their folder, host-like and machine-made names naming nothing.
#include "logs/path_service.h"

#include <gtest/gtest.h>

#include "base/input_file.h"
#include "logs/log_file.h"
#include "logs/registry.h"

namespace inquest {
namespace {

TEST(PathServiceTest, FileStemAfterSuffixes) {
  EXPECT_EQ(ServiceFromPath("var/log/web28/pricing.log"), "pricing");
  EXPECT_EQ(ServiceFromPath("api-gateway.log.1.gz"), "api-gateway");
  EXPECT_EQ(ServiceFromPath("/srv/logs/checkout-2024-01-02.log.zst"), "checkout");
  EXPECT_EQ(ServiceFromPath("billing_worker.20240102.txt"), "billing_worker");
  EXPECT_EQ(LogStem("orders.log.3"), "orders");
}

TEST(PathServiceTest, GenericNamesGiveWayToTheirFolder) {
  EXPECT_EQ(ServiceFromPath("logs/checkout/app.log"), "checkout");
  EXPECT_EQ(ServiceFromPath("var/log/nginx/access.log.1"), "nginx");
  EXPECT_EQ(ServiceFromPath("bundle/syslog"), "");          // generic all the way up
  EXPECT_EQ(ServiceFromPath("var/log/web28/app.log"), "");  // the folder is a host
  EXPECT_EQ(ServiceFromPath("stdout.log"), "");
}

TEST(PathServiceTest, MachineMadeNamesAreNoServices) {
  EXPECT_EQ(ServiceFromPath("collected/i-034bdb4a981bd-0.txt"), "");
  EXPECT_EQ(ServiceFromPath("ip-10-6-147-225.log"), "");
  EXPECT_EQ(ServiceFromPath("s25/pods/i-025be035638b8.log"), "");
}

TEST(PathServiceTest, InstancePartsOfPodAndMachineNamesAreCut) {
  EXPECT_EQ(ServiceFromPath("pods/checkout-7f9c8d6b5-x2x9z.log"), "checkout");
  EXPECT_EQ(ServiceFromPath("pods/checkout-7f9c8d6b5-bqwlk.log"), "checkout");
  EXPECT_EQ(ServiceFromPath("pods/payments-api-009124-15c3761.log"), "payments-api");
  EXPECT_EQ(ServiceFromPath("s3-proxy.log"), "s3-proxy");
  EXPECT_EQ(ServiceFromPath("pods/pricing-5b7c9-h8lqz.log"), "pricing");
  EXPECT_EQ(ServiceFromPath("catalog-publisher-0.log"), "catalog-publisher");
  EXPECT_EQ(ServiceFromPath("recs-api-1.log"), "recs-api");
}

TEST(PathServiceTest, RecordsWithoutAServiceTakeThePathsButNotTheirHosts) {
  FormatRegistry registry;
  std::string data;
  for (int i = 0; i < 5; ++i)
    data += "2024-03-05T10:00:0" + std::to_string(i) + "Z level=info msg=ok host=web17\n";
  auto named = LoadLogFile(InputFile::FromString(data, "logs/ledger.log"), 0, registry, {});
  ASSERT_TRUE(named.ok()) << named.status().ToString();
  EXPECT_EQ((*named)->events[2].service, "ledger");
  // A file named after the host its records name names no service.
  auto host = LoadLogFile(InputFile::FromString(data, "logs/web17.log"), 0, registry, {});
  ASSERT_TRUE(host.ok()) << host.status().ToString();
  EXPECT_EQ((*host)->events[2].service, "");
  // A record's own service wins.
  std::string own = "{\"ts\":\"2024-03-05T10:00:00Z\",\"service\":\"cart\",\"msg\":\"x\"}\n";
  auto keyed = LoadLogFile(InputFile::FromString(own, "logs/ledger.log"), 0, registry, {});
  ASSERT_TRUE(keyed.ok()) << keyed.status().ToString();
  EXPECT_EQ((*keyed)->events[0].service, "cart");
}

}  // namespace
}  // namespace inquest
