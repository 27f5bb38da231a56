#include "base/chunk_prefetch.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/support/compressed_files.h"

namespace inquest {
namespace {

struct Chunks {
  std::vector<std::pair<uint64_t, std::string>> chunks;  // offset, bytes
  Status error;
  bool over_limit = false;
  Status failed;
};

// Every chunk of `path` through a reader of type R (ChunkReader or ChunkPrefetcher).
template <typename R>
Chunks ReadAll(const std::string& path, size_t chunk_bytes) {
  Chunks out;
  Result<std::unique_ptr<ByteStream>> s = ByteStream::Open(path);
  EXPECT_TRUE(s.ok());
  R reader(std::move(*s), chunk_bytes);
  std::string_view chunk;
  for (;;) {
    Result<bool> more = reader.Next(&chunk);
    if (!more.ok()) {
      out.failed = more.status();
      break;
    }
    if (!*more) break;
    out.chunks.emplace_back(reader.offset(), std::string(chunk));
  }
  out.error = reader.error();
  out.over_limit = reader.over_limit();
  return out;
}

void ExpectSame(const Chunks& a, const Chunks& b) {
  ASSERT_EQ(a.chunks.size(), b.chunks.size());
  for (size_t i = 0; i < a.chunks.size(); ++i) {
    EXPECT_EQ(a.chunks[i].first, b.chunks[i].first) << i;
    EXPECT_EQ(a.chunks[i].second, b.chunks[i].second) << i;
  }
  EXPECT_EQ(a.error.ToString(), b.error.ToString());
  EXPECT_EQ(a.over_limit, b.over_limit);
  EXPECT_EQ(a.failed.ToString(), b.failed.ToString());
}

TEST(ChunkPrefetcherTest, GivesTheChunksAChunkReaderGives) {
  std::string text = ManyLines(30000) + std::string(20000, 'x') + "\nlast line without newline";
  for (const std::string& packed : {Gzip(text), Zstd(text), text}) {
    TempFile f(packed);
    Chunks direct = ReadAll<ChunkReader>(f.path(), 4096);
    Chunks ahead = ReadAll<ChunkPrefetcher>(f.path(), 4096);
    EXPECT_GT(ahead.chunks.size(), 100u);
    ExpectSame(direct, ahead);
    std::string joined;
    for (const auto& [offset, bytes] : ahead.chunks) joined += bytes;
    EXPECT_EQ(joined, text);
  }
}

TEST(ChunkPrefetcherTest, ATruncatedFileEndsWithTheSameError) {
  std::string packed = Gzip(ManyLines(50000));
  TempFile f(packed.substr(0, packed.size() / 2));
  Chunks direct = ReadAll<ChunkReader>(f.path(), 8192);
  Chunks ahead = ReadAll<ChunkPrefetcher>(f.path(), 8192);
  EXPECT_FALSE(ahead.error.ok());
  EXPECT_NE(ahead.error.ToString().find("truncated gzip"), std::string::npos);
  ExpectSame(direct, ahead);
}

TEST(ChunkPrefetcherTest, ExpansionLimitsAreSaidAsTheReaderSaysThem) {
  std::string text = ManyLines(200000);  // about 6 MB
  TempFile gz(Gzip(text));
  SetExpansionLimits({.max_bytes = 1 << 20, .max_ratio = 1000});
  Chunks direct = ReadAll<ChunkReader>(gz.path(), 64 << 10);
  Chunks ahead = ReadAll<ChunkPrefetcher>(gz.path(), 64 << 10);
  SetExpansionLimits(ExpansionLimits{});
  EXPECT_TRUE(ahead.over_limit);
  EXPECT_NE(ahead.error.ToString().find("--max-expansion"), std::string::npos);
  ExpectSame(direct, ahead);
}

TEST(ChunkPrefetcherTest, StoppingEarlyEndsTheThread) {
  TempFile f(Gzip(ManyLines(100000)));
  for (int taken = 0; taken < 4; ++taken) {
    Result<std::unique_ptr<ByteStream>> s = ByteStream::Open(f.path());
    ASSERT_TRUE(s.ok());
    ChunkPrefetcher reader(std::move(*s), 1024);
    std::string_view chunk;
    for (int i = 0; i < taken; ++i) ASSERT_TRUE(*reader.Next(&chunk));
    // Destroyed here with the next chunk read ahead (or being read): no hang, no leak.
  }
}

}  // namespace
}  // namespace inquest
