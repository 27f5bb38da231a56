#include "dumps/gdb/gdb_transcript.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "base/mapped_file.h"
#include "dumps/gdb/gdb_reader.h"
#include "dumps/gdb/null_origin.h"
#include "tests/support/test_files.h"

namespace inquest {
namespace {

namespace fs = std::filesystem;

TEST(GdbFrame, Forms) {
  GdbFrame f;
  ASSERT_TRUE(
      ParseGdbFrame("#1  0x4be11756 in __GI_raise (sig=sig@entry=6) at "
                    "../nptl/sysdeps/unix/sysv/linux/raise.c:56",
                    &f));
  EXPECT_EQ(f.level, 1u);
  EXPECT_EQ(f.address, "0x4be11756");
  EXPECT_EQ(f.func, "__GI_raise");
  ASSERT_EQ(f.args.size(), 1u);
  EXPECT_EQ(f.args[0].name, "sig");
  EXPECT_EQ(f.args[0].value, "6");
  EXPECT_EQ(f.line, 56u);

  GdbFrame g;
  ASSERT_TRUE(ParseGdbFrame("#0  0x00007f... in ?? () from /lib64/libc.so.6", &g));
  EXPECT_EQ(g.func, "??");
  EXPECT_EQ(g.library, "/lib64/libc.so.6");

  GdbFrame h;
  ASSERT_TRUE(ParseGdbFrame(
      "#4  std::vector<int, std::allocator<int> >::push_back (this=0x0, x=\"a, b)\") at v.h:7",
      &h));
  EXPECT_EQ(h.func, "std::vector<int, std::allocator<int> >::push_back");
  ASSERT_EQ(h.args.size(), 2u);
  EXPECT_EQ(h.args[1].value, "\"a, b)\"");
  EXPECT_TRUE(IsNullPointerValue(h.args[0].value));
  EXPECT_FALSE(IsNullPointerValue("0x10"));
  EXPECT_TRUE(IsNullPointerValue("(struct node *) 0x0"));
}

// bt full of a crash in frame 0 on a null argument that is a local of frame 2.
constexpr std::string_view kBornHere =
    "Program terminated with signal SIGSEGV, Segmentation fault.\n"
    "#0  0x0000555555555149 in node_value (n=0x0) at list.c:8\n"
    "\n"
    "Thread 1 (Thread 0x7ffff7d8a740 (LWP 4242)):\n"
    "#0  0x0000555555555149 in node_value (n=0x0) at list.c:8\n"
    "No locals.\n"
    "#1  0x0000555555555180 in sum (head=0x0, count=3) at list.c:15\n"
    "        total = 0\n"
    "#2  0x00005555555551c0 in main (argc=1, argv=0x7fffffffe4b8) at list.c:25\n"
    "        first = 0x0\n"
    "        n = 3\n";

TEST(GdbTranscript, BornHereCrashedThere) {
  DumpIssues issues;
  GdbTranscript t = ReadGdbTranscript(kBornHere, &issues);
  EXPECT_EQ(issues.count(), 0u);
  EXPECT_EQ(t.signal, "SIGSEGV, Segmentation fault");
  ASSERT_EQ(t.threads.size(), 1u);
  const GdbThread* crashed = t.CrashedThread();
  ASSERT_NE(crashed, nullptr);
  EXPECT_EQ(crashed->number, 1u);
  ASSERT_EQ(crashed->frames.size(), 3u);
  EXPECT_EQ(crashed->frames[2].locals[0].name, "first");
  std::optional<NullOrigin> o = FindNullOrigin(*crashed);
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->crash_frame, 0u);
  EXPECT_EQ(o->argument, "n");
  EXPECT_EQ(o->origin_frame, 2u);
  EXPECT_TRUE(o->origin_is_local);
  EXPECT_EQ(o->origin_name, "first");
  EXPECT_EQ(o->passed_through, std::vector<size_t>{1});

  Result<DumpAnalysis> a = GdbTranscriptReader().analyze("bt.txt", kBornHere, DumpOptions());
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->verdicts.size(), 2u);
  EXPECT_EQ(a->verdicts[1].kind, "null-origin");
  EXPECT_EQ(a->verdicts[1].title,
            "born here, crashed there: null 'n' born in #2 main (list.c:25), crashed in #0 "
            "node_value (list.c:8)");
}

TEST(GdbTranscript, NullComputedByTheCallerWithoutLocals) {
  constexpr std::string_view kBt =
      "#0  0x01 in strlen (s=0x0) at strlen.c:3\n"
      "#1  0x02 in greet (name=0x55 \"bob\") at greet.c:9\n";
  DumpIssues issues;
  GdbTranscript t = ReadGdbTranscript(kBt, &issues);
  ASSERT_EQ(t.threads.size(), 1u);
  std::optional<NullOrigin> o = FindNullOrigin(t.threads[0]);
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->origin_frame, 1u);
  EXPECT_FALSE(o->origin_is_local);
  EXPECT_FALSE(o->locals_known);
}

// The satyr transcripts: threads and frames, wrapped frames joined, the lone frame after the
// signal line not taken for a thread.
TEST(GdbConformance, SatyrTranscripts) {
  fs::path dir = fs::path(TestFixturesDir()) / "dumps" / "gdb";
  if (!fs::exists(dir)) GTEST_SKIP() << "no fixtures at " << dir;
  struct Want {
    const char* file;
    size_t threads;
    size_t crashed_frames;
    const char* signal;
  };
  const Want kWant[] = {
      {"satyr-rhbz-955617.txt", 1, 13, "6, Aborted"},
      {"satyr-no-thread-header.txt", 1, 6, "11, Segmentation fault"},
      {"satyr-rhbz-1119072.txt", 5, 0, "SIGTRAP, Trace/breakpoint trap"},
      {"satyr-quality_100.txt", 1, 0, "11, Segmentation fault"},
  };
  for (const Want& w : kWant) {
    SCOPED_TRACE(w.file);
    Result<MappedFile> f = MappedFile::Open((dir / w.file).string());
    ASSERT_TRUE(f.ok());
    EXPECT_GT(ProbeGdbTranscript(f->data()), 0.5);
    DumpIssues issues;
    GdbTranscript t = ReadGdbTranscript(f->data(), &issues);
    EXPECT_EQ(t.signal, w.signal);
    EXPECT_EQ(t.threads.size(), w.threads);
    const GdbThread* crashed = t.CrashedThread();
    ASSERT_NE(crashed, nullptr);
    if (w.crashed_frames) EXPECT_EQ(crashed->frames.size(), w.crashed_frames);
    for (const GdbThread& th : t.threads) {
      ASSERT_FALSE(th.frames.empty());
      for (size_t i = 0; i < th.frames.size(); ++i) EXPECT_EQ(th.frames[i].level, i);
    }
  }
}

}  // namespace
}  // namespace inquest
