#include "base/redact_prefilter.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
namespace inquest {
namespace {

const RedactPrefilter& P() { return RedactPrefilter::Get(); }

TEST(RedactPrefilterTest, OrdinaryLogLinesPass) {
  const char* lines[] = {
      "2026-05-29T14:11:08.114Z  checkout  info   request.done  status=200 duration_ms=46 "
      "endpoint=/cart/checkout host=checkout-7c9f6d-p9d3x request_id=096346  [pods/c.log:2]",
      "ts=2026-05-29T13:30:02.649Z level=info service=pricing msg=\"price lookup\" "
      "key=catalog:v98 cache=hit took_ms=33 request_id=096346",
      "trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7 took 12ms",
  };
  for (const char* l : lines) {
    EXPECT_FALSE(P().MayHold(l)) << l;
    EXPECT_FALSE(P().MayHoldScalar(l)) << l;
  }
}

// Every rule's trigger, at every alignment against the 32-byte blocks, in long and short texts.
TEST(RedactPrefilterTest, FindsEveryTriggerAtEveryOffset) {
  const char* triggers[] = {"password=x",    "Passwd: x",     "pwd=x",
                            "SECRET=x",      "Token=x",       "x-api-key: x",
                            "API key: x",    "access key: x", "sessionid=x",
                            "sid=abcd",      "sig=x",         "X-Amz-Signature=x",
                            "Authorization", "Cookie: x",     "bearer x",
                            "Basic x",       "-----BEGIN",    "hooks.slack",
                            "ghp_x",         "github_pat_x",  "glpat-x",
                            "xoxb-x",        "sk-proj",       "sk_live_x",
                            "ya29.x",        "AIzaX",         "AKIAX",
                            "ASIAX",         "eyJhbGci",      "AWS secret",
                            "jo@ex.io",      "-phunter2",     "4111 1111 1111 1111",
                            "credential=x",  "private_key"};
  std::string filler(80, 'x');
  for (const char* t : triggers) {
    for (size_t off = 0; off < 40; ++off) {
      std::string text = filler.substr(0, off) + " " + t + " " + filler;
      EXPECT_TRUE(P().MayHold(text)) << t << " at " << off;
      EXPECT_TRUE(P().MayHoldScalar(text)) << t << " at " << off;
    }
    EXPECT_TRUE(P().MayHold(std::string(" ") + t)) << t;
  }
}

// The AVX2 scan and the scalar one agree.
TEST(RedactPrefilterTest, AgreesWithScalar) {
  const char* pieces[] = {"pass", "word", "=",    ":",     " ",    "tok",  "en",    "ghp_",
                          "AKIA", "eyJ",  "@",    "ex.io", "-p",   "1234", "5678",  "-",
                          "aws",  "sig",  "=",    "Bear",  "er ",  "abc0", "xox",   "b-",
                          "\n",   "api",  " key", "sk-",   "sess", "ion",  "hooks", ".slack.com/"};
  std::mt19937 rng(7);
  for (int round = 0; round < 50000; ++round) {
    std::string text;
    int n = std::uniform_int_distribution<int>(0, 30)(rng);
    for (int i = 0; i < n; ++i)
      text += pieces[std::uniform_int_distribution<size_t>(0, std::size(pieces) - 1)(rng)];
    ASSERT_EQ(P().MayHold(text), P().MayHoldScalar(text)) << text;
  }
}

}  // namespace
}  // namespace inquest
