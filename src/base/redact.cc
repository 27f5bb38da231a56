#include "base/redact.h"

#include <array>

#include "base/strings.h"

namespace inquest {
namespace {

// Key fragments that name a secret wherever they appear in a key ("db.password", "X-Api-Key").
constexpr std::array<std::string_view, 16> kSensitiveFragments = {
    "password",      "passwd",  "passphrase", "secret",    "token",       "apikey",
    "api_key",       "api-key", "access_key", "accesskey", "private_key", "privatekey",
    "authorization", "cookie",  "credential", "session_id"};
// Keys that name a secret only when they are the whole key (as fragments they match too much:
// "sid" in "side", "auth" in "author").
constexpr std::array<std::string_view, 7> kSensitiveKeys = {"pwd",       "pass",    "auth",  "sid",
                                                            "sessionid", "session", "x-auth"};
// Keys whose value runs to the end of the line (HTTP headers with spaces and ';' inside).
constexpr std::array<std::string_view, 4> kHeaderKeys = {"authorization", "proxy-authorization",
                                                         "cookie", "set-cookie"};

// Card numbers have 13 to 19 digits (ISO/IEC 7812).
constexpr int kMinCardDigits = 13;
constexpr int kMaxCardDigits = 19;
// Provider tokens are long; shorter matches of their prefixes are ordinary words.
constexpr size_t kMinProviderTokenChars = 20;

bool IsKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}
bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsTokenChar(char c) { return IsAlnum(c) || c == '_' || c == '-' || c == '.'; }
bool IsValueEnd(char c) {
  return c == ' ' || c == '\t' || c == '&' || c == ',' || c == ';' || c == '"' || c == '\'' ||
         c == ')' || c == ']' || c == '}' || c == '>' || c == '\n' || c == '\r';
}

bool IsHeaderKey(std::string_view key) {
  std::string k = ToLower(key);
  for (std::string_view h : kHeaderKeys)
    if (k == h) return true;
  return false;
}

// Pass 1: values of sensitive keys: key=value, key: value, "key": "value".
std::string RedactKeyValues(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c != '=' && c != ':') {
      out += c;
      ++i;
      continue;
    }
    // Find the key before the separator (optionally quoted).
    size_t end = i;
    size_t j = i;
    char quote = 0;
    if (j > 0 && (s[j - 1] == '"' || s[j - 1] == '\'')) {
      quote = s[j - 1];
      end = --j;
    }
    while (j > 0 && IsKeyChar(s[j - 1])) --j;
    std::string_view key = s.substr(j, end - j);
    bool quoted_ok = !quote || (j > 0 && s[j - 1] == quote);
    out += c;
    ++i;
    if (key.empty() || !quoted_ok || !IsSensitiveKey(key)) continue;
    // Skip spaces between the separator and the value.
    size_t v = i;
    while (v < s.size() && (s[v] == ' ' || s[v] == '\t')) ++v;
    if (v >= s.size()) continue;
    size_t value_end;
    size_t value_start = v;
    if (s[v] == '"' || s[v] == '\'') {
      char q = s[v];
      value_start = v + 1;
      value_end = value_start;
      while (value_end < s.size() && s[value_end] != q) {
        if (s[value_end] == '\\' && value_end + 1 < s.size()) ++value_end;
        ++value_end;
      }
    } else if (IsHeaderKey(key)) {
      value_end = v;
      while (value_end < s.size() && s[value_end] != '\n' && s[value_end] != '"') {
        if (s[value_end] == '\\' && value_end + 1 < s.size() && s[value_end + 1] == '"') break;
        ++value_end;
      }
    } else {
      value_end = v;
      while (value_end < s.size() && !IsValueEnd(s[value_end])) ++value_end;
      // "Bearer abc", "Basic abc": the credential is the word after the scheme.
      std::string_view word = s.substr(v, value_end - v);
      if ((EqualsIgnoreCase(word, "bearer") || EqualsIgnoreCase(word, "basic")) &&
          value_end < s.size() && s[value_end] == ' ') {
        value_end++;
        while (value_end < s.size() && !IsValueEnd(s[value_end])) ++value_end;
      }
    }
    if (value_end == value_start) continue;
    out.append(s.substr(i, value_start - i));
    out += kRedacted;
    i = value_end;
  }
  return out;
}

// Pass 2: "scheme://user:password@host".
std::string RedactUrlPasswords(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    size_t at = s.find("://", i);
    if (at == std::string_view::npos) break;
    size_t auth = at + 3;
    size_t k = auth;
    while (k < s.size() && s[k] != '/' && s[k] != '@' && s[k] != ' ' && s[k] != '"' && s[k] != '\n')
      ++k;
    size_t colon = s.find(':', auth);
    if (k < s.size() && s[k] == '@' && colon != std::string_view::npos && colon < k &&
        colon + 1 < k) {
      out.append(s.substr(i, colon + 1 - i));
      out += kRedacted;
      i = k;
    } else {
      out.append(s.substr(i, auth - i));
      i = auth;
    }
  }
  out.append(s.substr(i));
  return out;
}

bool IsProviderToken(std::string_view t) {
  static constexpr std::array<std::string_view, 12> kPrefixes = {
      "ghp_",  "gho_",  "ghu_",  "ghs_",  "ghr_",     "github_pat_",
      "xoxb-", "xoxp-", "xoxa-", "xoxs-", "sk_live_", "rk_live_"};
  if (t.size() >= kMinProviderTokenChars)
    for (std::string_view p : kPrefixes)
      if (t.starts_with(p)) return true;
  // AWS access key ids: AKIA / ASIA + 16 upper-case letters or digits.
  if (t.size() == 20 && (t.starts_with("AKIA") || t.starts_with("ASIA"))) {
    for (char c : t.substr(4))
      if (!((c >= 'A' && c <= 'Z') || IsDigit(c))) return false;
    return true;
  }
  // Google API keys: "AIza" + 35 characters.
  if (t.size() == 39 && t.starts_with("AIza")) return true;
  // JWTs: base64url header starting {" ("eyJ"), three dot-separated parts.
  if (t.starts_with("eyJ") && t.size() >= kMinProviderTokenChars) {
    size_t dots = 0;
    for (char c : t) dots += c == '.';
    return dots == 2;
  }
  return false;
}

// Pass 3: known token shapes and PEM private keys.
std::string RedactTokens(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '-' && s.substr(i).starts_with("-----BEGIN ")) {
      size_t hdr_end = s.find("-----", i + 11);
      if (hdr_end != std::string_view::npos &&
          s.substr(i, hdr_end - i).find("PRIVATE KEY") != std::string_view::npos) {
        size_t end = s.find("-----END ", hdr_end + 5);
        size_t stop = end == std::string_view::npos ? s.size() : s.find("-----", end + 9);
        stop = stop == std::string_view::npos ? s.size() : stop + 5;
        out += kRedacted;
        i = stop;
        continue;
      }
    }
    if (IsTokenChar(s[i]) && (i == 0 || !IsTokenChar(s[i - 1]))) {
      size_t j = i;
      while (j < s.size() && IsTokenChar(s[j])) ++j;
      std::string_view tok = s.substr(i, j - i);
      // A trailing '.' ends a sentence, not a token.
      while (!tok.empty() && tok.back() == '.') tok.remove_suffix(1);
      if (IsProviderToken(tok)) {
        out += kRedacted;
        i += tok.size();
        continue;
      }
      out.append(s.substr(i, j - i));
      i = j;
      continue;
    }
    out += s[i++];
  }
  return out;
}

bool IsLocalChar(char c) {
  return IsAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool IsDomainChar(char c) { return IsAlnum(c) || c == '.' || c == '-'; }

// Pass 4: e-mail addresses.
std::string RedactEmails(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t copied = 0;
  for (size_t at = s.find('@'); at != std::string_view::npos; at = s.find('@', at + 1)) {
    if (at < copied) continue;
    size_t l = at;
    while (l > copied && IsLocalChar(s[l - 1])) --l;
    size_t r = at + 1;
    while (r < s.size() && IsDomainChar(s[r])) ++r;
    while (r > at + 1 && (s[r - 1] == '.' || s[r - 1] == '-')) --r;  // sentence punctuation
    std::string_view domain = s.substr(at + 1, r - at - 1);
    size_t dot = domain.rfind('.');
    bool tld_ok = dot != std::string_view::npos && dot + 3 <= domain.size();
    if (tld_ok)
      for (char c : domain.substr(dot + 1))
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) tld_ok = false;
    if (l == at || !tld_ok || domain.front() == '.') continue;
    out.append(s.substr(copied, l - copied));
    out += kRedactedEmail;
    copied = r;
  }
  out.append(s.substr(copied));
  return out;
}

// Pass 5: card numbers: 13-19 digits, single spaces or dashes allowed between groups, a first
// digit of 2-6 (the issuer ranges in use; epoch times start with 1) and a valid Luhn sum.
std::string RedactCards(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    if (!IsDigit(s[i]) || (i > 0 && (IsAlnum(s[i - 1]) || s[i - 1] == '.'))) {
      out += s[i++];
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
        s[i] <= '6' && LuhnValid(run)) {
      out += kRedactedCard;
    } else {
      out.append(run);
    }
    i = last_digit_end;
  }
  return out;
}

}  // namespace

bool IsSensitiveKey(std::string_view key) {
  std::string k = ToLower(key);
  for (std::string_view f : kSensitiveFragments)
    if (k.find(f) != std::string::npos) return true;
  // The last dotted or dashed component counts as the key ("db.pass", "x-auth").
  size_t cut = k.find_last_of('.');
  std::string_view last =
      cut == std::string::npos ? std::string_view(k) : std::string_view(k).substr(cut + 1);
  for (std::string_view e : kSensitiveKeys)
    if (last == e || k == e) return true;
  return false;
}

bool LuhnValid(std::string_view digits) {
  int sum = 0;
  int n = 0;
  for (size_t i = digits.size(); i-- > 0;) {
    char c = digits[i];
    if (!IsDigit(c)) continue;
    int d = c - '0';
    if (n++ % 2 == 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return n > 0 && sum % 10 == 0;
}

std::string Redact(std::string_view text) {
  return RedactCards(RedactEmails(RedactTokens(RedactUrlPasswords(RedactKeyValues(text)))));
}

}  // namespace inquest
