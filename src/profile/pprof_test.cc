// pprof profiles: the legacy heap fixtures against pprof's own parse of them (the `.string` files
// beside each), profile.proto built with the real protobuf classes (good and broken), pruning,
// the top table's rules and pprof's value formatting.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "base/strings.h"
#include "profile/pprof_legacy.h"
#include "profile/pprof_proto.h"
#include "profile/profile.pb.h"
#include "profile/profile_findings.h"
#include "profile/profile_read.h"
#include "profile/profile_top.h"
#include "profile/profile_units.h"
#include "tests/support/test_files.h"

namespace inquest::profile {
namespace {

namespace pb = perftools::profiles;

// pprof's Profile.String() of a profile, as far as the tests compare it: each sample's values,
// its stack (the location numbers) and its "bytes" label, and each location's address and
// function name.
struct PprofString {
  struct S {
    std::vector<int64_t> values;
    std::vector<int> locations;
    int64_t bytes = -1;
  };
  std::vector<std::string> types;
  std::vector<S> samples;
  std::vector<uint64_t> addresses;     // by location number - 1
  std::vector<std::string> functions;  // "" for a location without a symbol
  std::vector<std::string> mapping_files;
};

PprofString ParsePprofString(const std::string& text) {
  PprofString out;
  std::istringstream in(text);
  std::string line;
  enum { kHead, kTypes, kSamples, kLocations, kMappings } section = kHead;
  while (std::getline(in, line)) {
    std::string_view t = TrimSpace(line);
    if (t == "Samples:") {
      section = kTypes;
      continue;
    }
    if (t == "Locations") {
      section = kLocations;
      continue;
    }
    if (t == "Mappings") {
      section = kMappings;
      continue;
    }
    if (section == kTypes) {
      std::istringstream w{std::string(t)};
      for (std::string type; w >> type;) out.types.push_back(type.substr(0, type.find('/')));
      section = kSamples;
    } else if (section == kSamples) {
      if (t.starts_with("bytes:[")) {
        out.samples.back().bytes = std::stoll(std::string(t.substr(7)));
        continue;
      }
      size_t colon = t.find(':');
      PprofString::S s;
      std::istringstream v{std::string(t.substr(0, colon))};
      for (int64_t x; v >> x;) s.values.push_back(x);
      std::istringstream l{std::string(t.substr(colon + 1))};
      for (int x; l >> x;) s.locations.push_back(x);
      out.samples.push_back(s);
    } else if (section == kLocations) {
      // "  1: 0x420cee M=1" or "  1: 0x0 com.example.f Source.java:103:0 s=0"
      std::istringstream w{std::string(t)};
      std::string id, address, function;
      w >> id >> address >> function;
      out.addresses.push_back(std::stoull(address, nullptr, 16));
      out.functions.push_back(function.starts_with("M=") ? "" : function);
    } else if (section == kMappings && !t.empty()) {
      std::istringstream w{std::string(t)};
      std::string id, range, file;
      w >> id >> range >> file;
      out.mapping_files.push_back(file);
    }
  }
  return out;
}

class LegacyFixture : public ::testing::TestWithParam<const char*> {};

TEST_P(LegacyFixture, EqualsPprofsOwnParse) {
  std::string path = TestFixture("heap", std::string("pprof/") + GetParam());
  std::string text = ReadTestFile(path);
  PprofString want = ParsePprofString(ReadTestFile(path + ".string"));
  ASSERT_FALSE(want.samples.empty()) << path << ".string";
  Result<Profile> got = ReadProfile(path);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  const Profile& p = *got;
  ASSERT_EQ(p.sample_types.size(), want.types.size());
  for (size_t i = 0; i < want.types.size(); ++i) EXPECT_EQ(p.sample_types[i].type, want.types[i]);
  ASSERT_EQ(p.samples.size(), want.samples.size());
  for (size_t s = 0; s < p.samples.size(); ++s) {
    SCOPED_TRACE("sample " + std::to_string(s));
    const PprofString::S& w = want.samples[s];
    for (size_t v = 0; v < w.values.size(); ++v) EXPECT_EQ(p.Value(s, v), w.values[v]);
    auto stack = p.Stack(p.samples[s]);
    ASSERT_EQ(stack.size(), w.locations.size());
    for (size_t k = 0; k < stack.size(); ++k) {
      const Location& loc = p.locations[stack[k]];
      size_t at = static_cast<size_t>(w.locations[k] - 1);
      EXPECT_EQ(loc.address, want.addresses[at]);
      std::string fn =
          loc.line_count ? std::string(p.Str(p.functions[p.Lines(loc)[0].function].name)) : "";
      EXPECT_EQ(fn, want.functions[at]);
    }
    auto labels = p.Labels(p.samples[s]);
    ASSERT_EQ(labels.size(), 1u);
    EXPECT_EQ(p.Str(labels[0].key), "bytes");
    EXPECT_EQ(labels[0].num, w.bytes);
  }
  // The memory map's executable files, main binary first (pprof adds one unnamed mapping when a
  // profile has none).
  std::vector<std::string> files;
  for (const Mapping& m : p.mappings)
    if (!p.Str(m.filename).empty()) files.emplace_back(p.Str(m.filename));
  std::vector<std::string> want_files;
  for (const std::string& f : want.mapping_files)
    if (!f.empty()) want_files.push_back(f);
  EXPECT_EQ(files, want_files);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, LegacyFixture,
                         ::testing::Values("gobench.heap", "cppbench.heap", "java.heap"));

// A small profile: main -> alloc (inlined into main's location) -> malloc, with ids 1..N.
pb::Profile SmallProfile() {
  pb::Profile m;
  for (const char* s : {"", "space", "bytes", "main", "alloc", "malloc", "main.go"})
    m.add_string_table(s);
  auto* t = m.add_sample_type();
  t->set_type(1);
  t->set_unit(2);
  for (int i = 1; i <= 3; ++i) {
    auto* f = m.add_function();
    f->set_id(static_cast<uint64_t>(i));
    f->set_name(2 + i);
    f->set_filename(6);
  }
  auto* leaf = m.add_location();  // malloc
  leaf->set_id(1);
  leaf->add_line()->set_function_id(3);
  auto* caller = m.add_location();  // alloc inlined into main
  caller->set_id(2);
  auto* l1 = caller->add_line();
  l1->set_function_id(2);
  l1->set_line(12);
  auto* l2 = caller->add_line();
  l2->set_function_id(1);
  l2->set_line(40);
  auto* s = m.add_sample();
  s->add_location_id(1);
  s->add_location_id(2);
  s->add_value(100);
  auto* s2 = m.add_sample();
  s2->add_location_id(2);
  s2->add_value(30);
  return m;
}

Result<Profile> Parse(const pb::Profile& m) {
  return ParsePprofProto(m.SerializeAsString(), "test.pb");
}

TEST(PprofProto, ReadsAndComputesPprofsTable) {
  Result<Profile> p = Parse(SmallProfile());
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  TopTable t = ComputeTop(*p, {.sample_type = 0, .node_fraction = 0});
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.total, 130);
  EXPECT_EQ(t.rows[0].name, "malloc");
  EXPECT_EQ(t.rows[0].flat, 100);
  EXPECT_EQ(t.rows[1].name, "alloc");  // the leaf of the second sample: its inlined line
  EXPECT_EQ(t.rows[1].flat, 30);
  EXPECT_EQ(t.rows[1].cum, 130);
  EXPECT_EQ(t.rows[1].inline_mark, InlineMark::kInline);
  EXPECT_EQ(t.rows[2].name, "main");
  EXPECT_EQ(t.rows[2].cum, 130);
  EXPECT_EQ(t.rows[2].inline_mark, InlineMark::kNone);

  TopTable lines =
      ComputeTop(*p, {.sample_type = 0, .by = Granularity::kLines, .node_fraction = 0});
  EXPECT_EQ(lines.rows[1].name, "alloc main.go:12");
}

TEST(PprofProto, RecursionCountsOnceInCum) {
  pb::Profile m = SmallProfile();
  auto* s = m.add_sample();  // malloc <- main/alloc <- main/alloc
  s->add_location_id(1);
  s->add_location_id(2);
  s->add_location_id(2);
  s->add_value(7);
  Result<Profile> p = Parse(m);
  ASSERT_TRUE(p.ok());
  TopTable t = ComputeTop(*p, {.sample_type = 0, .node_fraction = 0});
  for (const TopRow& r : t.rows)
    if (r.name == "main") EXPECT_EQ(r.cum, 137);
}

TEST(PprofProto, DiffCountsTheBaseNegated) {
  Result<Profile> now = Parse(SmallProfile());
  pb::Profile old_m = SmallProfile();
  old_m.mutable_sample(0)->set_value(0, 40);
  Result<Profile> old = Parse(old_m);
  ASSERT_TRUE(now.ok() && old.ok());
  ASSERT_TRUE(CheckComparable(*now, *old).ok());
  TopTable t = ComputeTop(*now, {.sample_type = 0, .node_fraction = 0}, &*old);
  EXPECT_TRUE(t.diff);
  EXPECT_EQ(t.total, 70);  // the base's total, as pprof takes it
  ASSERT_FALSE(t.rows.empty());
  EXPECT_EQ(t.rows[0].name, "malloc");
  EXPECT_EQ(t.rows[0].flat, 60);
}

TEST(ProfileFindings, NameTheLargestSiteAndWhereTheGrowthIs) {
  Result<Profile> now = Parse(SmallProfile());
  pb::Profile old_m = SmallProfile();
  old_m.mutable_sample(0)->set_value(0, 40);
  Result<Profile> old = Parse(old_m);
  ASSERT_TRUE(now.ok() && old.ok());
  std::vector<Finding> top = ProfileFindings(*now, "heap-2.pb");
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].kind, "profile-top");
  EXPECT_EQ(top[0].subject, "malloc");
  EXPECT_NE(top[0].title.find("the largest site is malloc (100B, 77%)"), std::string::npos)
      << top[0].title;
  std::vector<Finding> growth = ProfileGrowthFindings(*now, "heap-2.pb", *old, "heap-1.pb");
  ASSERT_EQ(growth.size(), 1u);
  EXPECT_EQ(growth[0].kind, "profile-growth");
  EXPECT_EQ(growth[0].subject, "malloc");
  EXPECT_EQ(growth[0].severity, Severity::kWarning);  // all of the growth at one site
  EXPECT_NE(growth[0].title.find("grew from 70B to 130B (+60B) between heap-1.pb and heap-2.pb, "
                                 "100% of the growth at malloc"),
            std::string::npos)
      << growth[0].title;
  // Nothing grew the other way round.
  EXPECT_TRUE(ProfileGrowthFindings(*old, "heap-1.pb", *now, "heap-2.pb").empty());
}

TEST(PprofProto, DropFramesPruneTheAllocator) {
  pb::Profile m = SmallProfile();
  m.add_string_table("malloc|free");
  m.set_drop_frames(m.string_table_size() - 1);
  Result<Profile> p = ReadProfileFromBytes(m.SerializeAsString(), "test.pb");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  TopTable t = ComputeTop(*p, {.sample_type = 0, .node_fraction = 0});
  ASSERT_FALSE(t.rows.empty());
  EXPECT_EQ(t.rows[0].name, "alloc");  // malloc's 100 now lands on its caller
  EXPECT_EQ(t.rows[0].flat, 130);
  for (const TopRow& r : t.rows) EXPECT_NE(r.name, "malloc");
}

TEST(PprofProto, ChoosesTheSampleTypeAsPprofDoes) {
  pb::Profile m = SmallProfile();
  m.add_string_table("objects");
  m.add_string_table("count");
  auto* t = m.add_sample_type();
  t->set_type(m.string_table_size() - 2);
  t->set_unit(m.string_table_size() - 1);
  for (auto& s : *m.mutable_sample()) s.add_value(1);
  Result<Profile> p = Parse(m);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*ChooseSampleType(*p, ""), 1u);  // the last type
  EXPECT_EQ(*ChooseSampleType(*p, "space"), 0u);
  EXPECT_EQ(*ChooseSampleType(*p, "0"), 0u);
  Result<size_t> bad = ChooseSampleType(*p, "cpu");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("space (0), objects (1)"), std::string::npos);
  m.set_default_sample_type(1);  // "space"
  EXPECT_EQ(*ChooseSampleType(*Parse(m), ""), 0u);
}

// Each broken profile is a BadInput whose message says what is wrong.
void ExpectBad(const pb::Profile& m, const std::string& words) {
  Result<Profile> p = Parse(m);
  ASSERT_FALSE(p.ok()) << "accepted; expected: " << words;
  EXPECT_EQ(p.status().code(), StatusCode::kBadInput);
  EXPECT_NE(p.status().ToString().find(words), std::string::npos) << p.status().ToString();
  EXPECT_NE(p.status().ToString().find("test.pb"), std::string::npos);
}

TEST(PprofProto, BrokenReferencesAreClearErrors) {
  pb::Profile m = SmallProfile();
  m.mutable_function(0)->set_name(99);
  ExpectBad(m, "a function's name is string 99, past the string table's 7 entries");

  m = SmallProfile();
  m.mutable_location(0)->mutable_line(0)->set_function_id(42);
  ExpectBad(m, "names function id 42, which is not defined");

  m = SmallProfile();
  m.mutable_sample(0)->set_location_id(0, 77);
  ExpectBad(m, "sample 0 names location id 77, which is not defined");

  m = SmallProfile();
  m.mutable_location(1)->set_id(1);
  ExpectBad(m, "location 1 has id 1, defined twice");

  m = SmallProfile();
  m.mutable_function(2)->set_id(0);
  ExpectBad(m, "has id 0, which is reserved");

  m = SmallProfile();
  m.mutable_sample(1)->add_value(5);
  ExpectBad(m, "sample 1 has 2 values for 1 sample types");

  m = SmallProfile();
  m.set_string_table(0, "x");
  ExpectBad(m, "the string table's first entry");

  m = SmallProfile();
  m.mutable_sample_type(0)->set_unit(-3);
  ExpectBad(m, "is string -3");
}

TEST(PprofProto, BytesThatAreNotAProfileNameTheOffset) {
  std::string good = SmallProfile().SerializeAsString();
  // Cut inside the last sample: the offset is where that field starts.
  Result<Profile> cut = ParsePprofProto(good.substr(0, good.size() - 2), "cut.pb");
  ASSERT_FALSE(cut.ok());
  EXPECT_NE(cut.status().ToString().find("cut.pb: byte "), std::string::npos)
      << cut.status().ToString();
  Result<Profile> text = ParsePprofProto("hello, this is a log line\n", "log.txt");
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.status().ToString().find("not a pprof profile"), std::string::npos);
  EXPECT_FALSE(LooksLikePprofProto("hello, this is a log line\n"));
  EXPECT_TRUE(LooksLikePprofProto(good));
  EXPECT_TRUE(LooksLikePprofProto(good.substr(0, 20)));  // a head cut mid-field
}

TEST(PprofLegacy, BadLinesNameTheirLine) {
  Result<Profile> p = ParseLegacyHeap(
      "heap profile: 2: 64 [ 2: 64] @ heap_v2/524288\n1: 32 [1: 32] @ 0x1 0x2\nnot a sample\n",
      "h.txt");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().ToString().substr(0, 8), "h.txt:3:");
  p = ParseLegacyHeap("heap profile: 1: 64 [ 1: 64] @ heap_v2/524288\n0: 32 [0: 0] @ 0x1\n",
                      "h.txt");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().ToString().find("in-use count is 0 but in-use bytes is 32"),
            std::string::npos);
  p = ParseLegacyHeap(
      "heap profile: 1: 64 [ 1: 64] @ heap_v2/524288\n1: 32 [1: 32] @ 0x1ffffffffffffffff\n",
      "h.txt");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().ToString().find("does not fit in 64 bits"), std::string::npos);
  EXPECT_EQ(LegacyHeapKindOf("--- contention:\ncycles/second=1\n"), LegacyHeapKind::kNone);
}

TEST(ProfileUnits, FormatAsPprof) {
  EXPECT_EQ(ScaledLabel(1572864, "bytes", "auto"), "1.50MB");
  EXPECT_EQ(ScaledLabel(1024, "bytes", "MB"), "0");
  EXPECT_EQ(ScaledLabel(29740000000, "nanoseconds", "s"), "29.74s");
  EXPECT_EQ(ScaledLabel(-2048, "bytes", "kB"), "-2kB");
  EXPECT_EQ(ScaledLabel(12, "count", "count"), "12");
  EXPECT_EQ(Percentage(1, 3), "33.33%");
  EXPECT_EQ(Percentage(3, 3), "  100%");
  EXPECT_EQ(Percentage(1, 1500), "0.067%");
  EXPECT_EQ(Percentage(1, 0), "    0%");
  EXPECT_EQ(TableUnit(512, 110 << 20, "bytes"), "kB");
  EXPECT_EQ(TableUnit(5, 50, "count"), "count");
}

}  // namespace
}  // namespace inquest::profile
