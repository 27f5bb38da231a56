#include "timeline/folder_service.h"

#include <gtest/gtest.h>

#include <map>

#include "logs/registry.h"
#include "timeline/rate.h"

namespace inquest {
namespace folder_service_test {
namespace {

TEST(FolderServiceTest, TheFolderWhenOtherEvidenceNamesIt) {
  KnownServices known;
  known.Add("checkout");
  known.Add("catalog-publisher-service");
  known.Add("-");
  known.Add("Checkout");  // the same service
  EXPECT_EQ(known.names(), (std::vector<std::string>{"checkout", "catalog-publisher-service"}));
  EXPECT_EQ(FolderServiceOf("logs/catalog-publisher/node17.log", known), "catalog-publisher");
  EXPECT_EQ(FolderServiceOf("logs/checkout/ip-10-0-1-9.log", known), "checkout");
  // A folder nobody else names is how the bundle was collected, not a service.
  EXPECT_EQ(FolderServiceOf("collected/node17.log", known), "");
  EXPECT_EQ(FolderServiceOf("node17.log", known), "");
}

std::vector<InputFile> Files() {
  std::vector<InputFile> v;
  v.push_back(InputFile::FromString(
      "2026-05-29T14:00:01Z INFO published catalog.invalidate key=catalog:v98\n"
      "2026-05-29T14:00:31Z INFO published catalog.invalidate key=catalog:v99\n"
      "2026-05-29T14:01:01Z ERROR publish failed\n",
      "logs/catalog-publisher/node17.log"));
  v.push_back(InputFile::FromString("2026-05-29T14:00:02Z INFO nightly report started\n",
                                    "logs/reports/node3.log"));
  v.push_back(InputFile::FromString(
      R"({"ts":"2026-05-29T14:00:05Z","level":"info","service":"catalog-publisher","msg":"deploy v7 healthy"}
{"ts":"2026-05-29T14:00:06Z","level":"error","service":"checkout","msg":"cache miss storm"}
)",
      "logs/app.jsonl"));
  return v;
}

// `rate --group-by service` names a folder-per-service file's records as `analyze` does.
TEST(FolderServiceTest, RateCountsAFolderServiceFilesRecordsAsThatService) {
  FormatRegistry registry;
  LoadOptions load;
  RateOptions opts;
  opts.group_by = "service";
  auto r = ComputeRates(Files(), registry, load, opts, 1);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::map<std::string, uint64_t> totals;
  for (size_t i = 1; i < r->series.size(); ++i)
    for (const Window& w : r->series[i].windows) totals[r->series[i].group] += w.total;
  EXPECT_EQ(totals["catalog-publisher"], 4u);  // three from its folder's file, one named
  EXPECT_EQ(totals["checkout"], 1u);
  EXPECT_EQ(totals["-"], 1u);  // "reports" is named by nothing else
  EXPECT_EQ(r->files[0].service, "catalog-publisher");
  ASSERT_FALSE(r->notes.empty());
  EXPECT_NE(r->notes[0].find("logs/catalog-publisher/node17.log: 3 records without a service "
                             "counted as catalog-publisher"),
            std::string::npos)
      << r->notes[0];
  // Not grouped by service: nothing is renamed, the totals are the same.
  RateOptions plain;
  auto p = ComputeRates(Files(), registry, load, plain, 1);
  ASSERT_TRUE(p.ok());
  uint64_t all = 0;
  for (const Window& w : p->series[0].windows) all += w.total;
  EXPECT_EQ(all, 6u);
  EXPECT_TRUE(p->notes.empty());
}

}  // namespace
}  // namespace folder_service_test
}  // namespace inquest
