// Redaction of secrets and personal data in text that inquest writes into reports (excerpts of
// log lines): values of sensitive keys (password=, "token": ..., Authorization: Bearer ...,
// Cookie: ...), URL passwords, well-known key shapes (JWTs, AWS access keys, GitHub and Slack
// tokens, PEM private keys), e-mail addresses and card numbers (Luhn-checked).
//
// A small hand-written scanner: base/ does not link RE2, and excerpts are short. It errs on the
// side of hiding: a false positive costs an excerpt's detail, a false negative leaks a secret.
// It never touches ordinary ids (request ids, trace ids, cache keys), which are the evidence.
//
//   std::string safe = Redact(line);   // "password=[REDACTED] user=[email]"
#ifndef INQUEST_BASE_REDACT_H_
#define INQUEST_BASE_REDACT_H_

#include <string>
#include <string_view>

namespace inquest {

inline constexpr std::string_view kRedacted = "[REDACTED]";
inline constexpr std::string_view kRedactedEmail = "[email]";
inline constexpr std::string_view kRedactedCard = "[card]";

// Returns `text` with secrets replaced by the markers above. Never grows a string by more than
// the markers it inserts; runs in linear time.
std::string Redact(std::string_view text);

// Whether a key name ("password", "X-Api-Key", "session_id", "db.passwd") names a secret.
bool IsSensitiveKey(std::string_view key);

// Luhn checksum over the digits of `digits` (other characters ignored).
bool LuhnValid(std::string_view digits);

}  // namespace inquest

#endif  // INQUEST_BASE_REDACT_H_
