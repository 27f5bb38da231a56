#include "timeline/record_scan.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>

namespace inquest {
namespace {

// Every record a range saw, as text, with its line in the range.
class CollectingSink : public RecordSink {
 public:
  void Add(const Event& e) override {
    std::string attrs;
    for (const Attr& a : e.attrs) attrs += fmt::format(" {}={}", a.key, a.value);
    records.push_back({e.line, fmt::format("@{} t={} l={} m={} s={} r={} x={}{}", e.offset, e.time,
                                           static_cast<int>(e.level), e.message, e.service,
                                           e.request_id, e.extra_lines, attrs)});
  }
  std::vector<std::pair<uint64_t, std::string>> records;
};

// Scans with `scan` and returns every record in file order with its line in the file, then what
// the report says.
template <typename ScanFn>
std::vector<std::string> Scan(ScanFn scan) {
  std::vector<std::string> out;
  ScanSinks sinks;
  sinks.make = [] { return std::make_unique<CollectingSink>(); };
  sinks.merge = [&out](std::unique_ptr<RecordSink> s, uint64_t line_base) {
    for (auto& [line, text] : static_cast<CollectingSink&>(*s).records)
      out.push_back(fmt::format("{}: {}", line + line_base, text));
  };
  ScanReport report;
  Status st = scan(sinks, &report);
  EXPECT_TRUE(st.ok()) << st.ToString();
  out.push_back(fmt::format("lines {} records {} malformed {} untimed {} format {}", report.lines,
                            report.records, report.malformed, report.without_time, report.format));
  for (const ParseIssue& i : report.samples)
    out.push_back(fmt::format("issue {} @{}: {}", i.line, i.offset, i.reason));
  return out;
}

class RecordScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("inquest-record-scan-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // The file read from disk (pieces read into a buffer, cut where what was read says) and the
  // same bytes in memory (pieces cut from the bytes) give the same records, lines and issues.
  void ExpectFileReadsAsBytes(const std::string& name, const std::string& data,
                              const LoadOptions& load = {}) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << data;
    FormatRegistry registry;
    std::vector<std::string> from_file = Scan([&](const ScanSinks& sinks, ScanReport* r) {
      return ScanLogFile(path, 0, registry, load, 2, sinks, r);
    });
    std::vector<std::string> from_bytes = Scan([&](const ScanSinks& sinks, ScanReport* r) {
      return ScanLogBytes(data, path, 0, 0, registry, load, 2, sinks, r);
    });
    ASSERT_EQ(from_file.size(), from_bytes.size());
    for (size_t i = 0; i < from_file.size(); ++i) ASSERT_EQ(from_file[i], from_bytes[i]) << i;
  }

  std::filesystem::path dir_;
};

TEST_F(RecordScanTest, JsonLinesOverManyPiecesWithBadLines) {
  std::string data;
  for (int i = 0; data.size() < 3 * kScanPieceBytes; ++i) {
    if (i % 997 == 5) {
      data += "not json\n";
    } else if (i % 1231 == 7) {
      data += "{\"ts\":\"2026-05-29T14:11:08Z\",\"msg\":\"cut\n";
    } else if (i % 4001 == 9) {
      data += "{\"ts\":\"2026-05-29T14:11:08Z\",\"msg\":\"" + std::string(100'000, 'y') + "\"}\n";
    } else {
      data += fmt::format(
          "{{\"ts\":\"2026-05-29T14:{:02}:{:02}.{:03}Z\",\"level\":\"{}\",\"msg\":\"m{}\","
          "\"request_id\":\"r{}\",\"latency_ms\":{},\"path\":\"/p{}\"}}\n",
          i / 60000 % 60, i / 1000 % 60, i % 1000, i % 13 ? "info" : "error", i, i, i % 700, i % 5);
    }
  }
  ExpectFileReadsAsBytes("app.jsonl", data);
}

TEST_F(RecordScanTest, TextRecordsWhoseTracesRunPastThePieceCut) {
  // Stack traces of every length around the cut between pieces, some longer than a record may
  // be (kMaxRecordLines) and than what is read past the cut to find it (most of the file is in
  // those, so the cuts fall in them).
  std::string data;
  for (int i = 0; data.size() < 3 * kScanPieceBytes; ++i) {
    data += fmt::format("2026-05-29 14:{:02}:{:02},{:03} ERROR [main] c.e.Svc - failure {}\n",
                        i / 60000 % 60, i / 1000 % 60, i % 1000, i);
    if (i % 2 == 0) {
      data += "java.lang.IllegalStateException: boom\n";
      int frames = i % 40 == 0 ? 20'000 : i % 3 == 0 ? 400 : 3;
      for (int f = 0; f < frames; ++f)
        data += fmt::format("\tat com.example.Deep.f{}(Deep.java:{})\n", f, f);
    }
  }
  ExpectFileReadsAsBytes("app.log", data);
}

TEST_F(RecordScanTest, ProjectedAttributesOnly) {
  std::string data;
  for (int i = 0; i < 20000; ++i)
    data += fmt::format(
        "{{\"ts\":\"2026-05-29T14:11:{:02}Z\",\"level\":\"info\",\"msg\":\"m\",\"latency_ms\":{},"
        "\"path\":\"/p\",\"msg2\":\"x\",\"event\":\"loses to msg\"}}\n",
        i % 60, i % 100);
  KeyIndex wanted;
  wanted.Add("latency_ms");
  wanted.Add("event");
  LoadOptions load;
  load.attributes = &wanted;
  ExpectFileReadsAsBytes("p.jsonl", data, load);

  std::string path = (dir_ / "p.jsonl").string();
  FormatRegistry registry;
  std::vector<std::string> got = Scan([&](const ScanSinks& sinks, ScanReport* r) {
    return ScanLogFile(path, 0, registry, load, 2, sinks, r);
  });
  ASSERT_GT(got.size(), 1u);
  // Roles are all there; of the attributes, only the wanted ones.
  EXPECT_NE(got[0].find("m=m "), std::string::npos) << got[0];
  EXPECT_NE(got[0].find(" latency_ms=0"), std::string::npos) << got[0];
  EXPECT_NE(got[0].find(" event=loses to msg"), std::string::npos) << got[0];
  EXPECT_EQ(got[0].find("path="), std::string::npos) << got[0];
  EXPECT_EQ(got[0].find("msg2="), std::string::npos) << got[0];
}

TEST_F(RecordScanTest, ProjectionWithAKeyTest) {
  std::string data;
  for (int i = 0; i < 20000; ++i)
    data += fmt::format(
        "{{\"ts\":\"2026-05-29T14:11:{:02}Z\",\"msg\":\"m\",\"latency_ms\":{},"
        "\"path\":\"/p\",\"error\":{{\"message\":\"disk full\"}},\"keep_me\":\"k\"}}\n",
        i % 60, i % 100);
  KeyIndex wanted;
  wanted.Add("latency_ms");
  LoadOptions load;
  load.attributes = &wanted;
  // Unlisted keys that end in "message" or start with "keep_" are read too.
  load.attribute_test = [](std::string_view key) {
    return key.ends_with("message") || key.starts_with("keep_");
  };
  std::string path = (dir_ / "t.jsonl").string();
  {
    std::ofstream out(path);
    out << data;
  }
  FormatRegistry registry;
  std::vector<std::string> got = Scan([&](const ScanSinks& sinks, ScanReport* r) {
    return ScanLogFile(path, 0, registry, load, 2, sinks, r);
  });
  ASSERT_EQ(got.size(), 20001u);  // the records, then the report
  EXPECT_NE(got.back().find("records 20000 malformed 0"), std::string::npos) << got.back();
  for (size_t i : {size_t{0}, size_t{19999}}) {
    EXPECT_NE(got[i].find(" latency_ms="), std::string::npos) << got[i];
    EXPECT_NE(got[i].find(" error.message=disk full"), std::string::npos) << got[i];
    EXPECT_NE(got[i].find(" keep_me=k"), std::string::npos) << got[i];
    EXPECT_EQ(got[i].find("path="), std::string::npos) << got[i];
  }
}

}  // namespace
}  // namespace inquest
