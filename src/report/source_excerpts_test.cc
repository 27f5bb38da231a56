#include "report/source_excerpts.h"

#include <gtest/gtest.h>

#include <map>

#include "base/redact.h"
#include "report/html_citations.h"

namespace inquest {
namespace {

// "line 1\nline 2\n...line n\n".
std::string NumberedLines(int n) {
  std::string s;
  for (int i = 1; i <= n; ++i) s += "line " + std::to_string(i) + "\n";
  return s;
}

// Files from memory; a name not among them is missing.
ExcerptOpener MemoryFiles(std::map<std::string, std::string> files) {
  auto held = std::make_shared<std::map<std::string, std::string>>(std::move(files));
  return [held](const std::string& name) -> Result<std::unique_ptr<ByteStream>> {
    auto it = held->find(name);
    if (it == held->end()) return Status::NotFound("no such file");
    return ByteStream::FromMemory(it->second, name);
  };
}

// A stream over memory that counts the bytes handed out.
class CountingStream : public ByteStream {
 public:
  explicit CountingStream(std::string_view data) : data_(data) {}
  Result<size_t> Read(char* buf, size_t n) override {
    n = std::min(n, data_.size() - pos_);
    std::copy_n(data_.data() + pos_, n, buf);
    pos_ += n;
    return n;
  }
  Compression compression() const override { return Compression::kNone; }
  const std::string& name() const override { return name_; }
  int64_t mtime_ns() const override { return 0; }
  size_t bytes_read() const { return pos_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
  std::string name_ = "counting";
};

std::vector<uint64_t> NumbersOf(const std::vector<ExcerptLine>& lines) {
  std::vector<uint64_t> out;
  for (const ExcerptLine& l : lines) out.push_back(l.number);
  return out;
}

TEST(ParseCitationTest, FileAndLineOnly) {
  std::optional<Citation> c = ParseCitation("pods/pricing-5b7c9-h8lqz.log:2375");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->file, "pods/pricing-5b7c9-h8lqz.log");
  EXPECT_EQ(c->line, 2375u);
  EXPECT_EQ(ParseCitation("c:/x.log:7")->file, "c:/x.log");
  for (const char* bad : {"core: byte 4096", "x.log", "x.log:", ":12", "x.log:0", "x.log:-3",
                          "x.log:12a", "findings.json `onset`", ""})
    EXPECT_FALSE(ParseCitation(bad).has_value()) << bad;
}

TEST(ReadLineRangesTest, ContextIsCutAtTheStartAndTheEndOfTheFile) {
  std::string text = NumberedLines(10);
  std::unique_ptr<ByteStream> in = ByteStream::FromMemory(text, "t");
  LineRanges r = ReadLineRanges(in.get(), {1, 10}, 2);
  EXPECT_EQ(NumbersOf(r.lines), (std::vector<uint64_t>{1, 2, 3, 8, 9, 10}));
  EXPECT_EQ(r.lines[0].text, "line 1");
  EXPECT_EQ(r.lines[5].text, "line 10");
  EXPECT_TRUE(r.error.ok());
}

TEST(ReadLineRangesTest, OverlappingRangesMergeAndTheLastLineNeedsNoNewline) {
  std::string text = "a\r\nb\nc\nd\ne";  // CRLF and no final newline
  std::unique_ptr<ByteStream> in = ByteStream::FromMemory(text, "t");
  LineRanges r = ReadLineRanges(in.get(), {4, 2, 2}, 1);
  EXPECT_EQ(NumbersOf(r.lines), (std::vector<uint64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(r.lines[0].text, "a");
  EXPECT_EQ(r.lines[4].text, "e");
  EXPECT_TRUE(r.at_end);
  EXPECT_EQ(r.lines_read, 5u);
}

TEST(ReadLineRangesTest, StopsAfterTheLastLineNeeded) {
  std::string text = NumberedLines(200000);  // about 2.3 MB
  CountingStream in(text);
  LineRanges r = ReadLineRanges(&in, {3}, 2);
  EXPECT_EQ(NumbersOf(r.lines), (std::vector<uint64_t>{1, 2, 3, 4, 5}));
  EXPECT_FALSE(r.at_end);
  EXPECT_LT(in.bytes_read(), 100u * 1024);  // one read buffer, not the file
}

TEST(ReadLineRangesTest, RedactsAndCutsLongLines) {
  std::string text = "user=bob password=hunter2 mail=bob@example.com\n" +
                     std::string(3 * kMaxExcerptLineBytes, 'x') + "\nok\n";
  std::unique_ptr<ByteStream> in = ByteStream::FromMemory(text, "t");
  LineRanges r = ReadLineRanges(in.get(), {2}, 1);
  ASSERT_EQ(r.lines.size(), 3u);
  EXPECT_EQ(r.lines[0].text.find("hunter2"), std::string::npos);
  EXPECT_NE(r.lines[0].text.find(kRedacted), std::string::npos);
  EXPECT_EQ(r.lines[0].text.find("bob@example.com"), std::string::npos);
  EXPECT_EQ(r.lines[1].text, std::string(kMaxExcerptLineBytes, 'x') + "\xE2\x80\xA6");
  EXPECT_EQ(r.lines[2].text, "ok");
}

TEST(ReadLineRangesTest, HidesEveryLineOfAPrivateKeyBlock) {
  std::string text =
      "loading key\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx\nq83hd72hs\n"
      "-----END RSA PRIVATE KEY-----\nkey loaded\n";
  std::unique_ptr<ByteStream> in = ByteStream::FromMemory(text, "t");
  LineRanges r = ReadLineRanges(in.get(), {4}, 2);
  ASSERT_EQ(NumbersOf(r.lines), (std::vector<uint64_t>{2, 3, 4, 5, 6}));
  for (const ExcerptLine& l : r.lines) {
    EXPECT_EQ(l.text.find("MIIE"), std::string::npos) << l.number;
    EXPECT_EQ(l.text.find("q83hd"), std::string::npos) << l.number;
  }
  EXPECT_EQ(r.lines[4].text, "key loaded");
}

TEST(ExcerptSetTest, ResolvesAndSaysWhyNot) {
  ExcerptSet set(MemoryFiles({{"pods/a.log", NumberedLines(5)}}));
  set.Cite("pods/a.log:4");
  set.Cite("pods/a.log:4");  // once
  set.Cite("pods/a.log:9");
  set.Cite("pods/gone.log:1");
  set.Cite("core: byte 4096");
  set.Read();
  ASSERT_EQ(set.excerpts().size(), 4u);
  const SourceExcerpt* ok = set.Find("pods/a.log:4");
  ASSERT_TRUE(ok != nullptr && ok->ok());
  EXPECT_EQ(NumbersOf(ok->lines), (std::vector<uint64_t>{2, 3, 4, 5}));
  ASSERT_NE(ok->cited(), nullptr);
  EXPECT_EQ(ok->cited()->text, "line 4");
  EXPECT_EQ(set.Find("pods/a.log:9")->unresolved, "line 9 is past the end: the file has 5 lines");
  EXPECT_NE(set.Find("pods/gone.log:1")->unresolved.find("no such file"), std::string::npos);
  EXPECT_EQ(set.Find("core: byte 4096")->unresolved, "not a file:line reference");
  EXPECT_EQ(set.Find("pods/b.log:1"), nullptr);
  EXPECT_EQ(set.resolved(), 1u);
}

TEST(ExcerptSetTest, KnownLineStartsGiveTheSameExcerpts) {
  // Lines of different lengths; a start known every 100 lines, as the first pass's index has.
  std::string text;
  std::vector<std::pair<uint64_t, uint64_t>> starts;  // (line, offset)
  for (uint64_t i = 1; i <= 2000; ++i) {
    if (i % 100 == 1) starts.emplace_back(i, text.size());
    text += "record " + std::to_string(i) + std::string(i % 37, '.') + "\n";
  }
  const std::vector<std::string> cited = {"a.log:1502", "a.log:1500", "a.log:1900", "a.log:2100"};
  auto read = [&](bool with_starts, size_t* starts_asked) {
    auto set = std::make_unique<ExcerptSet>(MemoryFiles({{"a.log", text}}));
    if (with_starts) {
      set->SetLineStarts([&](const std::string& file, uint64_t line) {
        ++*starts_asked;
        EXPECT_EQ(file, "a.log");
        LineStart best;
        for (const auto& [l, off] : starts)
          if (l <= line) best = {off, l};
        return best;
      });
    }
    for (const std::string& c : cited) set->Cite(c);
    set->Read();
    return set;
  };
  size_t asked = 0;
  auto plain = read(false, &asked);
  auto seeking = read(true, &asked);
  EXPECT_EQ(asked, 1u);
  for (const std::string& c : cited) {
    const SourceExcerpt* a = plain->Find(c);
    const SourceExcerpt* b = seeking->Find(c);
    EXPECT_EQ(a->unresolved, b->unresolved) << c;
    ASSERT_EQ(a->lines.size(), b->lines.size()) << c;
    for (size_t i = 0; i < a->lines.size(); ++i) {
      EXPECT_EQ(a->lines[i].number, b->lines[i].number) << c;
      EXPECT_EQ(a->lines[i].text, b->lines[i].text) << c;
    }
  }
  EXPECT_EQ(seeking->Find("a.log:1500")->cited()->text,
            "record 1500" + std::string(1500 % 37, '.'));
  EXPECT_EQ(seeking->Find("a.log:2100")->unresolved,
            "line 2100 is past the end: the file has 2000 lines");
}

TEST(ExcerptSetTest, AStartPastTheFirstLineNeededIsIgnored) {
  ExcerptSet set(MemoryFiles({{"a.log", NumberedLines(50)}}));
  set.SetLineStarts([](const std::string&, uint64_t) { return LineStart{200, 40}; });
  set.Cite("a.log:10");
  set.Read();
  ASSERT_TRUE(set.Find("a.log:10")->ok());
  EXPECT_EQ(set.Find("a.log:10")->cited()->text, "line 10");
}

TEST(ExcerptSetTest, HeldLinesAreReadFromMemoryAndTheRestFromTheFile) {
  // A file of 2000 lines; the analysis holds lines 1001-1200 and 1501-1600 in memory.
  std::string text = NumberedLines(2000);
  auto offset_of = [&](uint64_t line) {
    size_t at = 0;
    for (uint64_t l = 1; l < line; ++l) at = text.find('\n', at) + 1;
    return at;
  };
  std::vector<HeldLines> held = {
      {1001, std::string_view(text).substr(offset_of(1001), offset_of(1201) - offset_of(1001))},
      {1501, std::string_view(text).substr(offset_of(1501), offset_of(1601) - offset_of(1501))}};
  const std::vector<std::string> cited = {"a.log:1100", "a.log:1550", "a.log:1002", "a.log:1199",
                                          "a.log:1600", "a.log:10",   "a.log:2100"};
  auto read = [&](bool with_held, size_t* opened) {
    auto files = MemoryFiles({{"a.log", text}});
    auto set = std::make_unique<ExcerptSet>([&, files](const std::string& name) {
      ++*opened;
      return files(name);
    });
    if (with_held)
      set->SetHeldLines([&](const std::string& file) { return file == "a.log" ? &held : nullptr; });
    for (const std::string& c : cited) set->Cite(c);
    set->Read();
    return set;
  };
  size_t opened_plain = 0, opened_held = 0;
  auto plain = read(false, &opened_plain);
  auto from_held = read(true, &opened_held);
  for (const std::string& c : cited) {
    const SourceExcerpt* a = plain->Find(c);
    const SourceExcerpt* b = from_held->Find(c);
    EXPECT_EQ(a->unresolved, b->unresolved) << c;
    EXPECT_EQ(NumbersOf(a->lines), NumbersOf(b->lines)) << c;
    for (size_t i = 0; i < std::min(a->lines.size(), b->lines.size()); ++i)
      EXPECT_EQ(a->lines[i].text, b->lines[i].text) << c;
  }
  EXPECT_EQ(from_held->Find("a.log:1550")->cited()->text, "line 1550");
  // 1002's context reaches 1000 and 1199's 1201, 1600's 1602: outside the held runs, so those
  // and 10 and 2100 come from the file (opened once); with all of them held, never.
  EXPECT_EQ(opened_held, 1u);
  size_t opened_none = 0;
  std::vector<HeldLines> all = {{1, text}};
  auto set =
      std::make_unique<ExcerptSet>([&](const std::string&) -> Result<std::unique_ptr<ByteStream>> {
        ++opened_none;
        return Status::NotFound("not to be opened");
      });
  set->SetHeldLines([&](const std::string&) { return &all; });
  set->Cite("a.log:1");
  set->Cite("a.log:1500");
  set->Read();
  EXPECT_EQ(opened_none, 0u);
  ASSERT_TRUE(set->Find("a.log:1")->ok());
  EXPECT_EQ(NumbersOf(set->Find("a.log:1")->lines), (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_EQ(set->Find("a.log:1500")->cited()->text, "line 1500");
}

TEST(ExcerptSetTest, CapKeepsTheFirstCitations) {
  ExcerptSet set(MemoryFiles({{"a.log", NumberedLines(9)}}), /*max_excerpts=*/2);
  for (int line : {7, 1, 3, 5}) set.Cite("a.log:" + std::to_string(line));
  set.Read();
  EXPECT_TRUE(set.Find("a.log:7")->ok());
  EXPECT_TRUE(set.Find("a.log:1")->ok());
  EXPECT_TRUE(set.Find("a.log:3")->over_cap);
  EXPECT_FALSE(set.Find("a.log:5")->ok());
  EXPECT_EQ(set.over_cap(), 2u);
}

TEST(HtmlCitationsTest, LinksResolvedCitationsOnly) {
  HtmlCitations c(MemoryFiles({{"a.log", "x <b>\ny\n"}}), kMaxExcerpts, 1);
  EXPECT_EQ(c.Link("a.log:1"), "a.log:1");  // recording
  c.Link("a.log:3");
  c.Read();
  EXPECT_EQ(c.Link("a.log:1"), "<a class=\"cite\" href=\"#ex-0\"><code>a.log:1</code></a>");
  EXPECT_EQ(c.Link("a.log:3"),
            "<code class=\"cite-none\" title=\"line 3 is past the end: the file has 2 lines\">"
            "a.log:3</code>");
  EXPECT_EQ(c.Link(""), "");
  std::string section = c.ExcerptsSection();
  EXPECT_NE(section.find("id=\"ex-0\""), std::string::npos);
  EXPECT_NE(section.find("<div class=\"l hl\"><span class=\"ln\">1</span><span class=\"lt\">"
                         "x &lt;b&gt;</span></div>"),
            std::string::npos);
  EXPECT_NE(section.find("a.log:3</code>: line 3 is past the end"), std::string::npos);
}

}  // namespace
}  // namespace inquest
