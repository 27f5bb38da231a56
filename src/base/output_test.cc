#include "base/output.h"

#include <gtest/gtest.h>

#include "base/json_writer.h"

namespace inquest {
namespace {

TEST(OutputTest, TextIsRedactedLineByLine) {
  EXPECT_EQ(RedactText("ok line\nAuthorization: Bearer abc def\nnext line token=x\n").str(),
            "ok line\nAuthorization: [REDACTED]\nnext line token=[REDACTED]\n");
  // A private key block across lines goes as one piece.
  EXPECT_EQ(RedactText("a\n-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\nIDb3\n"
                       "-----END EC PRIVATE KEY-----\nb\n")
                .str(),
            "a\n[REDACTED]\nb\n");
  // A block cut before its END marker is hidden to the end of the text (a fuzzed core's
  // strings once made this read past the end).
  EXPECT_EQ(RedactText("a\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n").str(), "a\n[REDACTED]");
  EXPECT_EQ(RedactText("-----BEGIN RSA PRIVATE KEY-----").str(), "[REDACTED]");
}

TEST(OutputTest, HtmlTextAndAttributesAreRedacted) {
  std::string html =
      "<!DOCTYPE html>\n<html><head><style>.password{color:red}</style></head><body>"
      "<p title=\"login password=hunter2\">user=bob password=hunter2 &amp; more</p>"
      "<pre>{&quot;api_key&quot;: &quot;k-123&quot;}</pre>"
      "<a href=\"#ev-1\">jane@example.com</a><!-- password=hunter3 --></body></html>\n";
  EXPECT_EQ(RedactHtml(html).str(),
            "<!DOCTYPE html>\n<html><head><style>.password{color:red}</style></head><body>"
            "<p title=\"login password=[REDACTED]\">user=bob password=[REDACTED] &amp; more</p>"
            "<pre>{&quot;api_key&quot;: &quot;[REDACTED]&quot;}</pre>"
            "<a href=\"#ev-1\">[email]</a><!-- password=[REDACTED] --></body></html>\n");
  // Nothing to hide: the page comes out byte for byte.
  std::string clean = "<p class='x' data-a=\"1\">a &lt; b &#39;q&#39;</p>";
  EXPECT_EQ(RedactHtml(clean).str(), clean);
}

TEST(OutputTest, NoRedactPassesEverything) {
  SetRedactionEnabled(false);
  EXPECT_EQ(RedactText("password=hunter2").str(), "password=hunter2");
  EXPECT_EQ(RedactHtml("<p>password=hunter2</p>").str(), "<p>password=hunter2</p>");
  JsonWriter w(JsonStyle::kCompact);
  EXPECT_EQ(w.BeginObject().Field("password", "hunter2").EndObject().Take().str(),
            R"({"password":"hunter2"})");
  SetRedactionEnabled(true);
  EXPECT_EQ(RedactText("password=hunter2").str(), "password=[REDACTED]");
}

TEST(OutputTest, ConfigPatternsJoinTheRedactor) {
  Result<Config> cfg = ParseConfig("[redact]\npatterns = [\"ORD-[0-9]{5}\"]\n", "t.toml");
  ASSERT_TRUE(cfg.ok());
  ASSERT_TRUE(ApplyRedactConfig(*cfg).ok());
  ASSERT_TRUE(ApplyRedactConfig(*cfg).ok());  // the same pattern twice is kept once
  EXPECT_EQ(RedactText("order ORD-12345 shipped").str(), "order [REDACTED] shipped");

  Result<Config> bad = ParseConfig("[redact]\npatterns = [\"(\"]\n", "bad.toml");
  ASSERT_TRUE(bad.ok());
  Status s = ApplyRedactConfig(*bad);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("bad.toml"), std::string::npos) << s.ToString();
  Result<Config> typo = ParseConfig("[redact]\npattern = \"x\"\n", "typo.toml");
  ASSERT_TRUE(typo.ok());
  EXPECT_FALSE(ApplyRedactConfig(*typo).ok());
}

TEST(OutputTest, TallyCountsWhatTheBoundaryHid) {
  OutputTally().Clear();
  (void)RedactText("Authorization: Bearer abcdef0123456789abcdef\n");
  (void)RedactText("again Authorization: Bearer abcdef0123456789abcdef\n");
  EXPECT_EQ(OutputTally().Total(), 1u);
  EXPECT_EQ(OutputTally().Summary(), "1 secret (1 bearer)");
  OutputTally().Clear();
}

}  // namespace
}  // namespace inquest
