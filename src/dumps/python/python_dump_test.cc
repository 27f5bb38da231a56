#include "dumps/python/python_dump.h"

#include <gtest/gtest.h>

#include "dumps/python/python_reader.h"

namespace inquest {
namespace {

// As CPython 3.11's faulthandler writes it for a segmentation fault with two threads.
constexpr std::string_view kSegfault =
    "Fatal Python error: Segmentation fault\n"
    "\n"
    "Thread 0x00007f06b4ed96c0 (most recent call first):\n"
    "  File \"/usr/lib/python3.11/threading.py\", line 327 in wait\n"
    "  File \"/app/worker.py\", line 2 in worker\n"
    "\n"
    "Current thread 0x00007f06b6c3eb80 (most recent call first):\n"
    "  File \"/usr/lib/python3.11/ctypes/__init__.py\", line 519 in string_at\n"
    "  File \"/app/main.py\", line 8 in crash\n"
    "  ...\n"
    "\n"
    "Extension modules: _ctypes (total: 1)\n";

TEST(PythonDump, FaulthandlerSegfault) {
  DumpIssues issues;
  PyDump d = ReadPythonDump(kSegfault, &issues);
  EXPECT_EQ(issues.count(), 0u);
  EXPECT_EQ(d.kind, PyDumpKind::kFaulthandler);
  EXPECT_EQ(d.fatal_error, "Segmentation fault");
  ASSERT_EQ(d.threads.size(), 2u);
  EXPECT_FALSE(d.threads[0].current);
  EXPECT_TRUE(d.threads[1].current);
  EXPECT_EQ(d.threads[1].id, "0x00007f06b6c3eb80");
  ASSERT_EQ(d.threads[1].frames.size(), 2u);
  EXPECT_EQ(d.threads[1].frames[1].func, "crash");
  EXPECT_EQ(d.threads[1].frames[1].file, "/app/main.py");
  EXPECT_EQ(d.threads[1].frames[1].line, 8u);
  EXPECT_TRUE(d.threads[1].truncated);

  Result<DumpAnalysis> a = PythonDumpReader().analyze("seg.txt", kSegfault, DumpOptions());
  ASSERT_TRUE(a.ok());
  ASSERT_FALSE(a->verdicts.empty());
  EXPECT_EQ(a->verdicts[0].kind, "crash");
  EXPECT_EQ(a->verdicts[0].title,
            "Fatal Python error: Segmentation fault in current thread 0x00007f06b6c3eb80 at "
            "string_at (/usr/lib/python3.11/ctypes/__init__.py:519), called from crash "
            "(/app/main.py:8)");
  EXPECT_EQ(a->verdicts[0].evidence[0].source, "seg.txt:1");
}

TEST(PythonDump, FaulthandlerTimeoutNamesAndNoPythonFrame) {
  constexpr std::string_view kTimeout =
      "Timeout (0:00:05)!\n"
      "Thread 0x00007f0000000001 [worker-1] (most recent call first):\n"
      "  <no Python frame>\n"
      "\n"
      "Thread 0x00007f0000000002 (most recent call first):\n"
      "  File \"/app/main.py\", line 8 in stuck\n"
      "  File \"/app/main.py\", line 9 in <module>\n";
  Result<DumpAnalysis> a = PythonDumpReader().analyze("hang.txt", kTimeout, DumpOptions());
  ASSERT_TRUE(a.ok());
  ASSERT_FALSE(a->verdicts.empty());
  EXPECT_EQ(a->verdicts[0].kind, "hang");
  EXPECT_EQ(a->verdicts[0].title,
            "hang: no progress within 0:00:05 (faulthandler timeout); thread "
            "0x00007f0000000002 waits in stuck (/app/main.py:8)");
  DumpIssues issues;
  PyDump d = ReadPythonDump(kTimeout, &issues);
  ASSERT_EQ(d.threads.size(), 2u);
  EXPECT_EQ(d.threads[0].name, "worker-1");
  EXPECT_TRUE(d.threads[0].no_python_frame);
  EXPECT_EQ(issues.count(), 0u);
}

TEST(PythonDump, PySpyTextWithLocalsAndGil) {
  constexpr std::string_view kSpy =
      "Process 4242: python3 app.py\n"
      "Python v3.11.7 (/usr/bin/python3.11)\n"
      "\n"
      "Thread 0x7F06B6C3EB80 (idle): \"MainThread\"\n"
      "    wait (threading.py:327)\n"
      "    join (threading.py:1119)\n"
      "    <module> (app.py:30)\n"
      "Thread 4243 (active+gil): \"compute\"\n"
      "    crunch (/app/app.py:12)\n"
      "        Arguments:\n"
      "            n: 1000000\n"
      "        Locals:\n"
      "            i: 37\n"
      "            password: \"hunter2\"\n"
      "    run (threading.py:982)\n";
  DumpIssues issues;
  PyDump d = ReadPythonDump(kSpy, &issues);
  EXPECT_EQ(issues.count(), 0u);
  EXPECT_EQ(d.kind, PyDumpKind::kPySpy);
  EXPECT_EQ(d.process, "4242: python3 app.py");
  ASSERT_EQ(d.threads.size(), 2u);
  EXPECT_EQ(d.threads[0].name, "MainThread");
  EXPECT_FALSE(d.threads[0].active);
  EXPECT_TRUE(d.threads[1].gil);
  ASSERT_EQ(d.threads[1].frames.size(), 2u);
  ASSERT_EQ(d.threads[1].frames[0].locals.size(), 3u);
  EXPECT_EQ(d.threads[1].frames[0].locals[1].second, "37");
  EXPECT_EQ(d.threads[1].frames[0].locals[2].second.find("hunter2"), std::string::npos);
  Result<DumpAnalysis> a = PythonDumpReader().analyze("spy.txt", kSpy, DumpOptions());
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->verdicts.size(), 1u);
  EXPECT_EQ(a->verdicts[0].kind, "gil-holder");
  EXPECT_EQ(a->verdicts[0].title, "GIL held by thread 4243 \"compute\" in crunch (/app/app.py:12)");
}

TEST(PythonDump, PySpyJson) {
  constexpr std::string_view kJson = R"([
    {"pid": 4242, "thread_id": 139666, "thread_name": "MainThread", "os_thread_id": 4242,
     "active": false, "owns_gil": false,
     "frames": [{"name": "wait", "filename": "/usr/lib/python3.11/threading.py", "module": null,
                 "short_filename": "threading.py", "line": 327, "locals": null, "is_entry": true}]},
    {"pid": 4242, "thread_id": 139667, "thread_name": "worker", "os_thread_id": 4243,
     "active": true, "owns_gil": true,
     "frames": [{"name": "crunch", "filename": "/app/app.py", "line": 12,
                 "locals": [{"name": "n", "addr": 1, "arg": true, "repr": "10"}]}]}
  ])";
  ASSERT_GT(ProbePythonDump(kJson), 0.5);
  DumpIssues issues;
  PyDump d = ReadPythonDump(kJson, &issues);
  EXPECT_EQ(issues.count(), 0u);
  EXPECT_EQ(d.kind, PyDumpKind::kPySpyJson);
  ASSERT_EQ(d.threads.size(), 2u);
  EXPECT_TRUE(d.threads[1].gil);
  EXPECT_EQ(d.threads[1].frames[0].locals[0].second, "10");
  EXPECT_EQ(d.threads[0].frames[0].line, 327u);
}

TEST(PythonDump, BadInputIsReportedWithLines) {
  DumpIssues issues;
  PyDump d = ReadPythonDump("[1, 2", &issues);
  EXPECT_TRUE(d.threads.empty());
  EXPECT_EQ(issues.count(), 1u);
  Result<DumpAnalysis> a = PythonDumpReader().analyze("x.txt", "nothing here\n", DumpOptions());
  EXPECT_FALSE(a.ok());
  constexpr std::string_view kGarbage =
      "Thread 0x01 (most recent call first):\n"
      "  File \"/app/a.py\", line 3 in f\n"
      "  garbage in the stack\n";
  PyDump g = ReadPythonDump(kGarbage, &issues);
  ASSERT_EQ(issues.count(), 2u);
  EXPECT_EQ(issues.samples()[1].line, 3u);
  EXPECT_EQ(g.threads[0].frames.size(), 1u);
}

}  // namespace
}  // namespace inquest
