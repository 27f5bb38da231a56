// A seeded generator writes logs of several layouts (log4j-style text with Java traces, Python
// logging text with tracebacks, Go text logs with panics, JSON lines whose traces sit in
// fields of different names, zap-style Go stacks) with exceptions planted before and after an
// onset. The logs are read by the real readers; the test checks that every planted signature
// comes back as exactly one group with its count and first time, that nothing else does, and
// that the ranking and the findings follow the onset.
#include "timeline/exception_groups.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <tuple>

#include "logs/log_file.h"
#include "timeline/detectors/exceptions.h"
#include "timeline/rate.h"

namespace inquest {
namespace {

// 2026-05-29T14:00:00Z.
constexpr int64_t kBaseSec = 1780063200;
constexpr double kOnsetSec = 600;      // 14:10:00
constexpr double kRecoverySec = 1500;  // 14:25:00

TimePoint At(double sec) {
  return (kBaseSec * kNanosPerSecond) + static_cast<int64_t>(sec * 1000) * 1000000;
}
std::string Clock(double sec, char frac_sep) {
  int64_t ms = static_cast<int64_t>(sec * 1000);
  int64_t s = ms / 1000;
  return fmt::format("{:02}:{:02}:{:02}{}{:03}", 14 + s / 3600, (s / 60) % 60, s % 60, frac_sep,
                     ms % 1000);
}
std::string JsonEscape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '\n')
      o += "\\n";
    else if (c == '\t')
      o += "\\t";
    else if (c == '"')
      o += "\\\"";
    else if (c == '\\')
      o += "\\\\";
    else
      o.push_back(c);
  }
  return o;
}

enum class Layout { kJavaText, kPythonText, kGoText, kJavaJson, kPythonJson, kGoJson };
constexpr Layout kLayouts[] = {Layout::kJavaText, Layout::kPythonText, Layout::kGoText,
                               Layout::kJavaJson, Layout::kPythonJson, Layout::kGoJson};

struct Frame {
  std::string pkg, cls, method, file;
  int line;
};

// One planted signature and its truth.
struct Planted {
  Layout layout;
  std::string type;      // as the trace writes it (Go: the panic value's template)
  std::string go_shape;  // Go panics: the template with its ids replaced as a reader must
  std::string label;     // what ExceptionSignature::Label() must say
  Frame top0, top1;      // the program's own top frames
  std::vector<double> times;
  bool is_new = false;
  bool surges = false;
  std::string json_field;  // JSON layouts: where the trace sits
};

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Int(0, static_cast<int>(v.size()) - 1)];
  }
  std::string Id() { return std::to_string(Int(1, 9999999)); }

  Frame OwnFrame(Layout l) {
    static const std::vector<std::string> nouns = {"Order", "Cart",  "Payment", "Invoice",
                                                   "Stock", "Price", "Ship",    "User"};
    static const std::vector<std::string> roles = {"Mapper",     "Service", "Controller",
                                                   "Repository", "Handler", "Client"};
    static const std::vector<std::string> verbs = {"map",    "load",    "apply", "place",
                                                   "charge", "resolve", "total"};
    Frame f;
    f.cls = Pick(nouns) + Pick(roles);
    f.method = Pick(verbs);
    f.line = Int(10, 900);
    switch (l) {
      case Layout::kJavaText:
      case Layout::kJavaJson:
        f.pkg = "com.acme." + ToLowerAscii(Pick(nouns));
        f.file = f.cls + ".java";
        break;
      case Layout::kPythonText:
      case Layout::kPythonJson:
        f.pkg = ToLowerAscii(Pick(nouns));
        f.file = "/srv/app/" + f.pkg + "/" + ToLowerAscii(f.cls) + ".py";
        break;
      case Layout::kGoText:
      case Layout::kGoJson:
        f.pkg = "github.com/acme/" + ToLowerAscii(Pick(nouns));
        f.file = "/src/" + ToLowerAscii(Pick(nouns)) + "/" + ToLowerAscii(f.cls) + ".go";
        break;
    }
    return f;
  }
  static std::string ToLowerAscii(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }

  // The trace text of one occurrence: own top frames fixed, everything else varied.
  std::string Trace(const Planted& p) {
    std::string t;
    switch (p.layout) {
      case Layout::kJavaText:
      case Layout::kJavaJson: {
        bool wrapped = Int(0, 2) == 0;
        std::string own =
            (Int(0, 1) ? "\tat java.base/java.util.Objects.requireNonNull(Objects.java:209)\n"
                       : "") +
            JavaFrame(p.top0) + JavaFrame(p.top1);
        // Callers below the signature vary from one request to the next.
        for (int i = Int(0, 3); i > 0; --i) own += JavaFrame(OwnFrame(p.layout));
        std::string lib =
            "\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:" +
            std::to_string(Int(800, 900)) +
            ")\n\tat java.base/java.lang.Thread.run(Thread.java:833)\n";
        std::string header = p.type + ": " + Pick(messages_) + " " + Id() + "\n";
        if (wrapped)
          t = "org.springframework.web.util.NestedServletException: Request processing failed\n"
              "\tat "
              "org.springframework.web.servlet.FrameworkServlet.processRequest(F.java:1014)\n" +
              lib + "Caused by: " + header + own + "\t... " + std::to_string(Int(20, 60)) +
              " more\n";
        else
          t = header + own + lib;
        break;
      }
      case Layout::kPythonText:
      case Layout::kPythonJson: {
        t = "Traceback (most recent call last):\n"
            "  File \"/srv/app/.venv/lib/python3.11/site-packages/flask/app.py\", line 1484, in "
            "full_dispatch_request\n    rv = self.dispatch_request()\n";
        for (int i = Int(0, 2); i > 0; --i) t += PyFrame(OwnFrame(p.layout));
        t += PyFrame(p.top1) + PyFrame(p.top0);
        if (Int(0, 1))
          t += "  File \"/usr/lib/python3.11/json/decoder.py\", line 355, in raw_decode\n"
               "    raise JSONDecodeError(\"Expecting value\", s, err.value) from None\n";
        t += p.type + ": '" + Pick(messages_) + " " + Id() + "'\n";
        if (Int(0, 2) == 0)
          t += "\nDuring handling of the above exception, another exception occurred:\n\n"
               "Traceback (most recent call last):\n" +
               PyFrame(OwnFrame(p.layout)) + "app.errors.RequestFailedError: request " + Id() +
               "\n";
        break;
      }
      case Layout::kGoText:
      case Layout::kGoJson: {
        if (p.layout == Layout::kGoText)
          t = "panic: " + fmt::format(fmt::runtime(p.type), Id(), Int(1, 9)) + "\n\ngoroutine " +
              Id() +
              " [running]:\npanic({0x6b4f40?, 0x8c2e10?})\n"
              "\t/usr/local/go/src/runtime/panic.go:914 +0x21f\n";
        t += GoFrame(p.top0) + GoFrame(p.top1);
        for (int i = Int(0, 2); i > 0; --i) t += GoFrame(OwnFrame(p.layout));
        t += "net/http.HandlerFunc.ServeHTTP(0x0?, {0x7a1e0?, 0xc0001?}, 0x0?)\n"
             "\t/usr/local/go/src/net/http/server.go:2136 +0x29\n";
        if (p.layout == Layout::kGoText)
          t += "created by net/http.(*Server).Serve in goroutine 1\n"
               "\t/usr/local/go/src/net/http/server.go:3086 +0x5cb\n";
        break;
      }
    }
    return t;
  }

  std::string JavaFrame(const Frame& f) {
    return fmt::format("\tat {}.{}.{}({}:{})\n", f.pkg, f.cls, f.method, f.file, f.line);
  }
  std::string PyFrame(const Frame& f) {
    return fmt::format("  File \"{}\", line {}, in {}\n    result = {}(x)\n", f.file, f.line,
                       f.method, f.method);
  }
  std::string GoFrame(const Frame& f) {
    return fmt::format("{}.(*{}).{}(0xc000{}, {{0x{}, 0x3}})\n\t{}:{} +0x{:x}\n", f.pkg, f.cls,
                       f.method, Int(100, 999), Int(100, 999), f.file, f.line, Int(16, 900));
  }

  std::mt19937 rng_;
  std::vector<std::string> messages_ = {"order", "cart", "customer", "sku", "request"};
};

// The label the signature reader must produce for a planted signature.
std::string ExpectedLabel(const Planted& p) {
  std::string type = p.type;
  switch (p.layout) {
    case Layout::kJavaText:
    case Layout::kJavaJson:
      return fmt::format("{} at {}.{}:{}", type.substr(type.rfind('.') + 1), p.top0.cls,
                         p.top0.method, p.top0.line);
    case Layout::kPythonText:
    case Layout::kPythonJson:
      return fmt::format("{} at {} ({}:{})", type.substr(type.rfind('.') + 1), p.top0.method,
                         p.top0.file.substr(p.top0.file.rfind('/') + 1), p.top0.line);
    case Layout::kGoText:
      type = "panic: " + p.go_shape;
      break;
    case Layout::kGoJson:
      type = "\"failed to load the order: # not ready\"";
      break;
  }
  return fmt::format("{} at {}.(*{}).{} ({}:{})", type,
                     p.top0.pkg.substr(p.top0.pkg.rfind('/') + 1), p.top0.cls, p.top0.method,
                     p.top0.file.substr(p.top0.file.rfind('/') + 1), p.top0.line);
}

struct Bundle {
  std::vector<Planted> planted;
  std::vector<std::string> names;
  std::vector<std::unique_ptr<LogFile>> files;
  std::vector<const Event*> events;
  // (file index, line) of each planted signature's first occurrence.
  std::vector<std::pair<size_t, uint64_t>> first_at;
};

// Writes one file per layout, loads them with format detection, and merges the events.
Bundle Generate(uint32_t seed) {
  Generator g(seed);
  Bundle b;
  std::set<std::string> labels;
  const std::vector<std::string> java_types = {
      "java.lang.NullPointerException", "java.lang.IllegalStateException",
      "java.util.NoSuchElementException", "com.acme.orders.StaleCartException",
      "java.lang.ArithmeticException"};
  const std::vector<std::string> py_types = {"KeyError", "ValueError", "TypeError",
                                             "AttributeError", "orders.errors.StockError"};
  // Go panic values and their shapes (ids become "#", brackets stay).
  const std::vector<std::pair<std::string, std::string>> go_panics = {
      {"runtime error: index out of range [{}] with length {}",
       "runtime error: index out of range [#] with length #"},
      {"order {} has no mapper (shard {})", "order # has no mapper (shard #)"},
      {"runtime error: invalid memory address or nil pointer dereference id={} try={}",
       "runtime error: invalid memory address or nil pointer dereference # #"}};
  // Four new signatures, two steady old ones, one old one that surges.
  const int kinds[] = {0, 0, 0, 0, 1, 1, 2};
  for (int kind : kinds) {
    Planted p;
    for (;;) {
      p.layout = kLayouts[g.Int(0, 5)];
      bool java = p.layout == Layout::kJavaText || p.layout == Layout::kJavaJson;
      bool py = p.layout == Layout::kPythonText || p.layout == Layout::kPythonJson;
      if (java) {
        p.type = g.Pick(java_types);
      } else if (py) {
        p.type = g.Pick(py_types);
      } else {
        std::tie(p.type, p.go_shape) = g.Pick(go_panics);
      }
      p.top0 = g.OwnFrame(p.layout);
      p.top1 = g.OwnFrame(p.layout);
      p.label = ExpectedLabel(p);
      if (labels.insert(p.label).second) break;
    }
    static const std::vector<std::string> fields = {"stack_trace", "exception.stacktrace",
                                                    "error.stack_trace", "dump_of_failure"};
    p.json_field = g.Pick(fields);
    if (kind == 0) {
      p.is_new = true;
      double t = kOnsetSec + g.Int(5, 400) + g.Int(0, 999) / 1000.0;
      for (int n = g.Int(4, 40); n > 0; --n, t += g.Int(1, 20) + g.Int(0, 999) / 1000.0)
        p.times.push_back(t);
    } else if (kind == 1) {
      // Steady from before the onset to the end: about one a minute.
      for (double t = g.Int(10, 200) + 0.25; t < 1700; t += g.Int(45, 75)) p.times.push_back(t);
    } else {
      p.surges = true;
      for (double t = g.Int(10, 100) + 0.5; t < kOnsetSec - 90; t += 150) p.times.push_back(t);
      for (double t = kOnsetSec + 3.125; t < kRecoverySec; t += g.Int(3, 9)) p.times.push_back(t);
    }
    b.planted.push_back(std::move(p));
  }

  // Records per layout: (time, text), with background lines.
  std::map<Layout, std::vector<std::tuple<double, int, std::string>>> recs;
  for (size_t i = 0; i < b.planted.size(); ++i) {
    const Planted& p = b.planted[i];
    for (double t : p.times) {
      std::string trace = g.Trace(p);
      std::string id = g.Id();
      std::string r;
      switch (p.layout) {
        case Layout::kJavaText:
          r = "2026-05-29 " + Clock(t, ',') + " ERROR [http-nio-8080-exec-" + id.substr(0, 1) +
              "] c.a.o.OrderController - Request failed for order " + id + "\n" + trace;
          break;
        case Layout::kPythonText:
          r = "2026-05-29 " + Clock(t, ',') + " ERROR [orders.api] request " + id + " failed\n" +
              trace;
          break;
        case Layout::kGoText:
          r = "2026-05-29T" + Clock(t, '.') + "Z ERROR handler panicked req=" + id + "\n" + trace;
          break;
        case Layout::kJavaJson:
        case Layout::kPythonJson: {
          std::string field = p.json_field, tail;
          std::string head = "{\"@timestamp\":\"2026-05-29T" + Clock(t, '.') +
                             "Z\",\"level\":\"ERROR\",\"service\":\"orders\",\"message\":\"failed "
                             "order " +
                             id + "\",";
          if (field == "exception.stacktrace")
            r = head + "\"exception\":{\"type\":\"" + p.type + "\",\"stacktrace\":\"" +
                JsonEscape(trace) + "\"}}\n";
          else if (field == "error.stack_trace")
            r = head + "\"error\":{\"message\":\"x\",\"stack_trace\":\"" + JsonEscape(trace) +
                "\"}}\n";
          else
            r = head + "\"" + field + "\":\"" + JsonEscape(trace) + "\"}\n";
          break;
        }
        case Layout::kGoJson:
          r = "{\"ts\":\"2026-05-29T" + Clock(t, '.') +
              "Z\",\"level\":\"error\",\"msg\":\"request failed\",\"error\":\"failed to "
              "load the order: " +
              id + " not ready\",\"stacktrace\":\"" + JsonEscape(trace) + "\"}\n";
          break;
      }
      recs[p.layout].emplace_back(t, static_cast<int>(i), r);
    }
  }
  for (auto& [layout, v] : recs) {
    // Background: ordinary records without traces, every 10 s.
    for (double t = 1.5; t < 1800; t += 10) {
      std::string r;
      switch (layout) {
        case Layout::kJavaText:
          r = "2026-05-29 " + Clock(t, ',') + " INFO [main] c.a.o.OrderController - placed order " +
              g.Id() + "\n";
          break;
        case Layout::kPythonText:
          r = "2026-05-29 " + Clock(t, ',') + " INFO [orders.api] request " + g.Id() + " ok\n";
          break;
        case Layout::kGoText:
          r = "2026-05-29T" + Clock(t, '.') + "Z INFO served req=" + g.Id() + "\n";
          break;
        default:
          r = "{\"@timestamp\":\"2026-05-29T" + Clock(t, '.') +
              "Z\",\"level\":\"INFO\",\"service\":\"orders\",\"message\":\"ok " + g.Id() + "\"}\n";
      }
      v.emplace_back(t, -1, r);
    }
    std::stable_sort(v.begin(), v.end(),
                     [](const auto& x, const auto& y) { return std::get<0>(x) < std::get<0>(y); });
  }
  b.first_at.assign(b.planted.size(), {0, 0});
  FormatRegistry registry;
  for (auto& [layout, v] : recs) {
    size_t index = b.files.size();
    std::string text;
    uint64_t line = 1;
    for (const auto& [t, planted, r] : v) {
      if (planted >= 0 && b.first_at[planted].second == 0) b.first_at[planted] = {index, line};
      text += r;
      line += std::count(r.begin(), r.end(), '\n');
    }
    std::string name = fmt::format("svc{}.log", index);
    LoadOptions lo;
    Result<std::unique_ptr<LogFile>> f =
        LoadLogFile(InputFile::FromString(text, name), static_cast<uint32_t>(index), registry, lo);
    EXPECT_TRUE(f.ok()) << name << ": " << f.status().message();
    if (!f.ok()) continue;
    b.names.push_back(name);
    b.files.push_back(std::move(*f));
  }
  for (const auto& f : b.files)
    for (const Event& e : f->events) b.events.push_back(&e);
  std::stable_sort(b.events.begin(), b.events.end(),
                   [](const Event* x, const Event* y) { return x->time < y->time; });
  return b;
}

constexpr int kSeeds = 24;

TEST(ExceptionGroupsTest, SeededLogsGroupCountAndFirstTime) {
  for (uint32_t seed = 1; seed <= kSeeds; ++seed) {
    SCOPED_TRACE(fmt::format("seed {}", seed));
    Bundle b = Generate(seed);
    ExceptionScan scan = GroupExceptions(b.events, 60 * kNanosPerSecond);
    std::map<std::string, const ExceptionGroup*> by_label;
    for (const ExceptionGroup& g : scan.groups) {
      EXPECT_TRUE(by_label.emplace(g.signature.Label(), &g).second)
          << "two groups share a label: " << g.signature.Label();
    }
    uint64_t planted_traces = 0;
    for (size_t i = 0; i < b.planted.size(); ++i) {
      const Planted& p = b.planted[i];
      planted_traces += p.times.size();
      auto it = by_label.find(p.label);
      ASSERT_NE(it, by_label.end()) << "not found: " << p.label;
      const ExceptionGroup& g = *it->second;
      EXPECT_EQ(g.count, p.times.size()) << p.label;
      EXPECT_EQ(g.first->time, At(p.times.front())) << p.label;
      EXPECT_EQ(g.last->time, At(p.times.back())) << p.label;
      EXPECT_EQ(g.first->file, b.first_at[i].first) << p.label;
      EXPECT_EQ(g.first->line, b.first_at[i].second) << p.label;
      ASSERT_EQ(g.signature.top.size(), 2u);
      EXPECT_EQ(g.signature.top[1].line, p.top1.line) << p.label;
      bool json = p.layout == Layout::kJavaJson || p.layout == Layout::kPythonJson ||
                  p.layout == Layout::kGoJson;
      EXPECT_EQ(g.field.empty(), !json) << p.label;
    }
    // Nothing that was not planted.
    EXPECT_EQ(scan.groups.size(), b.planted.size());
    EXPECT_EQ(scan.traces, planted_traces);
  }
}

TEST(ExceptionGroupsTest, SeededRankingAndFindingsFollowTheOnset) {
  for (uint32_t seed = 1; seed <= kSeeds; ++seed) {
    SCOPED_TRACE(fmt::format("seed {}", seed));
    Bundle b = Generate(seed);
    ExceptionScan scan = GroupExceptions(b.events, 60 * kNanosPerSecond);
    RankExceptionGroups(&scan.groups, At(kOnsetSec), At(kRecoverySec));
    // New signatures first, in the order they appeared; then the old ones.
    std::vector<std::string> expected_new;
    std::vector<std::pair<double, std::string>> news;
    for (const Planted& p : b.planted)
      if (p.is_new) news.emplace_back(p.times.front(), p.label);
    std::sort(news.begin(), news.end());
    for (size_t i = 0; i < news.size(); ++i) {
      ASSERT_LT(i, scan.groups.size());
      EXPECT_EQ(scan.groups[i].signature.Label(), news[i].second);
      EXPECT_EQ(scan.groups[i].era, ExceptionEra::kNew);
    }
    for (size_t i = news.size(); i < scan.groups.size(); ++i)
      EXPECT_EQ(scan.groups[i].era, ExceptionEra::kOld);

    // Findings: the new ones (errors, in order), then the old one that surged; never a steady
    // old one.
    DetectorInput in;
    in.events = b.events;
    in.files = b.names;
    in.onset.found = true;
    in.onset.time = At(kOnsetSec);
    in.onset.recovery = At(kRecoverySec);
    std::vector<Finding> fs = DetectExceptions(in);
    ASSERT_EQ(fs.size(), news.size() + 1);
    for (size_t i = 0; i < news.size(); ++i) {
      EXPECT_EQ(fs[i].kind, "exception");
      EXPECT_EQ(fs[i].severity, Severity::kError);
      EXPECT_TRUE(fs[i].title.starts_with(news[i].second + " appeared at ")) << fs[i].title;
    }
    const Planted* surge = nullptr;
    for (const Planted& p : b.planted)
      if (p.surges) surge = &p;
    ASSERT_TRUE(surge);
    EXPECT_TRUE(fs.back().title.starts_with(surge->label)) << fs.back().title;
    EXPECT_EQ(fs.back().severity, Severity::kWarning);
    EXPECT_NE(fs.back().title.find(WithThousands(surge->times.size()) + " times"),
              std::string::npos)
        << fs.back().title;
    // Evidence: the first occurrence's file and line.
    for (size_t i = 0; i < b.planted.size(); ++i) {
      const Planted& p = b.planted[i];
      if (!p.is_new) continue;
      auto f = std::find_if(fs.begin(), fs.end(),
                            [&](const Finding& x) { return x.title.starts_with(p.label); });
      ASSERT_NE(f, fs.end());
      EXPECT_EQ(f->evidence.front().source,
                fmt::format("{}:{}", b.names[b.first_at[i].first], b.first_at[i].second));
    }
  }
}

TEST(ExceptionGroupsTest, WithoutOnsetTheMostFrequentComeFirst) {
  Bundle b = Generate(7);
  ExceptionScan scan = GroupExceptions(b.events, 60 * kNanosPerSecond);
  RankExceptionGroups(&scan.groups, kNoTime, kNoTime);
  for (size_t i = 1; i < scan.groups.size(); ++i) {
    EXPECT_EQ(scan.groups[i].era, ExceptionEra::kNoOnset);
    EXPECT_GE(scan.groups[i - 1].count, scan.groups[i].count);
  }
}

TEST(ExceptionGroupsTest, WithThousands) {
  EXPECT_EQ(WithThousands(0), "0");
  EXPECT_EQ(WithThousands(999), "999");
  EXPECT_EQ(WithThousands(3412), "3,412");
  EXPECT_EQ(WithThousands(1234567), "1,234,567");
}

}  // namespace
}  // namespace inquest

namespace inquest {
namespace {

TEST(ExceptionGroupsTest, TracebackFileFindingsCountEachSignature) {
  Generator g(11);
  std::string text;
  std::map<std::string, uint64_t> truth;
  std::vector<Planted> planted;
  for (int k = 0; k < 3; ++k) {
    Planted p;
    p.layout = Layout::kPythonText;
    p.type = k == 0 ? "KeyError" : k == 1 ? "ValueError" : "orders.errors.StockError";
    p.top0 = g.OwnFrame(p.layout);
    p.top1 = g.OwnFrame(p.layout);
    p.label = ExpectedLabel(p);
    planted.push_back(p);
  }
  uint64_t total = 0;
  for (int i = 0; i < 60; ++i) {
    const Planted& p = planted[g.Int(0, 2)];
    text += "worker " + g.Id() + " crashed\n" + g.Trace(p);
    ++truth[p.label];
    ++total;
  }
  uint64_t traces = 0;
  std::vector<Finding> fs = TracebackFileFindings(text, "crash.txt", At(0), &traces);
  EXPECT_EQ(traces, total);
  ASSERT_EQ(fs.size(), truth.size());
  for (const Finding& f : fs) {
    EXPECT_EQ(f.kind, "exception");
    EXPECT_EQ(f.time, At(0));
    bool matched = false;
    for (const auto& [label, n] : truth)
      if (f.title.starts_with(label + " in the traceback file crash.txt, " + WithThousands(n)))
        matched = true;
    EXPECT_TRUE(matched) << f.title;
    EXPECT_TRUE(f.evidence.front().source.starts_with("crash.txt:"));
  }
  for (size_t i = 1; i < fs.size(); ++i) EXPECT_GE(truth[fs[i - 1].subject], truth[fs[i].subject]);
}

}  // namespace
}  // namespace inquest

namespace inquest {
namespace {

TEST(ExceptionGroupsTest, RateGroupedByExceptionCountsEachSignature) {
  Bundle b = Generate(5);
  RateOptions opts;
  opts.group_by = std::string(kExceptionGroupBy);
  Result<RateResult> r = RatesOfEvents(b.events, opts);
  ASSERT_TRUE(r.ok()) << r.status().message();
  std::map<std::string, uint64_t> totals;
  for (const Series& s : r->series) {
    uint64_t n = 0;
    for (const Window& w : s.windows) n += w.total;
    totals[s.group] = n;
  }
  uint64_t traced = 0;
  for (const Planted& p : b.planted) {
    EXPECT_EQ(totals[p.label], p.times.size()) << p.label;
    traced += p.times.size();
  }
  EXPECT_EQ(totals["-"], b.events.size() - traced);
}

}  // namespace
}  // namespace inquest
