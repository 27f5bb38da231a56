// The rules that find secrets and personal data in text inquest writes out: values of sensitive
// keys (password=, "token": ..., --password X, -pX, api key: ...), Authorization and Cookie
// headers, Bearer and Basic credentials, URL passwords, provider key shapes (AWS, GCP, Azure SAS,
// GitHub, GitLab, Slack, sk- keys), JWTs, PEM private keys, e-mail addresses and card numbers
// (Luhn-checked), plus the RE2 patterns of `[redact] patterns` in inquest.toml.
//
// A hand-written scanner for the built-in rules (one look-up per byte says whether a text can
// hold a secret at all; most log lines cannot, and cost nothing more). It errs on the side of
// hiding: a false positive costs an excerpt's detail, a false negative leaks a secret. Shape
// rules never fire on hex alone, so trace and span ids, commit hashes, build-ids and UUIDs --
// the evidence -- stay.
//
// Output code does not call this directly: base/output.h (the output boundary) and the JSON
// writer apply it to everything written.
//
//   Redactor r;
//   std::string out;
//   if (r.Redact("login password=hunter2", &out, nullptr)) ...  // "login password=[REDACTED]"
#ifndef INQUEST_BASE_REDACT_H_
#define INQUEST_BASE_REDACT_H_

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace re2 {
class RE2;
}

namespace inquest {

inline constexpr std::string_view kRedacted = "[REDACTED]";
inline constexpr std::string_view kRedactedEmail = "[email]";
inline constexpr std::string_view kRedactedCard = "[card]";

// What a redacted span was, for the count reported at the end of a command.
enum class SecretKind : uint8_t {
  kPassword,       // password=, passwd:, pwd=, --password X, -pX
  kSecret,         // the value of another sensitive key: token=, secret=, session=, credential
  kApiKey,         // api key: X, access key = X, sk-... keys, Stripe keys
  kBearer,         // Bearer credentials
  kBasic,          // Basic credentials (base64 of user:password)
  kAuthorization,  // an Authorization header's value (other schemes)
  kCookie,         // a Cookie or Set-Cookie header's value
  kUrlPassword,    // scheme://user:password@host
  kAwsKey,         // AKIA... access key ids
  kAwsSecret,      // AWS secret access keys (40 base64 characters where AWS is named)
  kAwsSignature,   // X-Amz-Signature=
  kGcpKey,         // AIza... API keys, ya29. OAuth tokens
  kAzureSas,       // sig= of a shared access signature
  kGithubToken,    // ghp_, gho_, ghu_, ghs_, ghr_, github_pat_
  kGitlabToken,    // glpat-, gldt-, glrt-, glptt-
  kSlackToken,     // xoxb-, xoxp-, ...
  kSlackWebhook,   // hooks.slack.com/services/...
  kJwt,            // eyJ... three base64url parts
  kPrivateKey,     // -----BEGIN ... PRIVATE KEY----- blocks
  kEmail,
  kCard,    // 13-19 digits with a valid Luhn sum
  kCustom,  // a [redact] pattern of inquest.toml
};
inline constexpr size_t kSecretKinds = static_cast<size_t>(SecretKind::kCustom) + 1;

// "password", "bearer", "aws key", ... (for the count).
std::string_view SecretKindName(SecretKind kind);

// What was redacted: each distinct secret once per kind, however many times and in however
// many outputs it was written. Thread-safe.
class RedactionTally {
 public:
  void Add(SecretKind kind, std::string_view secret);
  size_t Total() const;
  size_t Count(SecretKind kind) const;
  // "3 secrets (2 bearer, 1 password)", most frequent kind first; empty when nothing was hidden.
  std::string Summary() const;
  void Clear();

 private:
  mutable std::mutex mu_;
  std::set<std::pair<uint8_t, uint64_t>> seen_;  // (kind, hash of the secret)
};

class Redactor {
 public:
  Redactor();  // the built-in rules only
  ~Redactor();
  Redactor(const Redactor&);
  Redactor& operator=(const Redactor&);

  // Adds RE2 patterns (inquest.toml [redact] patterns): each match is hidden, or only its first
  // capture group when it has one. An invalid pattern is InvalidArgument naming it.
  Status AddPatterns(const std::vector<std::string>& patterns);
  size_t custom_patterns() const { return custom_.size(); }

  // When `text` holds a secret: sets *out to the text with each secret replaced by a marker
  // (kRedacted, kRedactedEmail, kRedactedCard), counts it in *tally (may be null) and returns
  // true. Otherwise returns false and leaves *out alone, having allocated nothing. Linear in
  // the text for the built-in rules; text already redacted comes out unchanged.
  bool Redact(std::string_view text, std::string* out, RedactionTally* tally) const;
  // The same, always returning the text.
  std::string Apply(std::string_view text, RedactionTally* tally) const;

  // The value of a field named `key` (a JSON key, an attribute, an environment variable):
  // hidden whole when the key names a secret, else redacted like any text. Same contract as
  // Redact().
  bool RedactValue(std::string_view key, std::string_view value, std::string* out,
                   RedactionTally* tally) const;

  // A command line, element by element and across neighbours: the element after an option
  // that names a secret ("--password", "-token", "--api-key") is hidden whole, so
  // {"--password", "hunter2"} keeps no more than {"--password=hunter2"} does.
  void RedactArgv(std::vector<std::string>* argv, RedactionTally* tally) const;

 private:
  // One pass of every rule over `text`.
  bool RedactOnce(std::string_view text, std::string* out, RedactionTally* tally) const;
  struct Custom;
  std::vector<std::shared_ptr<const Custom>> custom_;
};

// The built-in rules, uncounted (excerpts made before output; the output boundary redacts
// again, which changes nothing).
std::string Redact(std::string_view text);

// Whether a key name ("password", "X-Api-Key", "session_id", "db.passwd") names a secret.
bool IsSensitiveKey(std::string_view key);
// Whether `value` under `key` is hidden whole: the key names a secret and, for keys that name
// other things too ("pwd", "sig", "session"), the value looks like one (not a path, a number or
// a short word).
bool IsSecretValue(std::string_view key, std::string_view value);

// Luhn checksum over the digits of `digits` (other characters ignored).
bool LuhnValid(std::string_view digits);

}  // namespace inquest

#endif  // INQUEST_BASE_REDACT_H_
