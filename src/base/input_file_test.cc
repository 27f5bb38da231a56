#include "base/input_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "tests/support/compressed_files.h"

namespace inquest {
namespace {

uint64_t FileSize(const std::string& path) {
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  return static_cast<uint64_t>(f.tellg());
}

TEST(InputFileTest, PlainFileIsMapped) {
  TempFile f("a\nb\n");
  Result<InputFile> in = InputFile::Open(f.path());
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  EXPECT_EQ(in->data(), "a\nb\n");
  EXPECT_EQ(in->compression(), Compression::kNone);
}

TEST(InputFileTest, GzipAndZstdAreDecompressed) {
  std::string text = ManyLines(50000);
  for (const std::string& packed : {Gzip(text), Zstd(text), Gzip(text) + Gzip(text)}) {
    TempFile f(packed);
    Result<InputFile> in = InputFile::Open(f.path());
    ASSERT_TRUE(in.ok()) << in.status().ToString();
    EXPECT_TRUE(in->warning().ok()) << in->warning().ToString();
    EXPECT_EQ(in->data().substr(0, text.size()), text);
    EXPECT_EQ(in->data().size() % text.size(), 0u);  // one or two concatenated members
  }
}

TEST(ByteStreamTest, SkipMovesAheadInPlainAndCompressedFiles) {
  std::string text = ManyLines(50000);
  for (const std::string& stored : {text, Gzip(text), Zstd(text)}) {
    TempFile f(stored);
    Result<std::unique_ptr<ByteStream>> in = ByteStream::Open(f.path());
    ASSERT_TRUE(in.ok()) << in.status().ToString();
    const uint64_t skip = text.size() / 3 + 7;
    ASSERT_TRUE((*in)->Skip(skip).ok());
    std::string rest(text.size(), '\0');
    size_t got = 0;
    while (true) {
      Result<size_t> n = (*in)->Read(rest.data() + got, rest.size() - got);
      ASSERT_TRUE(n.ok());
      if (*n == 0) break;
      got += *n;
    }
    EXPECT_EQ(rest.substr(0, got), text.substr(skip));
    // Past the end: nothing left, no error.
    ASSERT_TRUE((*in)->Skip(uint64_t{1} << 40).ok());
  }
}

TEST(InputFileTest, TruncatedGzipKeepsWhatWasReadAndSaysSo) {
  std::string text = ManyLines(50000);
  std::string packed = Gzip(text);
  TempFile f(packed.substr(0, packed.size() / 2));
  Result<InputFile> in = InputFile::Open(f.path());
  ASSERT_TRUE(in.ok());
  EXPECT_FALSE(in->warning().ok());
  EXPECT_NE(in->warning().ToString().find("truncated gzip"), std::string::npos);
  EXPECT_NE(in->warning().ToString().find(f.path()), std::string::npos);
  EXPECT_GT(in->data().size(), text.size() / 4);
  EXPECT_EQ(text.compare(0, in->data().size(), in->data()), 0);
}

TEST(InputFileTest, CorruptZstdIsAnError) {
  std::string packed = Zstd(ManyLines(1000));
  for (size_t i = 20; i < packed.size(); i += 7) packed[i] ^= 0x5a;
  TempFile f(packed);
  Result<InputFile> in = InputFile::Open(f.path());
  ASSERT_TRUE(in.ok());
  EXPECT_FALSE(in->warning().ok());
}

// Sets the process's expansion limits for one test and puts the defaults back.
class ScopedLimits {
 public:
  explicit ScopedLimits(ExpansionLimits l) { SetExpansionLimits(l); }
  ~ScopedLimits() { SetExpansionLimits(ExpansionLimits{}); }
};

TEST(InputFileTest, ExpansionPastTheSizeLimitIsAnErrorNamingTheFile) {
  std::string text = ManyLines(200000);  // about 6 MB
  TempFile gz(Gzip(text)), zst(Zstd(text));
  ScopedLimits limits({.max_bytes = 1 << 20, .max_ratio = 1000});
  for (const TempFile* f : {&gz, &zst}) {
    Result<InputFile> in = InputFile::Open(f->path());
    ASSERT_FALSE(in.ok()) << f->path();
    EXPECT_EQ(in.status().code(), StatusCode::kBadInput);
    EXPECT_EQ(in.status().ExitCode(), 3);
    EXPECT_NE(in.status().ToString().find(f->path()), std::string::npos) << in.status().ToString();
    EXPECT_NE(in.status().ToString().find("--max-expansion"), std::string::npos);
  }
}

TEST(InputFileTest, ABombIsStoppedByTheRatioOnceTheFloorIsPassed) {
  // 80 MiB of one repeated line: zstd packs it into a few KB, thousands of times smaller.
  std::string line = "2026-05-29T14:11:08Z INFO the same line again\n";
  std::string text;
  text.reserve(80 << 20);
  while (text.size() < (80u << 20)) text += line;
  TempFile zst(Zstd(text));
  ASSERT_LT(FileSize(zst.path()), text.size() / 1000);
  {
    Result<InputFile> in = InputFile::Open(zst.path());
    ASSERT_FALSE(in.ok());
    EXPECT_NE(in.status().ToString().find("--max-ratio"), std::string::npos)
        << in.status().ToString();
  }
  // Streaming readers stop the same way and say why.
  Result<std::unique_ptr<ByteStream>> stream = ByteStream::Open(zst.path());
  ASSERT_TRUE(stream.ok());
  ChunkReader chunks(std::move(*stream));
  std::string_view chunk;
  uint64_t delivered = 0;
  for (;;) {
    Result<bool> more = chunks.Next(&chunk);
    if (!more.ok() || !*more) break;
    delivered += chunk.size();
  }
  EXPECT_TRUE(chunks.over_limit());
  EXPECT_LE(delivered, kRatioFloorBytes + (8u << 20));
  // A user who knows the data raises the ratio and reads it whole.
  ScopedLimits raised({.max_bytes = uint64_t{64} << 30, .max_ratio = 1000000});
  Result<InputFile> whole = InputFile::Open(zst.path());
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  EXPECT_EQ(whole->data().size(), text.size());
}

TEST(InputFileTest, MissingFileAndDirectory) {
  Result<InputFile> missing = InputFile::Open("/nonexistent/inquest.log");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().ExitCode(), 3);
  EXPECT_NE(missing.status().ToString().find("/nonexistent/inquest.log"), std::string::npos);
  EXPECT_FALSE(InputFile::Open("/tmp").ok());
}

TEST(ChunkReaderTest, ChunksEndOnLineBoundariesAndCoverEverything) {
  std::string text = ManyLines(20000) + "last line without newline";
  TempFile f(Gzip(text));
  Result<std::unique_ptr<ByteStream>> s = ByteStream::Open(f.path());
  ASSERT_TRUE(s.ok());
  ChunkReader reader(std::move(*s), 4096);
  std::string joined;
  std::string_view chunk;
  int chunks = 0;
  for (;;) {
    Result<bool> more = reader.Next(&chunk);
    ASSERT_TRUE(more.ok());
    if (!*more) break;
    EXPECT_EQ(reader.offset(), joined.size());
    joined.append(chunk);
    if (joined.size() < text.size()) EXPECT_EQ(chunk.back(), '\n');
    ++chunks;
  }
  EXPECT_EQ(joined, text);
  EXPECT_GT(chunks, 10);
  EXPECT_TRUE(reader.error().ok());
}

TEST(ChunkReaderTest, LineLongerThanChunkIsDeliveredWhole) {
  std::string text = "short\n" + std::string(100000, 'x') + "\nend\n";
  ChunkReader reader(ByteStream::FromMemory(text, "mem"), 1024);
  std::string_view chunk;
  std::string joined;
  while (*reader.Next(&chunk)) joined.append(chunk);
  EXPECT_EQ(joined, text);
}

TEST(LineIteratorTest, StripsCrAndKeepsLastLine) {
  LineIterator it("a\r\nb\n\nc");
  std::string_view l;
  std::vector<std::string> got;
  while (it.Next(&l)) got.emplace_back(l);
  EXPECT_EQ(got, (std::vector<std::string>{"a", "b", "", "c"}));
}

}  // namespace
}  // namespace inquest
