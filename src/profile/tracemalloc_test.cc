// tracemalloc snapshots: the pickle reader on the snapshots CPython wrote (tests/data/
// tracemalloc, made by its generate.py), the statistics and comparisons against what tracemalloc
// itself computed on the same files (the .oracle files beside them), the renderings, and
// malformed input, which must end in a BadInput with a byte offset, never a crash.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "base/strings.h"
#include "profile/pickle_reader.h"
#include "profile/tracemalloc_output.h"
#include "profile/tracemalloc_snapshot.h"
#include "profile/tracemalloc_stats.h"
#include "tests/support/compressed_files.h"
#include "tests/support/test_files.h"

namespace inquest::profile {
namespace {

using namespace std::string_literals;

std::string TmDataPath(const std::string& name) {
  return TestSourceDir() + "/tests/data/tracemalloc/" + name;
}

std::string TmData(const std::string& name) {
  std::string bytes = ReadTestFile(TmDataPath(name));
  EXPECT_FALSE(bytes.empty()) << TmDataPath(name);
  return bytes;
}

TracemallocSnapshot TmLoad(const std::string& name) {
  Result<TracemallocSnapshot> s = ReadTracemallocSnapshot(TmDataPath(name));
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(s).value() : TracemallocSnapshot{};
}

// A row as the oracle writes it: sizes, then the frames most recent first ("file:line;...").
std::string TmRowText(const TracemallocStat& r, bool diff) {
  std::string frames;
  for (const TracemallocKeyFrame& f : r.frames) {
    if (!frames.empty()) frames += ";";
    frames += std::string(f.filename) + ":" + std::to_string(f.lineno);
  }
  if (diff)
    return std::to_string(r.size) + "\t" + std::to_string(r.size_diff) + "\t" +
           std::to_string(r.count) + "\t" + std::to_string(r.count_diff) + "\t" + frames;
  return std::to_string(r.size) + "\t" + std::to_string(r.count) + "\t" + frames;
}

TraceGroup TmGroupOf(std::string_view key) {
  if (key == "filename") return TraceGroup::kFilename;
  if (key == "traceback") return TraceGroup::kTraceback;
  return TraceGroup::kLineno;
}

// Every section of an oracle file: the snapshot's totals, then each statistics() and
// compare_to() result row by row, in order.
void TmCheckOracle(const std::string& oracle_name) {
  std::istringstream in(TmData(oracle_name));
  std::string line;
  std::vector<std::string> expected;
  std::vector<std::string> header;
  auto flush = [&] {
    if (header.empty()) return;
    SCOPED_TRACE(oracle_name + ": " + header[0] + " " + header[1] + " " +
                 header[header.size() - 2] + " cumulative=" + header.back());
    bool cumulative = header.back() == "1";
    TraceGroup group = TmGroupOf(header[header.size() - 2]);
    TracemallocSnapshot now = TmLoad(header[1]);
    // The rows view the snapshots' file names: both must outlive them.
    TracemallocSnapshot old = header[0] == "stats" ? TracemallocSnapshot() : TmLoad(header[2]);
    Result<TracemallocStats> stats = header[0] == "stats" ? Statistics(now, group, cumulative)
                                                          : CompareTo(now, old, group, cumulative);
    ASSERT_TRUE(stats.ok()) << stats.status().ToString();
    std::vector<std::string> got;
    for (const TracemallocStat& r : stats->rows)
      got.push_back(TmRowText(r, header[0] == "compare"));
    EXPECT_EQ(got, expected);
    header.clear();
    expected.clear();
  };
  size_t sections = 0;
  while (std::getline(in, line)) {
    std::vector<std::string_view> f = Split(line, '\t');
    if (f[0] == "snapshot") {
      flush();
      TracemallocSnapshot s = TmLoad(std::string(f[1]));
      EXPECT_EQ(std::to_string(s.traces.size()), f[2]) << f[1];
      EXPECT_EQ(std::to_string(s.TotalSize()), f[3]) << f[1];
      EXPECT_EQ(std::to_string(s.traceback_limit), f[4]) << f[1];
    } else if (f[0] == "stats" || f[0] == "compare") {
      flush();
      header.assign(f.begin(), f.end());
      ++sections;
    } else {
      expected.push_back(line);
    }
  }
  flush();
  EXPECT_GE(sections, 5u) << oracle_name;
}

TEST(TracemallocOracleTest, Python311StatisticsAndComparisonsEqualTracemallocs) {
  TmCheckOracle("python3.11.oracle");
}

TEST(TracemallocOracleTest, Python37SnapshotsWithoutTotalNframe) {
  TmCheckOracle("python3.7.oracle");
  TracemallocSnapshot s = TmLoad("python3.7-1.pickle");
  EXPECT_FALSE(s.has_total_nframe);
  EXPECT_EQ(s.pickle_protocol, 4);
  EXPECT_GT(s.traces.size(), 10u);
}

TEST(TracemallocOracleTest, SyntheticEdgeCasesEqualTracemallocs) {
  TmCheckOracle("synthetic.oracle");
}

TEST(TracemallocSnapshotTest, ReadsTheFieldsAndSharesTracebacks) {
  TracemallocSnapshot s = TmLoad("synthetic.pickle");
  EXPECT_EQ(s.pickle_protocol, 5);
  EXPECT_TRUE(s.has_total_nframe);
  EXPECT_EQ(s.traceback_limit, 25);
  ASSERT_EQ(s.traces.size(), 7u);
  EXPECT_EQ(s.traces[0].traceback, s.traces[1].traceback) << "one pickled tuple, one traceback";
  EXPECT_EQ(s.tracebacks.size(), 6u);
  const TracemallocTrace& big = s.traces[3];
  EXPECT_EQ(big.domain, 4294967295u);
  EXPECT_EQ(big.size, uint64_t{1} << 40);
  EXPECT_EQ(big.total_nframe, 9u);
  auto frames = s.Frames(big);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(s.filenames[frames[0].filename].size(), 303u) << "past SHORT_BINUNICODE's 255";
  EXPECT_EQ(frames[0].lineno, 70000u);
  EXPECT_EQ(s.filenames[s.Frames(s.traces[2])[0].filename], "app/na\xc3\xafve.py");
  EXPECT_EQ(s.Frames(s.traces[2])[0].lineno, 0u);
}

TEST(TracemallocSnapshotTest, ProtocolTwoReadsAlike) {
  TracemallocSnapshot a = TmLoad("synthetic.pickle");
  TracemallocSnapshot b = TmLoad("synthetic-protocol2.pickle");
  EXPECT_EQ(b.pickle_protocol, 2);
  ASSERT_EQ(a.traces.size(), b.traces.size());
  for (size_t i = 0; i < a.traces.size(); ++i) {
    EXPECT_EQ(a.traces[i].size, b.traces[i].size);
    EXPECT_EQ(a.traces[i].domain, b.traces[i].domain);
    auto fa = a.Frames(a.traces[i]), fb = b.Frames(b.traces[i]);
    ASSERT_EQ(fa.size(), fb.size());
    for (size_t k = 0; k < fa.size(); ++k) {
      EXPECT_EQ(a.filenames[fa[k].filename], b.filenames[fb[k].filename]);
      EXPECT_EQ(fa[k].lineno, fb[k].lineno);
    }
  }
}

TEST(TracemallocSnapshotTest, ReadsGzipAndSniffs) {
  std::string bytes = TmData("python3.11-2.pickle");
  TempFile gz(Gzip(bytes));
  Result<TracemallocSnapshot> s = ReadTracemallocSnapshot(gz.path());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->traces.size(), TmLoad("python3.11-2.pickle").traces.size());
  for (const char* name : {"python3.11-1.pickle", "python3.7-1.pickle", "synthetic.pickle",
                           "synthetic-protocol2.pickle"})
    EXPECT_TRUE(LooksLikeTracemallocSnapshot(TmData(name))) << name;
  EXPECT_FALSE(LooksLikeTracemallocSnapshot("JAVA PROFILE 1.0.2"));
  EXPECT_FALSE(LooksLikeTracemallocSnapshot(std::string("\x80\x05\x95", 3)));
  EXPECT_FALSE(LooksLikeTracemallocSnapshot(std::string("\x80\x04\x8c\x02os\x94", 7)));
}

TEST(TracemallocStatsTest, CumulativeByTracebackIsRefused) {
  TracemallocSnapshot s = TmLoad("synthetic.pickle");
  Result<TracemallocStats> r = Statistics(s, TraceGroup::kTraceback, true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

// Malformed input: the error must be BadInput and carry the offset.
Status TmReadError(std::string_view bytes) {
  Result<TracemallocSnapshot> s = ReadTracemallocSnapshotFromBytes(bytes, "bad.pickle");
  return s.ok() ? Status::Ok() : s.status();
}

void TmExpectBadInput(std::string_view bytes, std::string_view words, uint64_t offset) {
  Status s = TmReadError(bytes);
  ASSERT_FALSE(s.ok()) << words;
  EXPECT_EQ(s.code(), StatusCode::kBadInput) << s.ToString();
  EXPECT_TRUE(s.where().has_offset) << s.ToString();
  EXPECT_EQ(s.where().byte_offset, offset) << s.ToString();
  EXPECT_NE(s.message().find(words), std::string::npos) << s.ToString();
}

TEST(TracemallocMalformedTest, EveryTruncationIsABadInputWithAnOffset) {
  std::string bytes = TmData("python3.11-1.pickle");
  for (size_t n = 0; n < bytes.size(); ++n) {
    Status s = TmReadError(std::string_view(bytes).substr(0, n));
    ASSERT_FALSE(s.ok()) << n;
    ASSERT_EQ(s.code(), StatusCode::kBadInput) << n;
    ASSERT_TRUE(s.where().has_offset) << n << ": " << s.ToString();
  }
  // The FRAME's length is judged first: a cut file is named as one at once.
  TmExpectBadInput(std::string_view(bytes).substr(0, 100), "FRAME of", 2);
}

TEST(TracemallocMalformedTest, RefusesOtherClassesAndOpcodes) {
  // pickle.dumps(os.system, 4) and a protocol 2 GLOBAL of the same.
  TmExpectBadInput(
      "\x80\x04\x95\x14\x00\x00\x00\x00\x00\x00\x00\x8c\x05posix\x94\x8c\x06system\x94\x93\x94."s,
      "refusing class posix.system", 28);
  TmExpectBadInput(
      "\x80\x02"
      "cos\nsystem\nq\x00."s,
      "refusing class os.system", 2);
  // REDUCE would call what it is given.
  TmExpectBadInput("\x80\x05N)R."s, "REDUCE", 4);
  TmExpectBadInput("\x80\x05\xff."s, "0xff", 2);
  TmExpectBadInput("(lp0\n."s, "protocol 2", 0);
  TmExpectBadInput("\x80\x09N."s, "protocol 9", 0);
  TmExpectBadInput("", "empty", 0);
}

TEST(TracemallocMalformedTest, HugeLengthsDeepNestingAndMemoMisuse) {
  TmExpectBadInput("\x80\x05\x8d\x00\x00\x00\x00\x00\x00\x00\x10."s, "remain", 2);
  TmExpectBadInput(
      "\x80\x05X\xff\xff\xff\x7f"
      "abc."s,
      "remain", 2);
  TmExpectBadInput("\x80\x05\x8b\xff\xff\xff\x00."s, "integer of", 2);
  TmExpectBadInput("\x80\x05\x95\x00\x00\x00\x00\x00\x00\x00\x01."s, "FRAME", 2);
  TmExpectBadInput("\x80\x05h\x07."s, "never filled", 2);
  TmExpectBadInput("\x80\x05Nq\x05."s, "skips ahead", 3);
  TmExpectBadInput("\x80\x05t."s, "no MARK", 2);
  TmExpectBadInput("\x80\x05\x86."s, "too few", 2);
  std::string deep = "\x80\x05"s + std::string(100000, '(') + ".";
  TmExpectBadInput(deep, "marks open", 2 + kMaxPickleMarks);
  std::string nested = "\x80\x05N"s + std::string(100000, '\x85') + ".";
  TmExpectBadInput(nested, "no tracemalloc.Snapshot", 0);
  TmExpectBadInput("\x80\x05N"s, "without its STOP", 3);
}

TEST(TracemallocMalformedTest, TracesOfTheWrongShape) {
  // A Snapshot whose _traces list holds one (0, 1) tuple.
  std::string p =
      "\x80\x05\x8c\x0btracemalloc\x8c\x08Snapshot\x93)\x81}("
      "\x8c\x06traces\x8c\x0btracemalloc\x8c\x07_Traces\x93)\x81}"
      "\x8c\x07_traces]K\x00K\x01\x86"
      "asb\x8c\x0ftraceback_limitK\x01ub."s;
  Status s = TmReadError(p);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("trace 0 of the snapshot"), std::string::npos) << s.ToString();
}

TEST(TracemallocOutputTest, TextNamesTheGrowthAndTheSite) {
  TracemallocSnapshot now = TmLoad("python3.11-2.pickle");
  TracemallocSnapshot old = TmLoad("python3.11-1.pickle");
  Result<TracemallocStats> d = CompareTo(now, old, TraceGroup::kLineno, false);
  ASSERT_TRUE(d.ok());
  std::string text = TracemallocText(*d, 3);
  EXPECT_NE(text.find("Traced memory grew by"), std::string::npos) << text;
  EXPECT_NE(text.find("% of it at app/cache.py:7"), std::string::npos) << text;
  EXPECT_NE(text.find("Top 3 lines by change in size"), std::string::npos) << text;
  std::string headline = TracemallocHeadline(*d);
  EXPECT_EQ(headline.rfind("traced Python memory grew by", 0), 0u) << headline;
  std::string md = TracemallocMarkdown(*d, 3);
  EXPECT_NE(md.find("| change | size |"), std::string::npos) << md;
  std::string json(TracemallocJson(*d, 2).view());
  EXPECT_NE(json.find("\"kind\": \"comparison\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"size_diff\""), std::string::npos) << json;

  Result<TracemallocStats> tb = Statistics(now, TraceGroup::kTraceback, false);
  ASSERT_TRUE(tb.ok());
  std::string tb_text = TracemallocText(*tb, 2);
  EXPECT_NE(tb_text.find("called from"), std::string::npos) << tb_text;
  EXPECT_NE(TracemallocHeadline(*tb).find("of Python memory traced in"), std::string::npos);
}

}  // namespace
}  // namespace inquest::profile
