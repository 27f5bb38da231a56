// The HPROF reader, the object graph, the dominator tree and the suspects, on dumps written
// here with known answers, on malformed input, and on the real dumps of the shared fixtures
// against their oracles (jmap's histograms as MAT checks them, hprof-slurp's results).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "heap/dominators.h"
#include "heap/heap_analysis.h"
#include "heap/heap_graph.h"
#include "heap/histogram_pass.h"
#include "heap/hprof_reader.h"
#include "heap/hprof_writer_for_test.h"
#include "tests/support/test_files.h"

namespace inquest::heap {
namespace {

constexpr uint64_t kObject = 0x100, kNode = 0x200, kHolder = 0x300;
constexpr uint64_t kA = 0x1000, kB = 0x1020, kC = 0x1040, kD = 0x1060, kE = 0x1080, kF = 0x10a0;

// Holder.cache -> A; A -> B, C; B -> D; C -> D; D -> E; F unreachable.
std::string DiamondDump() {
  HprofWriterForTest w;
  w.Class(kObject, "java/lang/Object", 0, {});
  w.Class(kNode, "com/acme/Node", kObject, {{"next", kTypeObject}, {"other", kTypeObject}});
  w.Class(kHolder, "com/acme/Holder", kObject, {}, {{"cache", kA}});
  w.StickyClassRoot(kHolder);
  w.StickyClassRoot(kObject);
  w.Instance(kA, kNode, {kB, kC});
  w.Instance(kB, kNode, {kD, 0});
  w.Instance(kC, kNode, {kD, 0});
  w.Instance(kD, kNode, {kE, 0});
  w.Instance(kE, kNode, {0, 0});
  w.Instance(kF, kNode, {kA, 0});
  return w.Finish();
}

uint32_t Index(const HeapGraph& g, uint64_t id) {
  uint32_t i = g.Find(id);
  EXPECT_NE(i, kNoIndex) << std::hex << id;
  return i;
}

TEST(HeapGraphTest, DominatorsAndRetainedSizesOfADiamond) {
  std::string bytes = DiamondDump();
  Result<HeapGraph> g = BuildHeapGraphFromBytes(bytes, "diamond.hprof");
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->objects(), 9u);  // three class objects and six instances
  EXPECT_TRUE(g->warnings().empty()) << g->warnings().front();
  DominatorTree t = ComputeDominators(*g);
  uint32_t a = Index(*g, kA), b = Index(*g, kB), c = Index(*g, kC), d = Index(*g, kD),
           e = Index(*g, kE), f = Index(*g, kF), holder = Index(*g, kHolder);
  EXPECT_EQ(t.idom[a], holder);
  EXPECT_EQ(t.idom[b], a);
  EXPECT_EQ(t.idom[c], a);
  EXPECT_EQ(t.idom[d], a) << "D is reached through B and through C: only A dominates it";
  EXPECT_EQ(t.idom[e], d);
  EXPECT_EQ(t.idom[f], kNoIndex) << "F points at A but nothing points at F";
  EXPECT_EQ(t.idom[holder], kVirtualRoot);
  // Node: a 16-byte header and two 8-byte references; the ids' spacing gives 32-byte alignment.
  EXPECT_EQ(g->Shallow(a), 32u);
  EXPECT_EQ(t.retained[e], 32u);
  EXPECT_EQ(t.retained[d], 64u);
  EXPECT_EQ(t.retained[b], 32u);
  EXPECT_EQ(t.retained[a], 5 * 32u);
  EXPECT_EQ(t.retained[holder], g->Shallow(holder) + 5 * 32u);
}

TEST(HeapGraphTest, SuspectIsTheHolderWithItsPathFromTheRoot) {
  std::string bytes = DiamondDump();
  Result<HeapGraph> g = BuildHeapGraphFromBytes(bytes, "diamond.hprof");
  ASSERT_TRUE(g.ok());
  HeapOptions o;
  o.suspect_share = 0.5;
  HeapReport r = AnalyzeHeap(*g, ComputeDominators(*g), o);
  ASSERT_FALSE(r.suspects.empty());
  const LeakSuspect& s = r.suspects.front();
  EXPECT_EQ(s.subject.id, kA) << s.explanation;
  ASSERT_EQ(s.path.size(), 2u);
  EXPECT_EQ(s.path[0].object.class_name, "class com.acme.Holder");
  EXPECT_EQ(s.path[0].via, "GC root: system class");
  EXPECT_EQ(s.path[1].via, "static cache");
  EXPECT_NE(s.explanation.find("com.acme.Node"), std::string::npos) << s.explanation;
  // The histogram counts the unreachable F too, as jmap does.
  bool found = false;
  for (const ClassRow& row : r.histogram)
    if (row.name == "com.acme.Node") {
      found = true;
      EXPECT_EQ(row.instances, 6u);
      EXPECT_EQ(row.retained, 5 * 32u) << "nested Nodes count once, under A";
    }
  EXPECT_TRUE(found);
}

TEST(HeapGraphTest, ACutDumpKeepsWhatCameBeforeTheCut) {
  std::string bytes = DiamondDump();
  std::string cut = bytes.substr(0, bytes.size() - 60);
  Result<HeapGraph> g = BuildHeapGraphFromBytes(cut, "cut.hprof");
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  ASSERT_FALSE(g->warnings().empty());
  EXPECT_NE(g->warnings().front().find("byte"), std::string::npos) << g->warnings().front();
  EXPECT_LT(g->objects(), 9u);
  EXPECT_GT(g->objects(), 3u);
}

struct NullVisitor : HprofVisitor {};

Status Read(const std::string& bytes) {
  NullVisitor v;
  return ReadHprof(ByteStream::FromMemory(bytes, "bad.hprof"), &v, nullptr, bytes.size());
}

TEST(HprofReaderTest, MalformedInputIsAnErrorWithTheByteOffset) {
  EXPECT_NE(Read("PK\x03\x04 not a dump").ToString().find("not an HPROF"), std::string::npos);
  {
    HprofWriterForTest w;
    w.RawHeap(std::string("\x42", 1));
    std::string bytes = w.Finish();
    Status s = Read(bytes);
    EXPECT_NE(s.ToString().find("unknown heap dump sub-record tag 0x42"), std::string::npos)
        << s.ToString();
    EXPECT_TRUE(s.where().has_offset);
  }
  {
    // An object array declaring 2^31 elements in a segment of a few bytes.
    HprofWriterForTest w;
    std::string raw(1, char(kSubObjectArrayDump));
    HprofWriterForTest::U8(raw, 0x5000);
    HprofWriterForTest::U4(raw, 0);
    HprofWriterForTest::U4(raw, 0x80000000u);
    HprofWriterForTest::U8(raw, kNode);
    w.RawHeap(raw);
    Status s = Read(w.Finish());
    EXPECT_NE(s.ToString().find("past the end of its heap dump segment"), std::string::npos)
        << s.ToString();
  }
  {
    // A record whose length runs past the end of the file.
    std::string bytes = DiamondDump();
    bytes.resize(bytes.size() - 9);  // drop HEAP_DUMP_END
    bytes.back() = 'x';
    std::string tail(1, char(kTagUtf8));
    HprofWriterForTest::U4(tail, 0);
    HprofWriterForTest::U4(tail, 1u << 30);
    bytes += tail;
    Status s = Read(bytes);
    EXPECT_NE(s.ToString().find("declares 1073741824 bytes"), std::string::npos) << s.ToString();
  }
  {
    std::string bytes = DiamondDump();
    std::string unknown(1, char(0x55));
    HprofWriterForTest::U4(unknown, 0);
    HprofWriterForTest::U4(unknown, 3);
    unknown += "abc";
    bytes += unknown;
    HprofCounts counts;
    NullVisitor v;
    ASSERT_TRUE(ReadHprof(ByteStream::FromMemory(bytes, "x"), &v, &counts, bytes.size()).ok());
    EXPECT_EQ(counts.unknown_records, 1u);
    EXPECT_EQ(counts.first_unknown_tag, 0x55);
  }
}

TEST(HprofReaderTest, FourByteIdsReadTheSameGraph) {
  HprofWriterForTest w(4, "JAVA PROFILE 1.0.1");
  w.Class(kObject, "java/lang/Object", 0, {});
  w.Class(kNode, "com/acme/Node", kObject, {{"next", kTypeObject}});
  w.StickyClassRoot(kNode);
  w.ObjectArray(0x2000, kObject, {kA, kB});
  w.GlobalRoot(0x2000);
  w.Instance(kA, kNode, {kB});
  w.Instance(kB, kNode, {0});
  w.PrimitiveArray(0x3008, kTypeChar, 5);  // 8 past a multiple of 32: the alignment is 8
  std::string bytes = w.Finish();
  Result<HeapGraph> g = BuildHeapGraphFromBytes(bytes, "ids4.hprof");
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->header().id_size, 4);
  DominatorTree t = ComputeDominators(*g);
  uint32_t array = Index(*g, 0x2000), a = Index(*g, kA), b = Index(*g, kB);
  EXPECT_EQ(t.idom[a], array);
  EXPECT_EQ(t.idom[b], array) << "B is reached from the array and from A";
  // 32-bit: 4-byte header words; char[5]: align(align(4+4+4, 4) + 10, 8) = 24.
  EXPECT_EQ(g->Shallow(Index(*g, 0x3008)), 24u);
}

// Android's 1.0.3 sub-records: heap info, its own root kinds, an array dumped without data.
TEST(HprofReaderTest, AndroidSubRecordsRead) {
  HprofWriterForTest w(4, "JAVA PROFILE 1.0.3");
  w.Class(kObject, "java/lang/Object", 0, {});
  w.Class(kNode, "com/acme/Node", kObject, {{"next", kTypeObject}});
  std::string raw(1, char(kSubAndroidHeapDumpInfo));
  HprofWriterForTest::U4(raw, 1);          // heap type
  HprofWriterForTest::U4(raw, 0x7000001);  // its name's string id
  raw.push_back(char(kSubAndroidRootInternedString));
  HprofWriterForTest::U4(raw, kA);
  raw.push_back(char(kSubAndroidRootJniMonitor));
  HprofWriterForTest::U4(raw, kB);
  HprofWriterForTest::U4(raw, 0);
  HprofWriterForTest::U4(raw, 3);
  raw.push_back(char(kSubAndroidPrimitiveArrayNoData));
  HprofWriterForTest::U4(raw, 0x3000);
  HprofWriterForTest::U4(raw, 0);
  HprofWriterForTest::U4(raw, 100);  // 100 ints, no bytes follow
  raw.push_back(char(kTypeInt));
  w.RawHeap(raw);
  w.Instance(kA, kNode, {kB});
  w.Instance(kB, kNode, {0});
  std::string bytes = w.Finish();
  Result<HeapGraph> g = BuildHeapGraphFromBytes(bytes, "android.hprof");
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_TRUE(g->warnings().empty()) << g->warnings().front();
  EXPECT_EQ(g->objects(), 5u);
  std::vector<RootKind> kinds;
  for (const HeapRoot& r : g->roots()) kinds.push_back(r.kind);
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), RootKind::kInternedString), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), RootKind::kJniMonitor), kinds.end());
  uint32_t array = Index(*g, 0x3000);
  EXPECT_EQ(g->ArrayLength(array), 100u) << "the length counts though no element was dumped";
}

// ---- The shared fixtures and their oracles ----------------------------------------------------

std::string Fixture(const std::string& name) { return TestFixture("heap/hprof", name); }

bool HaveHeapFixtures() { return std::ifstream(Fixture("mat-sun_jdk6_18_x64.hprof")).good(); }

std::map<std::string, ClassRow> HistogramByName(const HeapReport& r) {
  std::map<std::string, ClassRow> m;
  for (const ClassRow& c : r.histogram) {
    ClassRow& x = m[c.name];
    x.name = c.name;
    x.instances += c.instances;
    x.shallow += c.shallow;
  }
  return m;
}

// jmap's "[Ljava.lang.String;" and "[C" as the dump names them.
std::string JmapName(const std::string& name) {
  if (name.empty() || name[0] != '[') return name;
  size_t dims = name.find_first_not_of('[');
  std::string element = name.substr(dims);
  static const std::map<char, std::string> kPrimitive = {
      {'Z', "boolean"}, {'C', "char"},  {'F', "float"}, {'D', "double"},
      {'B', "byte"},    {'S', "short"}, {'I', "int"},   {'J', "long"}};
  std::string base = element.size() == 1 && kPrimitive.count(element[0])
                         ? kPrimitive.at(element[0])
                         : element.substr(1, element.size() - 2);
  for (size_t k = 0; k < dims; ++k) base += "[]";
  return base;
}

// MAT's own check of its sizes (TestInstanceSizes) against a jmap -histo taken with the dump:
// per-instance size of every class, and the total of every array class whose count matches.
// Classes jmap shows that the dump has no instances of (the VM's <...Klass> objects,
// java.lang.Class whose mirrors jmap sizes from VM internals) are left out, as MAT does.
void CheckAgainstJmap(const std::string& dump, const std::string& histogram) {
  Result<HeapGraph> g = BuildHeapGraph(Fixture(dump));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  HeapReport r = AnalyzeHeap(*g, ComputeDominators(*g), HeapOptions{});
  std::map<std::string, ClassRow> ours = HistogramByName(r);
  std::ifstream in(Fixture(histogram));
  std::string line;
  int compared = 0, errors = 0;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string first, name;
    uint64_t count = 0, bytes = 0;
    if (!(fields >> first)) continue;
    if (first.back() == ':') fields >> first;
    count = std::stoull(first);
    fields >> bytes >> name;
    if (name.empty() || name[0] == '<' || name == "java.lang.Class" || count == 0) continue;
    name = JmapName(name);
    auto it = ours.find(name);
    if (it == ours.end()) continue;
    const ClassRow& row = it->second;
    if (name.ends_with("[]")) {
      if (row.instances != count) continue;
      ++compared;
      if (row.shallow != bytes) {
        ++errors;
        ADD_FAILURE() << dump << ": " << name << " arrays: jmap " << bytes << " bytes, inquest "
                      << row.shallow;
      }
    } else {
      ++compared;
      if (row.shallow / row.instances != bytes / count) {
        ++errors;
        ADD_FAILURE() << dump << ": " << name << ": jmap " << bytes / count
                      << " bytes per instance, inquest " << row.shallow / row.instances;
      }
    }
  }
  EXPECT_GT(compared, 100) << dump;
  EXPECT_EQ(errors, 0) << dump;
}

TEST(HeapFixturesTest, ShallowSizesEqualJmapAsMatChecksThem) {
  if (!HaveHeapFixtures()) GTEST_SKIP() << "no fixtures at " << Fixture("");
  CheckAgainstJmap("mat-sun_jdk6_18_x64.hprof", "mat-histogram_sun_jdk6_18_x64.txt");
  CheckAgainstJmap("mat-sun_jdk6_30_x64_compressedOops.hprof",
                   "mat-sun_jdk6_30_x64_compressedOops.notes.txt");
}

// hprof-slurp's "raw shallow heap classes" table: its instance counts must equal ours exactly.
// Its sizes are not an oracle, and the test says why rather than bending to them: they are
// estimates by its own convention (the class dumps' declared "instance size", which HotSpot
// pads differently from the fields, plus a header of id size + 8, then `size += size % 8`,
// which is not a rounding up; arrays get a flat 4 bytes of padding each), and its current
// formula does not even reproduce the sizes in these result files. Sizes are checked against
// jmap above, as MAT checks its own. The result files also label "[Ljava/lang/Object;"
// "java.lang.Object[][]", so array rows are matched on the element class and the count.
void CheckAgainstSlurp(const std::string& dump, const std::string& result) {
  Result<HeapGraph> g = BuildHeapGraph(Fixture(dump));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  HeapReport r = AnalyzeHeap(*g, ComputeDominators(*g), HeapOptions{});
  std::map<std::string, ClassRow> ours = HistogramByName(r);
  uint64_t class_dumps = 0;
  for (const HeapClass& c : g->classes())
    class_dumps += c.dumped && c.id != 0 && c.kind != HeapClass::Kind::kClass;
  std::ifstream in(Fixture(result));
  std::string line;
  bool in_table = false;
  int rows = 0;
  while (std::getline(in, line)) {
    if (line.find("raw shallow heap classes") != std::string::npos) in_table = true;
    if (line.find("largest instances") != std::string::npos) break;
    if (!in_table || line.empty() || line[0] != '|' || line.find("Class name") != std::string::npos)
      continue;
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, '|')) {
      size_t a = cell.find_first_not_of(' '), b = cell.find_last_not_of(' ');
      if (a != std::string::npos) cells.push_back(cell.substr(a, b - a + 1));
    }
    ASSERT_EQ(cells.size(), 4u) << line;
    const std::string& name = cells[3];
    uint64_t instances = std::stoull(cells[1]);
    ++rows;
    if (name.ends_with("[]")) {
      auto element = [](std::string n) {
        while (n.ends_with("[]")) n.resize(n.size() - 2);
        return n;
      };
      bool match = false;
      for (const auto& [ours_name, row] : ours)
        if (ours_name.ends_with("[]") && element(ours_name) == element(name) &&
            row.instances == instances)
          match = true;
      EXPECT_TRUE(match) << dump << ": no array class of " << element(name) << " with " << instances
                         << " instances";
      continue;
    }
    ASSERT_TRUE(ours.count(name)) << dump << ": no class " << name;
    // slurp counts the instance records of java.lang.Class only; inquest, like MAT and jmap,
    // counts every class object (each class dump) as one too.
    uint64_t class_objects = name == "java.lang.Class" ? class_dumps : 0;
    EXPECT_EQ(ours[name].instances, instances + class_objects) << dump << ": " << name;
  }
  EXPECT_EQ(rows, 20) << dump;
}

TEST(HeapFixturesTest, InstanceCountsEqualHprofSlurp) {
  if (!HaveHeapFixtures()) GTEST_SKIP() << "no fixtures at " << Fixture("");
  CheckAgainstSlurp("slurp-hprof-64.bin", "slurp-hprof-64-result.txt");
  CheckAgainstSlurp("slurp-hprof-32.bin", "slurp-hprof-32-result.txt");
}

TEST(HeapFixturesTest, GzipAndJdk8And11DumpsRead) {
  if (!HaveHeapFixtures()) GTEST_SKIP() << "no fixtures at " << Fixture("");
  for (const char* name : {"mat-openjdk_jdk11_04_x64.hprof.gz", "mat-oracle_jdk8_05_x64.hprof"}) {
    Result<HeapGraph> g = BuildHeapGraph(Fixture(name));
    ASSERT_TRUE(g.ok()) << name << ": " << g.status().ToString();
    EXPECT_GT(g->objects(), 10000u) << name;
    EXPECT_EQ(g->ref_size(), 4) << name << ": a JDK 8 or 11 heap under 32 GB uses compressed oops";
    EXPECT_GT(g->roots().size(), 100u) << name;
    DominatorTree t = ComputeDominators(*g);
    EXPECT_GT(t.reachable_bytes, 100000u) << name;
  }
}

// The one-pass histogram counts and sizes every class as the full analysis does.
TEST(HeapFixturesTest, OnePassHistogramEqualsTheGraphsHistogram) {
  if (!HaveHeapFixtures()) GTEST_SKIP() << "no fixtures at " << Fixture("");
  for (const char* name : {"mat-sun_jdk6_18_x64.hprof", "mat-sun_jdk6_30_x64_compressedOops.hprof",
                           "mat-openjdk_jdk11_04_x64.hprof.gz", "slurp-hprof-32.bin"}) {
    Result<HeapGraph> g = BuildHeapGraph(Fixture(name));
    ASSERT_TRUE(g.ok()) << name;
    std::map<std::string, ClassRow> full =
        HistogramByName(AnalyzeHeap(*g, ComputeDominators(*g), HeapOptions{}));
    Result<HeapReport> quick = HistogramOnly(Fixture(name));
    ASSERT_TRUE(quick.ok()) << name << ": " << quick.status().ToString();
    std::map<std::string, ClassRow> one = HistogramByName(*quick);
    EXPECT_EQ(one.size(), full.size()) << name;
    for (const auto& [cls, row] : full) {
      ASSERT_TRUE(one.count(cls)) << name << ": " << cls;
      EXPECT_EQ(one[cls].instances, row.instances) << name << ": " << cls;
      EXPECT_EQ(one[cls].shallow, row.shallow) << name << ": " << cls;
    }
  }
}

}  // namespace
}  // namespace inquest::heap
