#include "base/redact.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <optional>

#include "base/redact_prefilter.h"
#include "base/strings.h"

namespace inquest {
// Named (not anonymous) so that the unity build's batches keep these helpers apart from other
// files' IsDigit and Lower.
namespace redact_rules {

// Provider tokens are long; shorter matches of their prefixes are ordinary words.
constexpr size_t kMinProviderTokenChars = 20;
// A Bearer credential shorter than this, or without a digit, is a word ("Bearer token expired").
constexpr size_t kMinBearerChars = 16;
// A Basic credential is base64 of "user:password"; shorter ones are words ("Basic auth").
constexpr size_t kMinBasicChars = 8;
// AWS secret access keys are 40 base64 characters.
constexpr size_t kAwsSecretChars = 40;
// Keys longer than this are not keys (a JSON blob before a ':').
constexpr size_t kMaxKeyChars = 96;
// Under a key that only sometimes names a secret (ValueFitsKey), shorter values are words.
constexpr size_t kMinAmbiguousValueChars = 4;
// An Azure SAS signature is base64 of an HMAC-SHA256 (44 characters, more when URL-encoded).
constexpr size_t kMinSasChars = 16;
// -pX: a glued value shorter than this is a flag ("-pg", "-p1").
constexpr size_t kMinGluedPasswordChars = 3;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLowerAscii(char c) { return c >= 'a' && c <= 'z'; }
bool IsAlnum(char c) { return IsDigit(c) || IsUpper(c) || IsLowerAscii(c); }
bool IsKeyChar(char c) { return IsAlnum(c) || c == '_' || c == '-' || c == '.'; }
bool IsTokenChar(char c) { return IsAlnum(c) || c == '_' || c == '-' || c == '.'; }
bool IsBase64Char(char c) { return IsAlnum(c) || c == '+' || c == '/'; }
bool IsValueEnd(char c) {
  return c == ' ' || c == '\t' || c == '&' || c == ',' || c == ';' || c == '"' || c == '\'' ||
         c == ')' || c == ']' || c == '}' || c == '>' || c == '\n' || c == '\r';
}
bool IsWordStart(std::string_view s, size_t i) { return RedactWordStart(s, i); }
char Lower(char c) { return IsUpper(c) ? static_cast<char>(c + 32) : c; }

bool StartsWithMarker(std::string_view s) {
  return s.starts_with(kRedacted) || s.starts_with(kRedactedEmail) || s.starts_with(kRedactedCard);
}

struct Span {
  size_t begin;
  size_t end;
  SecretKind kind;
};

std::string_view MarkerFor(SecretKind kind) {
  if (kind == SecretKind::kEmail) return kRedactedEmail;
  if (kind == SecretKind::kCard) return kRedactedCard;
  return kRedacted;
}

// --- keys ------------------------------------------------------------------------------------

struct KeyRule {
  std::string_view text;
  SecretKind kind;
};

// Fragments that name a secret wherever they appear in a key ("db.password", "X-Api-Key").
constexpr KeyRule kSensitiveFragments[] = {
    {"password", SecretKind::kPassword},     {"passwd", SecretKind::kPassword},
    {"passphrase", SecretKind::kPassword},   {"authorization", SecretKind::kAuthorization},
    {"cookie", SecretKind::kCookie},         {"x-amz-signature", SecretKind::kAwsSignature},
    {"apikey", SecretKind::kApiKey},         {"api_key", SecretKind::kApiKey},
    {"api-key", SecretKind::kApiKey},        {"access_key", SecretKind::kApiKey},
    {"accesskey", SecretKind::kApiKey},      {"accountkey", SecretKind::kApiKey},
    {"account_key", SecretKind::kApiKey},    {"private_key", SecretKind::kPrivateKey},
    {"privatekey", SecretKind::kPrivateKey}, {"secret", SecretKind::kSecret},
    {"token", SecretKind::kSecret},          {"credential", SecretKind::kSecret},
    {"session_id", SecretKind::kSecret},
};
// Keys that name a secret only as the whole key or its last dotted part (as fragments they
// match too much: "sid" in "side", "auth" in "author", "sig" in "signal").
constexpr KeyRule kSensitiveKeys[] = {
    {"pwd", SecretKind::kPassword},   {"pass", SecretKind::kPassword},
    {"auth", SecretKind::kSecret},    {"x-auth", SecretKind::kSecret},
    {"sid", SecretKind::kSecret},     {"sessionid", SecretKind::kSecret},
    {"session", SecretKind::kSecret}, {"sig", SecretKind::kAzureSas},
};
// A key whose last part is one of these names something about a secret, not the secret
// ("token_count", "password_file", "cookie_name", "secret.ttl").
constexpr std::string_view kNotSecretSuffixes[] = {
    "count",   "counts",  "len",     "length", "size",     "ttl",      "type",    "expiry",
    "expires", "expire",  "expired", "age",    "enabled",  "required", "file",    "path",
    "url",     "uri",     "name",    "policy", "changed",  "reset",    "hint",    "prompt",
    "version", "rotated", "at",      "in",     "endpoint", "refresh",  "timeout", "used",
    "valid",   "invalid", "missing", "ok",     "error",    "errors",   "left",    "limit"};
// A key ending in one of these extensions is a source file, and what follows its colon a line
// number ("token_source.go:105", "secrets.py:12" in a stack or a profile).
constexpr std::string_view kSourceExtensions[] = {
    "go", "py",  "java", "kt", "scala", "c",  "cc",  "cpp",   "cxx", "h",  "hpp", "hh",  "rs",
    "js", "mjs", "ts",   "rb", "s",     "cs", "php", "swift", "m",   "mm", "ex",  "exs", "erl"};
// Keys that are counts, not secrets, as a whole ("tokens: 5" in a model's usage line).
constexpr std::string_view kNotSecretKeys[] = {"tokens", "token_type", "session_count"};
// Header names whose value runs to the end of the line (spaces and ';' inside).
constexpr std::string_view kHeaderKeys[] = {"authorization", "proxy-authorization", "cookie",
                                            "set-cookie"};
// In prose ("token: expired", "secret: cannot be read"), the word after "key: " is about the
// secret, not the secret. Only for a colon and a blank, unquoted: "password=invalid" is taken
// as written. A secret that is one of these words is missed (docs/SECURITY.md).
constexpr std::string_view kProseWords[] = {
    "a",        "an",      "the",      "is",       "was",      "are",       "were",     "be",
    "been",     "has",     "have",     "had",      "will",     "would",     "must",     "should",
    "could",    "can",     "cannot",   "not",      "no",       "none",      "null",     "nil",
    "empty",    "unset",   "missing",  "required", "invalid",  "incorrect", "wrong",    "expired",
    "rejected", "denied",  "refused",  "failed",   "mismatch", "changed",   "updated",  "reset",
    "rotated",  "revoked", "ok",       "valid",    "accepted", "present",   "absent",   "unknown",
    "redacted", "hidden",  "provided", "given",    "found",    "verified",  "needed",   "too",
    "for",      "of",      "and",      "or",       "from",     "to",        "in",       "on",
    "with",     "without", "error",    "ignored",  "skipped",  "requested", "received", "sent"};

bool IsProseWord(std::string_view value) {
  for (std::string_view w : kProseWords)
    if (EqualsIgnoreCase(value, w)) return true;
  return false;
}

// "api key: X": a bare "key" is sensitive after one of these words.
constexpr std::string_view kKeyQualifiers[] = {"api",     "access",     "secret", "private",
                                               "signing", "encryption", "master", "license"};

// The key lower-cased into `buf` (which holds kMaxKeyChars), leading dashes of an option cut.
std::string_view LowerKey(std::string_view key, char* buf) {
  while (!key.empty() && key.front() == '-') key.remove_prefix(1);
  if (key.empty() || key.size() > kMaxKeyChars) return {};
  for (size_t i = 0; i < key.size(); ++i) buf[i] = Lower(key[i]);
  return {buf, key.size()};
}

std::optional<SecretKind> KeyKind(std::string_view key) {
  char buf[kMaxKeyChars];
  std::string_view k = LowerKey(key, buf);
  if (k.size() < 3) return std::nullopt;
  for (std::string_view n : kNotSecretKeys)
    if (k == n) return std::nullopt;
  size_t cut = k.find_last_of("._-");
  std::string_view last = cut == std::string_view::npos ? k : k.substr(cut + 1);
  if (cut != std::string_view::npos) {
    for (std::string_view s : kNotSecretSuffixes)
      if (last == s) return std::nullopt;
    if (k[cut] == '.')
      for (std::string_view e : kSourceExtensions)
        if (last == e) return std::nullopt;
  }
  for (const KeyRule& f : kSensitiveFragments) {
    if (k.find(f.text) == std::string_view::npos) continue;
    if (f.kind == SecretKind::kSecret && k.find("aws") != std::string_view::npos)
      return SecretKind::kAwsSecret;
    return f.kind;
  }
  size_t dot = k.find_last_of('.');
  std::string_view dotted = dot == std::string_view::npos ? k : k.substr(dot + 1);
  for (const KeyRule& e : kSensitiveKeys)
    if (k == e.text || dotted == e.text) return e.kind;
  return std::nullopt;
}

// Keys in kSensitiveKeys name other things too (PWD is the working folder, sig=6 a signal, sid=3
// a process session, -auth a file): under them, a path, a number or a short word is not taken
// for a secret. Keys with a fragment of kSensitiveFragments take any value.
bool ValueFitsKey(std::string_view key, std::string_view value) {
  char buf[kMaxKeyChars];
  std::string_view k = LowerKey(key, buf);
  for (const KeyRule& f : kSensitiveFragments)
    if (k.find(f.text) != std::string_view::npos) return true;
  if (value.starts_with('/') || value.starts_with('~') || value.starts_with("./")) return false;
  if (std::all_of(value.begin(), value.end(), [](char c) { return IsDigit(c); })) return false;
  bool sas = k == "sig" || k.ends_with(".sig");
  return value.size() >= (sas ? kMinSasChars : kMinAmbiguousValueChars);
}

bool IsHeaderKey(std::string_view key) {
  for (std::string_view h : kHeaderKeys)
    if (EqualsIgnoreCase(key, h)) return true;
  return false;
}

// "api key", "Secret Key": the kind when `key` is "key" and the word before it qualifies it.
std::optional<SecretKind> QualifiedKeyKind(std::string_view s, size_t key_begin,
                                           std::string_view key) {
  if (!EqualsIgnoreCase(key, "key") || key_begin < 2 || s[key_begin - 1] != ' ')
    return std::nullopt;
  size_t w = key_begin - 1;
  while (w > 0 && IsAlnum(s[w - 1])) --w;
  std::string_view word = s.substr(w, key_begin - 1 - w);
  for (std::string_view q : kKeyQualifiers)
    if (EqualsIgnoreCase(word, q)) return SecretKind::kApiKey;
  return std::nullopt;
}

// --- rules -----------------------------------------------------------------------------------

// The end of a value starting at `v`: quoted (returns the inside), to the end of the line for
// headers, or to the next separator. Sets *begin to where the secret starts.
size_t ValueEnd(std::string_view s, size_t v, bool header, size_t* begin) {
  *begin = v;
  if (s[v] == '"' || s[v] == '\'') {
    char q = s[v];
    size_t e = *begin = v + 1;
    while (e < s.size() && s[e] != q) {
      if (s[e] == '\\' && e + 1 < s.size()) ++e;
      ++e;
    }
    return std::min(e, s.size());
  }
  if (s[v] == '\\' && v + 1 < s.size() && s[v + 1] == '"') {  // \"value\" in escaped JSON
    size_t e = *begin = v + 2;
    while (e < s.size() && !(s[e] == '\\' && e + 1 < s.size() && s[e + 1] == '"')) ++e;
    return e;
  }
  // A marker ends a value: what an earlier pass hid is not part of the next one's value, so a
  // second pass over redacted text changes nothing.
  auto at_marker = [&](size_t e) { return s[e] == '[' && StartsWithMarker(s.substr(e)); };
  size_t e = v;
  if (header) {
    while (e < s.size() && s[e] != '\n' && s[e] != '\r' && s[e] != '"' && !at_marker(e)) {
      if (s[e] == '\\' && e + 1 < s.size() && s[e + 1] == '"') break;
      ++e;
    }
    return e;
  }
  while (e < s.size() && !IsValueEnd(s[e]) && !at_marker(e)) ++e;
  // "Bearer abc", "Basic abc": the credential is the word after the scheme.
  std::string_view word = s.substr(v, e - v);
  if ((EqualsIgnoreCase(word, "bearer") || EqualsIgnoreCase(word, "basic")) && e < s.size() &&
      s[e] == ' ') {
    ++e;
    while (e < s.size() && !IsValueEnd(s[e]) && !at_marker(e)) ++e;
  }
  return e;
}

SecretKind SchemeKind(std::string_view value, SecretKind by_key) {
  if (StartsWithIgnoreCase(value, "bearer ")) return SecretKind::kBearer;
  if (StartsWithIgnoreCase(value, "basic ")) return SecretKind::kBasic;
  return by_key;
}

// key=value, key: value, "key": "value", key = value, with the key naming a secret.
void FindKeyValues(std::string_view s, std::vector<Span>* spans) {
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c != '=' && c != ':') continue;
    if (c == ':' && i + 2 < s.size() && s[i + 1] == '/' && s[i + 2] == '/') continue;  // URL
    size_t end = i, j = i;
    // Up to two blanks between the key and the separator ("password = x").
    for (int b = 0; b < 2 && j > 0 && IsBlank(s[j - 1]); ++b) --j;
    end = j;
    char quote = 0;
    if (j > 0 && (s[j - 1] == '"' || s[j - 1] == '\'')) {
      quote = s[j - 1];
      end = --j;
    }
    while (j > 0 && IsKeyChar(s[j - 1]) && end - j < kMaxKeyChars) --j;
    if (j == end) continue;
    if (quote && !(j > 0 && s[j - 1] == quote)) continue;
    std::string_view key = s.substr(j, end - j);
    std::optional<SecretKind> kind = KeyKind(key);
    if (!kind) kind = QualifiedKeyKind(s, j, key);
    if (!kind) continue;
    size_t v = i + 1;
    while (v < s.size() && IsBlank(s[v])) ++v;
    if (v >= s.size()) continue;
    size_t begin;
    size_t value_end = ValueEnd(s, v, !quote && IsHeaderKey(key), &begin);
    std::string_view value = s.substr(begin, value_end - begin);
    if (value.empty() || StartsWithMarker(s.substr(begin)) || !ValueFitsKey(key, value)) continue;
    const bool prose = c == ':' && !quote && i + 1 < s.size() && IsBlank(s[i + 1]);
    if (prose && !IsHeaderKey(key) && IsProseWord(value)) continue;
    spans->push_back({begin, value_end, SchemeKind(value, *kind)});
    i = value_end - 1;
  }
}

// Compiler and tool flags that start like "-pPASSWORD" but are not one.
constexpr std::string_view kDashPFlags[] = {
    "thread", "ipe", "edantic", "ie",        "g",      "rint",   "aram",   "rofile",
    "lugin",  "ath", "ort",     "refix",     "review", "ackage", "roject", "ython",
    "ush",    "ull", "id",      "roduction", "ass"};  // "ass": "-password" alone, "-pass"

// "--password hunter2", "-token X" (the value is the next word) and "-phunter2".
void FindOptionValues(std::string_view s, std::vector<Span>* spans) {
  for (size_t i = s.find('-'); i != std::string_view::npos && i + 1 < s.size();
       i = s.find('-', i + 1)) {
    if (!IsWordStart(s, i)) continue;
    size_t n = i + 1;
    if (s[n] == '-') ++n;
    size_t name_end = n;
    while (name_end < s.size() && IsKeyChar(s[name_end])) ++name_end;
    if (name_end == n) continue;
    std::string_view name = s.substr(n, name_end - n);
    bool at_end = name_end >= s.size() || IsValueEnd(s[name_end]);
    // -pPASSWORD (MySQL and friends): one dash, 'p', the value glued to it.
    if (n == i + 1 && name.size() > kMinGluedPasswordChars && name[0] == 'p' && at_end) {
      std::string_view value = name.substr(1);
      bool flag = false;
      for (std::string_view f : kDashPFlags) flag |= value.starts_with(f);
      bool port = value.find_first_not_of("0123456789:.") == std::string_view::npos;
      if (!flag && !port && !StartsWithMarker(value)) {
        spans->push_back({n + 1, name_end, SecretKind::kPassword});
        continue;
      }
    }
    if (name_end >= s.size() || !IsBlank(s[name_end])) continue;
    std::optional<SecretKind> kind = KeyKind(name);
    if (!kind) continue;
    size_t v = name_end;
    while (v < s.size() && IsBlank(s[v])) ++v;
    if (v >= s.size() || s[v] == '-' || s[v] == '\n') continue;
    size_t begin;
    size_t value_end = ValueEnd(s, v, false, &begin);
    std::string_view value = s.substr(begin, value_end - begin);
    if (value.empty() || StartsWithMarker(s.substr(begin)) || !ValueFitsKey(name, value)) continue;
    spans->push_back({begin, value_end, *kind});
  }
}

bool IsToken68(char c) {
  return IsAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

// Whether base64 `b` decodes to printable "user:password".
bool IsBasicCredential(std::string_view b) {
  if (b.size() < kMinBasicChars || b.size() % 4 != 0) return false;
  auto value = [](char c) -> int {
    if (IsUpper(c)) return c - 'A';
    if (IsLowerAscii(c)) return c - 'a' + 26;
    if (IsDigit(c)) return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  bool colon = false;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : b) {
    if (c == '=') break;
    int v = value(c);
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      unsigned char byte = (acc >> bits) & 0xff;
      if (byte < 0x20 || byte > 0x7e) return false;
      colon |= byte == ':';
    }
  }
  return colon;
}

// "Bearer <credential>" and "Basic <credential>" outside a key (a header written in prose).
void FindSchemes(std::string_view s, std::vector<Span>* spans) {
  for (size_t i = 0; i + 6 < s.size(); ++i) {
    char c = Lower(s[i]);
    if (c != 'b' || !IsWordStart(s, i)) continue;
    bool bearer = StartsWithIgnoreCase(s.substr(i), "bearer ");
    bool basic = !bearer && StartsWithIgnoreCase(s.substr(i), "basic ");
    if (!bearer && !basic) continue;
    size_t v = i + (bearer ? 7 : 6);
    size_t e = v;
    while (e < s.size() && IsToken68(s[e])) ++e;
    while (e < s.size() && s[e] == '=') ++e;
    std::string_view cred = s.substr(v, e - v);
    if (bearer) {
      bool digit = std::any_of(cred.begin(), cred.end(), IsDigit);
      if (cred.size() >= kMinBearerChars && digit) spans->push_back({v, e, SecretKind::kBearer});
    } else if (IsBasicCredential(cred)) {
      spans->push_back({v, e, SecretKind::kBasic});
    }
    i = e > i ? e - 1 : i;
  }
}

bool IsUrlChar(char c) {
  return !(c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\n' ||
           c == '\r' || c == ')' || c == ']' || c == '}' || c == '`');
}

// "scheme://user:password@host" and Slack webhook URLs.
void FindUrls(std::string_view s, std::vector<Span>* spans) {
  for (size_t at = s.find("://"); at != std::string_view::npos; at = s.find("://", at + 3)) {
    size_t auth = at + 3;
    size_t k = auth;
    while (k < s.size() && s[k] != '/' && s[k] != '@' && IsUrlChar(s[k])) ++k;
    if (k < s.size() && s[k] == '@') {
      size_t colon = s.find(':', auth);
      if (colon < k && colon + 1 < k && !StartsWithMarker(s.substr(colon + 1)))
        spans->push_back({colon + 1, k, SecretKind::kUrlPassword});
    }
  }
  constexpr std::string_view kSlackHooks = "hooks.slack.com/";
  for (size_t h = s.find(kSlackHooks); h != std::string_view::npos;
       h = s.find(kSlackHooks, h + 1)) {
    size_t b = h + kSlackHooks.size();
    // The URL's path: services/T.../B.../secret. Keep its first part, hide the rest; a slash
    // past the end of the URL is not the path's (a span there would reach across other text,
    // and redacting twice would not give the same text).
    size_t e = b;
    while (e < s.size() && IsUrlChar(s[e])) ++e;
    size_t slash = s.substr(0, e).find('/', b);
    if (slash == std::string_view::npos) continue;
    if (e > slash + 1 && !StartsWithMarker(s.substr(slash + 1)))
      spans->push_back({slash + 1, e, SecretKind::kSlackWebhook});
  }
}

bool AllOf(std::string_view s, bool (*pred)(char)) { return std::all_of(s.begin(), s.end(), pred); }
bool HasDigitAndLetter(std::string_view s) {
  bool d = false, l = false;
  for (char c : s) d |= IsDigit(c), l |= IsUpper(c) || IsLowerAscii(c);
  return d && l;
}
bool IsUpperOrDigit(char c) { return IsUpper(c) || IsDigit(c); }

std::optional<SecretKind> ProviderTokenKind(std::string_view t) {
  struct Prefix {
    std::string_view text;
    SecretKind kind;
    size_t min_chars;
  };
  static constexpr Prefix kPrefixes[] = {
      {"ghp_", SecretKind::kGithubToken, kMinProviderTokenChars},
      {"gho_", SecretKind::kGithubToken, kMinProviderTokenChars},
      {"ghu_", SecretKind::kGithubToken, kMinProviderTokenChars},
      {"ghs_", SecretKind::kGithubToken, kMinProviderTokenChars},
      {"ghr_", SecretKind::kGithubToken, kMinProviderTokenChars},
      {"github_pat_", SecretKind::kGithubToken, kMinProviderTokenChars},
      {"glpat-", SecretKind::kGitlabToken, kMinProviderTokenChars},
      {"gldt-", SecretKind::kGitlabToken, kMinProviderTokenChars},
      {"glrt-", SecretKind::kGitlabToken, kMinProviderTokenChars},
      {"glptt-", SecretKind::kGitlabToken, kMinProviderTokenChars},
      {"sk_live_", SecretKind::kApiKey, kMinProviderTokenChars},
      {"sk_test_", SecretKind::kApiKey, kMinProviderTokenChars},
      {"rk_live_", SecretKind::kApiKey, kMinProviderTokenChars},
      {"rk_test_", SecretKind::kApiKey, kMinProviderTokenChars},
      {"whsec_", SecretKind::kApiKey, kMinProviderTokenChars},
      {"ya29.", SecretKind::kGcpKey, kMinProviderTokenChars},
  };
  for (const Prefix& p : kPrefixes)
    if (t.size() >= p.min_chars && t.starts_with(p.text)) return p.kind;
  // Slack: xoxb-, xoxp-, xoxa-, xoxe-, xoxr-, xoxs-...
  if (t.size() >= kMinProviderTokenChars && t.starts_with("xox") && IsLowerAscii(t[3]) &&
      t[4] == '-')
    return SecretKind::kSlackToken;
  // OpenAI-style and other "sk-" keys: long, with letters and digits after the prefix.
  if (t.size() >= kMinProviderTokenChars + 3 && t.starts_with("sk-") &&
      HasDigitAndLetter(t.substr(3)))
    return SecretKind::kApiKey;
  // AWS access key ids: a four-letter type (AKIA long-term, ASIA temporary, ...) + 16 upper-case
  // letters or digits.
  static constexpr std::string_view kAwsIds[] = {"AKIA", "ASIA", "AGPA", "AIDA", "AROA",
                                                 "AIPA", "ANPA", "ANVA", "ASCA"};
  if (t.size() == 20)
    for (std::string_view p : kAwsIds)
      if (t.starts_with(p) && AllOf(t.substr(4), IsUpperOrDigit)) return SecretKind::kAwsKey;
  // Google API keys: "AIza" + 35 characters.
  if (t.size() == 39 && t.starts_with("AIza")) return SecretKind::kGcpKey;
  // JWTs: a base64url JSON header ("eyJ" is '{"'), then the payload and the signature.
  if (t.starts_with("eyJ") && t.size() >= kMinProviderTokenChars &&
      std::count(t.begin(), t.end(), '.') >= 2)
    return SecretKind::kJwt;
  return std::nullopt;
}

// Known token shapes and PEM private keys. Sets *aws when an AWS key id was seen.
void FindTokens(std::string_view s, std::vector<Span>* spans, bool* aws) {
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '-' && s.substr(i).starts_with("-----BEGIN ")) {
      size_t hdr_end = s.find("-----", i + 11);
      if (hdr_end != std::string_view::npos &&
          s.substr(i, hdr_end - i).find("PRIVATE KEY") != std::string_view::npos) {
        // To the end of the END line's closing dashes; to the end of the text without one.
        size_t end = s.find("-----END ", hdr_end + 5);
        size_t close = end == std::string_view::npos ? end : s.find("-----", end + 9);
        size_t stop = close == std::string_view::npos ? s.size() : close + 5;
        spans->push_back({i, stop, SecretKind::kPrivateKey});
        i = stop;
        continue;
      }
    }
    if (!IsTokenChar(s[i]) || (i > 0 && IsTokenChar(s[i - 1]))) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < s.size() && IsTokenChar(s[j])) ++j;
    std::string_view tok = s.substr(i, j - i);
    // A trailing '.' ends a sentence, not a token.
    while (!tok.empty() && tok.back() == '.') tok.remove_suffix(1);
    if (std::optional<SecretKind> kind = ProviderTokenKind(tok)) {
      spans->push_back({i, i + tok.size(), *kind});
      *aws |= *kind == SecretKind::kAwsKey;
    }
    i = j;
  }
}

bool NamesAws(std::string_view s) {
  for (size_t i = 0; i + 3 <= s.size(); ++i)
    if (Lower(s[i]) == 'a' && Lower(s[i + 1]) == 'w' && Lower(s[i + 2]) == 's') return true;
  return false;
}

// 40 base64 characters with upper- and lower-case letters and a digit, where the text names
// AWS: a secret access key. (Hex alone never matches: it has no upper case with lower case.)
void FindAwsSecrets(std::string_view s, std::vector<Span>* spans) {
  for (size_t i = 0; i < s.size();) {
    if (!IsBase64Char(s[i]) || (i > 0 && IsBase64Char(s[i - 1]))) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < s.size() && IsBase64Char(s[j])) ++j;
    std::string_view t = s.substr(i, j - i);
    bool upper = std::any_of(t.begin(), t.end(), IsUpper);
    bool lower = std::any_of(t.begin(), t.end(), IsLowerAscii);
    if (t.size() == kAwsSecretChars && upper && lower && HasDigitAndLetter(t) &&
        (j >= s.size() || s[j] != '='))
      spans->push_back({i, j, SecretKind::kAwsSecret});
    i = j;
  }
}

bool IsLocalChar(char c) {
  return IsAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool IsDomainChar(char c) { return IsAlnum(c) || c == '.' || c == '-'; }

void FindEmails(std::string_view s, std::vector<Span>* spans) {
  size_t floor = 0;
  for (size_t at = s.find('@'); at != std::string_view::npos; at = s.find('@', at + 1)) {
    if (at < floor) continue;
    size_t l = at;
    while (l > floor && IsLocalChar(s[l - 1])) --l;
    size_t r = at + 1;
    while (r < s.size() && IsDomainChar(s[r])) ++r;
    while (r > at + 1 && (s[r - 1] == '.' || s[r - 1] == '-')) --r;  // sentence punctuation
    std::string_view domain = s.substr(at + 1, r - at - 1);
    size_t dot = domain.rfind('.');
    bool tld_ok = dot != std::string_view::npos && dot + 3 <= domain.size();
    if (tld_ok)
      for (char c : domain.substr(dot + 1))
        if (!(IsUpper(c) || IsLowerAscii(c))) tld_ok = false;
    if (l == at || !tld_ok || domain.front() == '.') continue;
    spans->push_back({l, r, SecretKind::kEmail});
    floor = r;
  }
}

// Issuer ranges in use (the leading digits of ISO/IEC 7812 numbers) and the lengths each
// issues. A run of digits outside them is not a card, however its Luhn sum comes out: epoch
// times start with 1, and a Go module's pseudo-version time (v0.0.0-20230803182517-...) with
// 20, below Mastercard's 2221.
struct CardRange {
  std::string_view low, high;  // inclusive, compared on the run's first low.size() digits
  int min_digits, max_digits;
};
constexpr CardRange kCardRanges[] = {
    {"2221", "2720", 16, 16},  // Mastercard 2-series
    {"300", "305", 14, 19},    // Diners Club International
    {"34", "34", 15, 15},      // American Express
    {"3528", "3589", 16, 19},  // JCB
    {"36", "36", 14, 19},      // Diners Club
    {"37", "37", 15, 15},      // American Express
    {"38", "39", 16, 19},      // Diners Club
    {"4", "4", 13, 19},        // Visa
    {"50", "50", 13, 19},      // Maestro
    {"51", "55", 16, 16},      // Mastercard
    {"56", "69", 13, 19},      // Maestro, Discover, UnionPay, RuPay
};

bool InCardRange(std::string_view run, int digits) {
  std::string d;
  for (char c : run)
    if (IsDigit(c)) d += c;
  for (const CardRange& r : kCardRanges) {
    if (digits < r.min_digits || digits > r.max_digits) continue;
    std::string_view lead = std::string_view(d).substr(0, r.low.size());
    if (lead >= r.low && lead <= r.high) return true;
  }
  return false;
}

// 13-19 digits, single spaces or dashes allowed between groups, in an issuer range in use
// (kCardRanges) and with a valid Luhn sum.
void FindCards(std::string_view s, std::vector<Span>* spans) {
  size_t i = 0;
  while (i < s.size()) {
    if (!IsDigit(s[i]) || (i > 0 && (IsAlnum(s[i - 1]) || s[i - 1] == '.'))) {
      ++i;
      continue;
    }
    size_t j = i;
    int digits = 0;
    size_t last_digit_end = i;
    while (j < s.size()) {
      if (IsDigit(s[j])) {
        ++digits;
        last_digit_end = ++j;
      } else if ((s[j] == ' ' || s[j] == '-') && j + 1 < s.size() && IsDigit(s[j + 1]) &&
                 IsDigit(s[j - 1])) {
        ++j;
      } else {
        break;
      }
    }
    bool boundary =
        last_digit_end >= s.size() || !(IsAlnum(s[last_digit_end]) || s[last_digit_end] == '.');
    std::string_view run = s.substr(i, last_digit_end - i);
    if (boundary && digits >= kMinCardDigits && digits <= kMaxCardDigits && s[i] >= '2' &&
        s[i] <= '6' && InCardRange(run, digits) && LuhnValid(run))
      spans->push_back({i, last_digit_end, SecretKind::kCard});
    i = last_digit_end;
  }
}

// --- the prefilter ---------------------------------------------------------------------------

// Sorts the spans, joins overlapping ones (the first found names the kind), counts them and
// writes `s` with each replaced by its marker.
void Replace(std::string_view s, std::vector<Span>* spans, std::string* out,
             RedactionTally* tally) {
  std::sort(spans->begin(), spans->end(), [](const Span& a, const Span& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::vector<Span> joined;
  joined.reserve(spans->size());
  for (Span sp : *spans) {
    sp.end = std::min(sp.end, s.size());  // a rule's slip must cost detail, never a crash
    if (sp.begin >= sp.end) continue;
    if (!joined.empty() && sp.begin < joined.back().end) {
      joined.back().end = std::max(joined.back().end, sp.end);
      continue;
    }
    joined.push_back(sp);
  }
  out->clear();
  out->reserve(s.size());
  size_t copied = 0;
  for (const Span& sp : joined) {
    out->append(s.substr(copied, sp.begin - copied));
    out->append(MarkerFor(sp.kind));
    if (tally) tally->Add(sp.kind, s.substr(sp.begin, sp.end - sp.begin));
    copied = sp.end;
  }
  out->append(s.substr(copied));
}

}  // namespace redact_rules

std::string_view SecretKindName(SecretKind kind) {
  static constexpr std::string_view kNames[kSecretKinds] = {
      "password",      "secret",        "api key",      "bearer",       "basic",
      "authorization", "cookie",        "url password", "aws key",      "aws secret",
      "aws signature", "gcp key",       "azure sas",    "github token", "gitlab token",
      "slack token",   "slack webhook", "jwt",          "private key",  "email",
      "card",          "custom"};
  return kNames[static_cast<size_t>(kind)];
}

void RedactionTally::Add(SecretKind kind, std::string_view secret) {
  uint64_t h = std::hash<std::string_view>()(secret);
  std::lock_guard<std::mutex> lock(mu_);
  seen_.emplace(static_cast<uint8_t>(kind), h);
}

size_t RedactionTally::Total() const {
  std::lock_guard<std::mutex> lock(mu_);
  return seen_.size();
}

size_t RedactionTally::Count(SecretKind kind) const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const auto& [k, h] : seen_) n += k == static_cast<uint8_t>(kind);
  return n;
}

std::string RedactionTally::Summary() const {
  std::array<size_t, kSecretKinds> by_kind{};
  size_t total = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [k, h] : seen_) ++by_kind[k];
    total = seen_.size();
  }
  if (total == 0) return "";
  std::vector<size_t> order;
  for (size_t k = 0; k < kSecretKinds; ++k)
    if (by_kind[k]) order.push_back(k);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return by_kind[a] > by_kind[b]; });
  std::string parts;
  for (size_t k : order) {
    if (!parts.empty()) parts += ", ";
    parts += fmt::format("{} {}", by_kind[k], SecretKindName(static_cast<SecretKind>(k)));
  }
  return fmt::format("{} secret{} ({})", total, total == 1 ? "" : "s", parts);
}

void RedactionTally::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  seen_.clear();
}

struct Redactor::Custom {
  std::string text;
  re2::RE2 re;
  explicit Custom(const std::string& t) : text(t), re(t, re2::RE2::Quiet) {}
};

Redactor::Redactor() = default;
Redactor::~Redactor() = default;
Redactor::Redactor(const Redactor&) = default;
Redactor& Redactor::operator=(const Redactor&) = default;

Status Redactor::AddPatterns(const std::vector<std::string>& patterns) {
  for (const std::string& p : patterns) {
    auto c = std::make_shared<Custom>(p);
    if (!c->re.ok())
      return Status::InvalidArgument(
          fmt::format("[redact] pattern '{}' is not a valid RE2 expression: {}", p, c->re.error()));
    if (c->re.Match("", 0, 0, re2::RE2::UNANCHORED, nullptr, 0))
      return Status::InvalidArgument(
          fmt::format("[redact] pattern '{}' matches the empty string", p));
    custom_.push_back(std::move(c));
  }
  return Status::Ok();
}

bool Redactor::RedactOnce(std::string_view text, std::string* out, RedactionTally* tally) const {
  using namespace redact_rules;
  std::vector<Span> spans;
  if (RedactPrefilter::Get().MayHold(text)) {
    bool aws = false;
    FindKeyValues(text, &spans);
    FindOptionValues(text, &spans);
    FindSchemes(text, &spans);
    if (text.find('@') != std::string_view::npos) {
      FindUrls(text, &spans);
      FindEmails(text, &spans);
    } else if (text.find("hooks.slack.com/") != std::string_view::npos) {
      FindUrls(text, &spans);
    }
    FindTokens(text, &spans, &aws);
    if (aws || NamesAws(text)) FindAwsSecrets(text, &spans);
    FindCards(text, &spans);
  }
  for (const auto& c : custom_) {
    int groups = std::min(c->re.NumberOfCapturingGroups(), 1);
    re2::StringPiece m[2];
    size_t pos = 0;
    re2::StringPiece whole(text.data(), text.size());
    while (pos <= text.size() &&
           c->re.Match(whole, pos, text.size(), re2::RE2::UNANCHORED, m, groups + 1)) {
      const re2::StringPiece& hit = m[groups].data() ? m[groups] : m[0];
      size_t b = hit.data() - text.data();
      size_t e = b + hit.size();
      if (e > b && !StartsWithMarker(text.substr(b))) spans.push_back({b, e, SecretKind::kCustom});
      size_t next = static_cast<size_t>(m[0].data() - text.data()) + m[0].size();
      pos = next > pos ? next : pos + 1;
    }
  }
  if (spans.empty()) return false;
  Replace(text, &spans, out, tally);
  return true;
}

bool Redactor::Redact(std::string_view text, std::string* out, RedactionTally* tally) const {
  if (!RedactOnce(text, out, tally)) return false;
  // What a replacement leaves can read differently (a value now next to a marker): again until
  // nothing changes, so redacted text passes the boundary a second time unchanged. Each round
  // turns text into markers, so few are ever needed.
  constexpr int kMaxRounds = 4;
  std::string again;
  for (int round = 1; round < kMaxRounds && RedactOnce(*out, &again, tally); ++round)
    out->swap(again);
  return true;
}

std::string Redactor::Apply(std::string_view text, RedactionTally* tally) const {
  std::string out;
  if (!Redact(text, &out, tally)) out.assign(text);
  return out;
}

bool Redactor::RedactValue(std::string_view key, std::string_view value, std::string* out,
                           RedactionTally* tally) const {
  using namespace redact_rules;
  if (!value.empty() && !StartsWithMarker(value) && ValueFitsKey(key, value)) {
    if (std::optional<SecretKind> kind = KeyKind(key)) {
      if (tally) tally->Add(SchemeKind(value, *kind), value);
      out->assign(kRedacted);
      return true;
    }
  }
  return Redact(value, out, tally);
}

void Redactor::RedactArgv(std::vector<std::string>* argv, RedactionTally* tally) const {
  using namespace redact_rules;
  // The previous element was an option naming a secret, and which.
  bool pending = false;
  SecretKind pending_kind = SecretKind::kSecret;
  std::string option;
  std::string out;
  for (std::string& arg : *argv) {
    if (pending && !arg.empty() && arg[0] != '-' && !StartsWithMarker(arg) &&
        ValueFitsKey(option, arg)) {
      if (tally) tally->Add(pending_kind, arg);
      arg.assign(kRedacted);
      pending = false;
      continue;
    }
    pending = false;
    if (arg.size() > 1 && arg[0] == '-' && arg.find('=') == std::string::npos) {
      if (std::optional<SecretKind> kind = KeyKind(arg)) {
        pending = true;
        pending_kind = *kind;
        option = arg;
      }
    }
    if (Redact(arg, &out, tally)) arg = out;
  }
}

std::string Redact(std::string_view text) {
  static const Redactor kBuiltIn;
  return kBuiltIn.Apply(text, nullptr);
}

bool IsSensitiveKey(std::string_view key) { return redact_rules::KeyKind(key).has_value(); }

bool IsSecretValue(std::string_view key, std::string_view value) {
  return !value.empty() && redact_rules::KeyKind(key).has_value() &&
         redact_rules::ValueFitsKey(key, value);
}

bool LuhnValid(std::string_view digits) {
  int sum = 0;
  int n = 0;
  for (size_t i = digits.size(); i-- > 0;) {
    char c = digits[i];
    if (!redact_rules::IsDigit(c)) continue;
    int d = c - '0';
    if (n++ % 2 == 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return n > 0 && sum % 10 == 0;
}

}  // namespace inquest
