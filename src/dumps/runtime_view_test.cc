#include "dumps/runtime_view.h"

#include <gtest/gtest.h>

namespace inquest {
namespace {

RuntimeThread PyThread(uint64_t id, int lwp, std::string activity) {
  RuntimeThread t;
  t.id = id;
  t.lwp = lwp;
  t.activity = std::move(activity);
  return t;
}

RuntimeFrame Frame(std::string function, std::string qualname, std::string file, int line) {
  RuntimeFrame f;
  f.function = std::move(function);
  f.qualname = std::move(qualname);
  f.file = std::move(file);
  f.line = line;
  return f;
}

// The view as py-spy writes a dump: idle or active from the native stack, active+gil for the
// holder, unknown without a native stack.
TEST(RuntimeView, CPythonAsPySpyDump) {
  RuntimeView v;
  v.runtime = "CPython";
  v.version = "3.12.1";
  v.module = "/usr/lib/libpython3.12.so.1.0";
  RuntimeThread waiting = PyThread(0x7f01, 78, "idle");
  waiting.frames.push_back(Frame("take", "Pool.take", "/a.py", 14));
  RuntimeThread holder = PyThread(0x7f02, 79, "active");
  holder.holds_lock = true;
  holder.frames.push_back(Frame("spin", "", "/a.py", 0));
  v.threads = {waiting, holder, PyThread(0x7f03, 0, "")};
  EXPECT_EQ(RuntimeViewAsPySpy(v, "77: python3 app.py"),
            "Process 77: python3 app.py\n"
            "Python v3.12.1 (/usr/lib/libpython3.12.so.1.0)\n\n"
            "Thread 78 (idle)\n    Pool.take (/a.py:14)\n\n"
            "Thread 79 (active+gil)\n    spin (/a.py)\n\n"
            "Thread 32515 (unknown)\n\n");
  v.threads.clear();
  EXPECT_EQ(RuntimeViewAsPySpy(v, "77: python3 app.py"), "");
}

// A view from a core is judged by the runtime's dump reader: 30 Python threads idle at one
// line are stuck, as they are in a py-spy dump.
TEST(RuntimeView, CPythonViewGetsTheDumpReadersVerdicts) {
  RuntimeView v;
  v.runtime = "CPython";
  v.version = "3.11.2";
  v.module = "/usr/bin/python3.11";
  for (int i = 0; i < 30; ++i) {
    RuntimeThread t = PyThread(0x7f00 + i, 100 + i, "idle");
    t.frames.push_back(Frame("take", "Pool.take", "/srv/service.py", 14));
    t.frames.push_back(Frame("serve", "Pool.serve", "/srv/service.py", 10));
    v.threads.push_back(t);
  }
  Result<DumpAnalysis> a = AnalyzeRuntimeView(v, "core", DumpOptions{}, "42: python3 service.py");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_FALSE(a->verdicts.empty());
  EXPECT_EQ(a->verdicts[0].kind, "stuck-threads") << a->verdicts[0].title;
  EXPECT_NE(a->verdicts[0].title.find("Pool.take"), std::string::npos) << a->verdicts[0].title;
}

// Goroutines from a core: a Go view in the runtime's traceback form, judged as a dump; a view
// of a runtime no reader judges is refused by name.
TEST(RuntimeView, GoViewGetsTheGoroutineReadersVerdictsAndJvmIsRefused) {
  RuntimeView v;
  v.runtime = "Go";
  for (int i = 0; i < 400; ++i) {
    RuntimeThread t;
    t.id = 100 + i;
    t.state = "chan send";
    t.frames.push_back(Frame("main.(*Orders).reply", "", "/srv/orders.go", 41));
    t.created_by = Frame("main.(*Orders).Place", "", "/srv/orders.go", 30);
    v.threads.push_back(t);
  }
  EXPECT_TRUE(RuntimeViewAsGoTraceback(v).starts_with(
      "goroutine 100 [chan send]:\nmain.(*Orders).reply(...)\n\t/srv/orders.go:41\n"
      "created by main.(*Orders).Place\n\t/srv/orders.go:30\n\n"));
  Result<DumpAnalysis> a = AnalyzeRuntimeView(v, "core", DumpOptions{}, "");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  bool leak = false;
  for (const Finding& f : a->verdicts) leak |= f.kind == "goroutine-leak";
  EXPECT_TRUE(leak);
  RuntimeView jvm;
  jvm.runtime = "HotSpot";
  EXPECT_EQ(AnalyzeRuntimeView(jvm, "core", DumpOptions{}, "").status().code(),
            StatusCode::kUnsupported);
}

}  // namespace
}  // namespace inquest
