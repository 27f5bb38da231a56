#include "base/redact.h"

#include <gtest/gtest.h>

#include <random>

namespace inquest {
namespace {

TEST(RedactTest, SensitiveKeyValues) {
  EXPECT_EQ(Redact("login user=bob password=hunter2 ok"), "login user=bob password=[REDACTED] ok");
  EXPECT_EQ(Redact(R"({"db.password":"s3cr\"et","port":5432})"),
            R"({"db.password":"[REDACTED]","port":5432})");
  EXPECT_EQ(Redact("GET /x?api_key=abc123&page=2"), "GET /x?api_key=[REDACTED]&page=2");
  EXPECT_EQ(Redact("Authorization: Bearer eyJabc.def.ghi"), "Authorization: [REDACTED]");
  EXPECT_EQ(Redact("auth=Bearer abcdef tail"), "auth=[REDACTED] tail");
  EXPECT_EQ(Redact("Cookie: sid=1; theme=dark"), "Cookie: [REDACTED]");
  EXPECT_EQ(Redact("session_id='x9y8' next"), "session_id='[REDACTED]' next");
}

TEST(RedactTest, LeavesEvidenceAlone) {
  // Cache keys, request ids, trace ids, times and durations are the evidence.
  const char* kept[] = {
      "cache.miss key=catalog:v98 request_id=7af3c2",
      "trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span=00f067aa0ba902b7",
      "2026-05-29T14:11:08.114Z pricing.fetch.timeout after=4019ms",
      "ts=1780063868114 epoch ms and 1780063868114000000 ns",
      "author=alice tokens_left",  // "author" is not "auth"
  };
  for (const char* s : kept) EXPECT_EQ(Redact(s), s) << s;
}

TEST(RedactTest, Emails) {
  EXPECT_EQ(Redact("mail to jane.doe+x@example.co.uk failed."), "mail to [email] failed.");
  EXPECT_EQ(Redact("user@localhost is not an address"), "user@localhost is not an address");
  EXPECT_EQ(Redact("a@b.c @ x@y.io"), "a@b.c @ [email]");
}

TEST(RedactTest, CardNumbers) {
  EXPECT_TRUE(LuhnValid("4111111111111111"));
  EXPECT_FALSE(LuhnValid("4111111111111112"));
  EXPECT_EQ(Redact("card 4111 1111 1111 1111 declined"), "card [card] declined");
  EXPECT_EQ(Redact("card=5500-0000-0000-0004"), "card=[card]");
  // Not Luhn-valid, or an epoch, or inside a longer token: kept.
  EXPECT_EQ(Redact("order 4111111111111112"), "order 4111111111111112");
  EXPECT_EQ(Redact("id=a4111111111111111"), "id=a4111111111111111");
  // Luhn-valid but outside every issuer range: a Go module pseudo-version's time (2023... is
  // below Mastercard's 2221), so a file path in a profile keeps it.
  EXPECT_TRUE(LuhnValid("20230803182517"));
  EXPECT_EQ(Redact("frostdb@v0.0.0-20230803182517-de942d0ce46e/row.go"),
            "frostdb@v0.0.0-20230803182517-de942d0ce46e/row.go");
  // A Mastercard 2-series number is in range.
  EXPECT_EQ(Redact("card 2221000000000009 ok"), "card [card] ok");
}

TEST(RedactTest, SourceFileLinesAreNotKeyValues) {
  // "token" in a file name does not make its line number a secret.
  EXPECT_EQ(Redact("(*fileTokenSource).Token transport/token_source.go:105"),
            "(*fileTokenSource).Token transport/token_source.go:105");
  EXPECT_EQ(Redact("secret.py:12 in rotate"), "secret.py:12 in rotate");
  EXPECT_EQ(Redact("token: abcdef0123456789"), "token: [REDACTED]");
}

TEST(RedactTest, TokenShapesAndUrls) {
  EXPECT_EQ(Redact("key AKIAIOSFODNN7EXAMPLE used"), "key [REDACTED] used");
  EXPECT_EQ(Redact("push with ghp_abcdefghijklmnopqrstuvwxyz0123 now"), "push with [REDACTED] now");
  EXPECT_EQ(Redact("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl."), "jwt [REDACTED].");
  EXPECT_EQ(Redact("dsn postgres://app:pa55w0rd@db:5432/x"),
            "dsn postgres://app:[REDACTED]@db:5432/x");
  EXPECT_EQ(Redact("see https://example.com:8443/path"), "see https://example.com:8443/path");
  EXPECT_EQ(Redact("-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY----- x"),
            "[REDACTED] x");
}

// Random texts made of the pieces the rules look for, with a fixed seed: no rule may crash or
// read past the text, and redacting twice changes nothing more.
TEST(RedactTest, RandomPiecesAreSafeAndStable) {
  const char* pieces[] = {"password",
                          "=",
                          ":",
                          " ",
                          "\"",
                          "'",
                          "\\",
                          "-p",
                          "--token",
                          "Bearer ",
                          "Basic ",
                          "://",
                          "@",
                          "4111",
                          "1111 ",
                          "-",
                          "AKIA",
                          "eyJ",
                          ".",
                          "\n",
                          "aws",
                          "-----BEGIN PRIVATE KEY-----",
                          "-----END ",
                          "sig=",
                          "ghp_",
                          "xoxb-",
                          "sk-",
                          "[REDACTED]",
                          "api key",
                          "Cookie",
                          "a1B2c3D4e5F6g7H8i9J0",
                          "hooks.slack.com/"};
  std::mt19937 rng(20260529);
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    int n = std::uniform_int_distribution<int>(0, 12)(rng);
    for (int i = 0; i < n; ++i)
      text += pieces[std::uniform_int_distribution<size_t>(0, std::size(pieces) - 1)(rng)];
    std::string once = Redact(text);
    ASSERT_EQ(Redact(once), once) << "text: " << text;
  }
}

TEST(RedactTest, SensitiveKeyNames) {
  EXPECT_TRUE(IsSensitiveKey("X-Api-Key"));
  EXPECT_TRUE(IsSensitiveKey("db.pass"));
  EXPECT_TRUE(IsSensitiveKey("refresh_token"));
  EXPECT_FALSE(IsSensitiveKey("key"));
  EXPECT_FALSE(IsSensitiveKey("request_id"));
  EXPECT_FALSE(IsSensitiveKey("side"));
}

TEST(RedactTest, HostileInputIsSafe) {
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk += static_cast<char>((i * 131) & 0xff);
  std::string out = Redact(junk);  // no crash, no hang
  EXPECT_LE(out.size(), junk.size() * 4);
  EXPECT_EQ(Redact("password="), "password=");
  EXPECT_EQ(Redact("\"password\":\""), "\"password\":\"");
}

TEST(RedactTest, PasswordForms) {
  EXPECT_EQ(Redact("passwd: hunter2"), "passwd: [REDACTED]");
  EXPECT_EQ(Redact("password = hunter2 next"), "password = [REDACTED] next");
  EXPECT_EQ(Redact("mysql --password hunter2 -h db"), "mysql --password [REDACTED] -h db");
  EXPECT_EQ(Redact("mysql --password=hunter2"), "mysql --password=[REDACTED]");
  EXPECT_EQ(Redact("mysql -uroot -phunter2 shop"), "mysql -uroot -p[REDACTED] shop");
  EXPECT_EQ(Redact("run --api-key abc123 --token 'x y'"),
            "run --api-key [REDACTED] --token '[REDACTED]'");
  // Flags that only look like -pPASSWORD, and ports.
  for (const char* kept : {"gcc -pthread -pipe -O2", "docker run -p8080:80 x", "ssh -p2222 host",
                           "cc -pedantic", "mysql -p", "ls -la --color"})
    EXPECT_EQ(Redact(kept), kept) << kept;
}

TEST(RedactTest, ApiKeysByName) {
  EXPECT_EQ(Redact("api key: abcd1234efgh"), "api key: [REDACTED]");
  EXPECT_EQ(Redact("API Key = abcd1234efgh"), "API Key = [REDACTED]");
  EXPECT_EQ(Redact("secret key: wxyz"), "secret key: [REDACTED]");
  EXPECT_EQ(Redact("the key: abc"), "the key: abc");
  EXPECT_EQ(
      Redact(
          "X-Amz-Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024&x=1"),
      "X-Amz-Signature=[REDACTED]&x=1");
  EXPECT_EQ(
      Redact("https://acct.blob.core.windows.net/c/"
             "b?sv=2021-08-06&se=2024&sig=3KAjw%2B9fY7rP0sZ1WqvN8uT5xEoLkB2mHcD4gR6yVa0%3D&sp=r"),
      "https://acct.blob.core.windows.net/c/b?sv=2021-08-06&se=2024&sig=[REDACTED]&sp=r");
  EXPECT_EQ(Redact("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=bXlrZXk=;x"),
            "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=[REDACTED];x");
}

TEST(RedactTest, HeadersAndSchemes) {
  EXPECT_EQ(Redact("Proxy-Authorization: Basic dXNlcjpwYXNz"), "Proxy-Authorization: [REDACTED]");
  EXPECT_EQ(Redact("Set-Cookie: session=abc; Path=/; HttpOnly"), "Set-Cookie: [REDACTED]");
  EXPECT_EQ(Redact("sent bearer 9f8e7d6c5b4a39281706abcd to upstream"),
            "sent bearer [REDACTED] to upstream");
  EXPECT_EQ(Redact("header Basic YWxpY2U6czNjcjN0 rejected"), "header Basic [REDACTED] rejected");
  // Words after the scheme names are not credentials.
  for (const char* kept : {"Bearer token expired", "Basic auth failed for bob",
                           "basic authentication is disabled", "Bearer authentication required"})
    EXPECT_EQ(Redact(kept), kept) << kept;
}

TEST(RedactTest, ProviderKeyShapes) {
  struct Case {
    const char* secret;
    SecretKind kind;
  } cases[] = {
      {"AKIAIOSFODNN7EXAMPLE", SecretKind::kAwsKey},
      {"ASIAY34FZKBOKMUTVV7A", SecretKind::kAwsKey},
      {"AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe", SecretKind::kGcpKey},
      {"ya29.a0AfH6SMBx3kLpQ9vZtR7yUw2nE5cD8fG1hJ4", SecretKind::kGcpKey},
      {"ghp_16C7e42F292c6912E7710c838347Ae178B4a", SecretKind::kGithubToken},
      {"gho_16C7e42F292c6912E7710c838347Ae178B4a", SecretKind::kGithubToken},
      {"github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUV",
       SecretKind::kGithubToken},
      {"glpat-xT9vR2mK8qL4wN6pZ1cY", SecretKind::kGitlabToken},
      {"xoxb-2648376192-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", SecretKind::kSlackToken},
      {"xoxp-2648376192-1234567890123-1234567890123-abcdef0123456789", SecretKind::kSlackToken},
      {"sk-proj-4fR8tY2uI9oP3aS7dF1gH6jK0lZ5xC", SecretKind::kApiKey},
      {"sk-ant-api03-Xy9Zw8Vu7Ts6Rq5Po4Nm3Lk2Ji1", SecretKind::kApiKey},
      {"sk_live_4eC39HqLyjWDarjtT1zdp7dc", SecretKind::kApiKey},
      {"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_"
       "XgL0n3I9PlFUP0THsR8U",
       SecretKind::kJwt},
  };
  Redactor r;
  for (const Case& c : cases) {
    RedactionTally tally;
    std::string out;
    std::string text = std::string("got ") + c.secret + " here";
    ASSERT_TRUE(r.Redact(text, &out, &tally)) << c.secret;
    EXPECT_EQ(out, "got [REDACTED] here") << c.secret;
    EXPECT_EQ(tally.Count(c.kind), 1u) << c.secret;
  }
}

TEST(RedactTest, AwsSecretOnlyWhereAwsIsNamed) {
  const std::string secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  EXPECT_EQ(Redact("AWS creds " + secret + " end"), "AWS creds [REDACTED] end");
  EXPECT_EQ(Redact("AKIAIOSFODNN7EXAMPLE:" + secret), "[REDACTED]:[REDACTED]");
  EXPECT_EQ(Redact("aws_secret_access_key=" + secret), "aws_secret_access_key=[REDACTED]");
  // The same shape with nothing saying AWS is left (it may be an id).
  EXPECT_EQ(Redact("blob " + secret), "blob " + secret);
}

TEST(RedactTest, SlackWebhooksAndUrls) {
  EXPECT_EQ(
      Redact("post to "
             "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX ok"),
      "post to https://hooks.slack.com/services/[REDACTED] ok");
  EXPECT_EQ(Redact("redis://:s3cret@cache:6379/0"), "redis://:[REDACTED]@cache:6379/0");
  EXPECT_EQ(Redact("amqp://guest@rabbit:5672"), "amqp://guest@rabbit:5672");
  // A webhook's path ends with its URL; hooks repeated in one text redact once, for good (a
  // fuzzed text of chained hooks once needed more rounds than the redactor gives).
  for (const char* chained : {"hooks.slack.com/hooks.slack.com/x/y", "hooks.slack.com/\x16 a/b",
                              "hooks.slack.com/ab\x16hooks.slack.com/c/d) e/f"}) {
    std::string once = Redact(chained);
    EXPECT_EQ(Redact(once), once) << chained;
  }
  EXPECT_EQ(Redact("see hooks.slack.com/services (docs) and a/b"),
            "see hooks.slack.com/services (docs) and a/b");
}

TEST(RedactTest, PrivateKeyBlockCutShort) {
  EXPECT_EQ(Redact("-----BEGIN RSA PRIVATE KEY-----"), "[REDACTED]");
  EXPECT_EQ(Redact("x -----BEGIN PRIVATE KEY-----\nMIIE"), "x [REDACTED]");
}

TEST(RedactTest, PrivateKeyInEscapedJson) {
  EXPECT_EQ(Redact(R"({"k":"-----BEGIN PRIVATE KEY-----
MIIEvQ
-----END PRIVATE KEY-----
"})"),
            R"({"k":"[REDACTED]
"})");
}

// Shape rules never fire on ids: trace and span ids, commit hashes, build-ids, UUIDs, hashes.
TEST(RedactTest, IdsAreNeverSecrets) {
  const char* kept[] = {
      "trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7",
      "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "commit 9fceb02d0ae598e95dc970b74767f19372d61af8 (HEAD -> main)",
      "deployed 9fceb02 and 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b",
      "Build ID: 1d9b6a1c8f3e2b7a4c5d6e9f0a1b2c3d4e5f6a7b",
      "request 123e4567-e89b-12d3-a456-426614174000 failed",
      "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
      "etag \"33a64df551425fcc55e4d42a148795d9f25f89d4\"",
      "AWS region us-east-1 bucket logs-9fceb02d0ae598e95dc970b74767f19372d61af8",
      "aws 9FCEB02D0AE598E95DC970B74767F19372D61AF8",
      "span 7f3a9c2e1b4d6f80 parent 1b4d6f807f3a9c2e took 12ms",
      "ts=1780063868114 epoch 1780063868",
      "ghp_short gho_ xoxb- sk-learn AKIA",
      "user logged in from 10.0.0.12:44312 at 14:11:08",
  };
  for (const char* s : kept) EXPECT_EQ(Redact(s), s) << s;
}

TEST(RedactTest, KeyNamesThatAreNotSecrets) {
  for (const char* kept : {"tokens: 512", "token_count=3", "password_file=/etc/app/pw",
                           "cookie_name=sid", "session_count: 4", "max-tokens 200", "PWD=/home/app",
                           "raise(sig=6)", "sid=3", "Xorg -auth /run/gdm/auth", "sig=abc"})
    EXPECT_EQ(Redact(kept), kept) << kept;
}

TEST(RedactTest, ProseAfterAKeyIsNotASecret) {
  for (const char* kept :
       {"user=u:secret: cannot connect to the store", "token: expired",
        "password: incorrect for user bob", "api key: missing", "client secret: not set"})
    EXPECT_EQ(Redact(kept), kept) << kept;
  // Assignments and quoted values are taken as written; other words after ": " are secrets.
  EXPECT_EQ(Redact("password=invalid"), "password=[REDACTED]");
  EXPECT_EQ(Redact("\"token\": \"expired\""), "\"token\": \"[REDACTED]\"");
  EXPECT_EQ(Redact("password: hunter2"), "password: [REDACTED]");
  EXPECT_EQ(Redact("Authorization: none"), "Authorization: [REDACTED]");
}

TEST(RedactTest, Idempotent) {
  const char* texts[] = {"password=hunter2",    "Authorization: Bearer abc",
                         "jane@example.com",    "card 4111 1111 1111 1111",
                         "--password hunter2",  "-phunter2",
                         "postgres://u:p@db/x", "token=\"abc\""};
  for (const char* t : texts) {
    std::string once = Redact(t);
    EXPECT_EQ(Redact(once), once) << t;
  }
}

TEST(RedactTest, ArgvAcrossElements) {
  Redactor r;
  RedactionTally tally;
  std::vector<std::string> argv = {"mysql", "--password", "hunter2",       "-u",
                                   "root",  "-phunter3",  "--token=abc",   "--api-key",
                                   "k-123", "--verbose",  "--secret-file", "/etc/s"};
  r.RedactArgv(&argv, &tally);
  EXPECT_EQ(argv, (std::vector<std::string>{"mysql", "--password", "[REDACTED]", "-u", "root",
                                            "-p[REDACTED]", "--token=[REDACTED]", "--api-key",
                                            "[REDACTED]", "--verbose", "--secret-file", "/etc/s"}));
  EXPECT_EQ(tally.Count(SecretKind::kPassword), 2u);
}

TEST(RedactTest, ValuesByKey) {
  Redactor r;
  std::string out;
  EXPECT_TRUE(r.RedactValue("db.password", "hunter2", &out, nullptr));
  EXPECT_EQ(out, "[REDACTED]");
  EXPECT_TRUE(r.RedactValue("http.request.header.authorization", "Bearer x", &out, nullptr));
  EXPECT_FALSE(r.RedactValue("service", "checkout", &out, nullptr));
  EXPECT_TRUE(r.RedactValue("message", "login password=x", &out, nullptr));
  EXPECT_EQ(out, "login password=[REDACTED]");
  EXPECT_FALSE(r.RedactValue("password", "", &out, nullptr));
  EXPECT_FALSE(r.RedactValue("PWD", "/srv/app", &out, nullptr));
  EXPECT_TRUE(r.RedactValue("session", "a8f3kq9z", &out, nullptr));
}

TEST(RedactTest, CustomPatterns) {
  Redactor r;
  ASSERT_TRUE(r.AddPatterns({"CUST-[0-9]{6}", "employee=(\\w+)"}).ok());
  RedactionTally tally;
  EXPECT_EQ(r.Apply("order for CUST-123456 by employee=jdoe", &tally),
            "order for [REDACTED] by employee=[REDACTED]");
  EXPECT_EQ(tally.Count(SecretKind::kCustom), 2u);
  EXPECT_FALSE(r.AddPatterns({"("}).ok());
  EXPECT_FALSE(r.AddPatterns({"x*"}).ok());  // matches the empty string
}

TEST(RedactTest, TallyCountsEachSecretOnce) {
  Redactor r;
  RedactionTally tally;
  r.Apply("Authorization: Bearer abcdef0123456789abcdef", &tally);
  r.Apply("again: Authorization: Bearer abcdef0123456789abcdef", &tally);
  r.Apply("bearer 0123456789abcdefXYZ0 password=x", &tally);
  EXPECT_EQ(tally.Total(), 3u);
  EXPECT_EQ(tally.Summary(), "3 secrets (2 bearer, 1 password)");
}

}  // namespace
}  // namespace inquest
