// Service names from log paths; the words that name a kind of log, not a service, are data.
#include "logs/path_service.h"

#include <re2/re2.h>

#include <algorithm>

#include "base/strings.h"

namespace inquest {
namespace {

// File stems and folders that say what a log is, not whose it is.
constexpr std::string_view kGenericNames[] = {
    "access",  "error",  "errors",    "app",     "application", "server",   "service",   "main",
    "output",  "out",    "err",       "stdout",  "stderr",      "messages", "syslog",    "combined",
    "current", "daemon", "debug",     "info",    "log",         "logs",     "trace",     "audit",
    "system",  "kern",   "auth",      "console", "default",     "catalina", "localhost", "gc",
    "events",  "var",    "tmp",       "data",    "export",      "exports",  "evidence",  "incident",
    "bundle",  "run",    "container", "pod"};

// Suffixes a log file's name gathers: compression, then rotation, then the log extension.
constexpr std::string_view kExtensions[] = {".gz",  ".zst", ".bz2", ".xz",
                                            ".log", ".txt", ".out", ".jsonl"};

bool IsGeneric(std::string_view s) {
  std::string lower = ToLower(s);
  return std::find(std::begin(kGenericNames), std::end(kGenericNames), lower) !=
         std::end(kGenericNames);
}

bool HasDigit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The name without a trailing rotation mark: a short number (".1", "-12") or a date with an
// optional time ("-20240102", ".2024-01-02", "_2024_01_02T10").
std::string_view WithoutRotation(std::string_view s) {
  static const RE2 kRotation(
      R"((.+?)(?:[._-]\d{1,3}|[._-](?:19|20)\d\d[._-]?\d\d[._-]?\d\d(?:[T_-]?\d{2,6})?))");
  re2::StringPiece head;
  if (RE2::FullMatch(re2::StringPiece(s.data(), s.size()), kRotation, &head))
    return std::string_view(head.data(), head.size());
  return s;
}

// Machine-made names are ids, not services: a run of this many digits ("i-034bdb4a981bd",
// "ip-10-6-147-225", "pod-7f9c8d6b5-x2x9z" has none but its hash part below).
constexpr size_t kIdDigitRun = 3;
// A dash- or dot-separated part this long mixing letters and digits is a hash ("7f9c8d6b5").
constexpr size_t kHashPartChars = 5;

bool LooksLikeId(std::string_view s) {
  size_t run = 0, part = 0;
  bool part_digit = false, part_alpha = false;
  for (size_t i = 0; i <= s.size(); ++i) {
    char c = i < s.size() ? s[i] : '-';
    bool digit = c >= '0' && c <= '9';
    run = digit ? run + 1 : 0;
    if (run >= kIdDigitRun) return true;
    if (c == '-' || c == '.' || c == '_') {
      if (part >= kHashPartChars && part_digit && part_alpha) return true;
      part = 0;
      part_digit = part_alpha = false;
    } else {
      ++part;
      part_digit |= digit;
      part_alpha |= !digit;
    }
  }
  return false;
}

// The name without trailing '-'-separated parts that hold a digit: the instance parts of a pod
// or machine name ("payments-api-7f9c8d6b5-x2x9z" -> "payments-api",
// "checkout-009124-15c3761" -> "checkout"). Empty when fewer than kMinServiceChars remain
// ("i-025be035638b8" -> "").
constexpr size_t kMinServiceChars = 3;

bool HoldsDigit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view WithoutInstanceParts(std::string_view s) {
  std::string_view head = s;
  bool cut = false;
  for (size_t dash; (dash = head.rfind('-')) != std::string_view::npos;) {
    std::string_view part = head.substr(dash + 1), before = head.substr(0, dash);
    // A pod's random tail may hold no digit ("checkout-7f9c8d6b5-bqwlk"): it goes with the
    // replica set's hash before it.
    size_t prev = before.rfind('-');
    bool pod_tail = !cut && part.size() == 5 && prev != std::string_view::npos &&
                    HoldsDigit(before.substr(prev + 1));
    if (!HoldsDigit(part) && !pod_tail) break;
    head = before;
    cut = true;
  }
  if (!cut || head.size() < kMinServiceChars) return {};
  return head;
}

bool IsServiceWord(std::string_view s) {
  if (s.empty() || s.size() > 64 || s.front() == '.' || LooksLikeId(s)) return false;
  bool letter = false;
  for (char c : s) {
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    letter |= alpha;
    if (!alpha && !(c >= '0' && c <= '9') && c != '-' && c != '_' && c != '.') return false;
  }
  return letter;
}

}  // namespace

std::string_view LogStem(std::string_view name) {
  bool rotated = false;  // one rotation mark at most: "ip-10-6-147-225" is not 4 rotations
  for (bool changed = true; changed && !name.empty();) {
    changed = false;
    for (std::string_view ext : kExtensions) {
      if (name.size() > ext.size() && ToLower(name.substr(name.size() - ext.size())) == ext) {
        name.remove_suffix(ext.size());
        changed = true;
      }
    }
    if (std::string_view r = WithoutRotation(name); !rotated && r.size() < name.size()) {
      name = r;
      changed = rotated = true;
    }
  }
  return name;
}

std::string ServiceFromPath(std::string_view path) {
  std::string_view p = path;
  while (!p.empty() && p.back() == '/') p.remove_suffix(1);
  size_t slash = p.rfind('/');
  std::string_view name = slash == std::string_view::npos ? p : p.substr(slash + 1);
  std::string_view stem = LogStem(name);
  if (!IsGeneric(stem)) {
    if (IsServiceWord(stem)) return std::string(stem);
    std::string_view named = WithoutInstanceParts(stem);
    return IsServiceWord(named) && !IsGeneric(named) ? std::string(named) : "";
  }
  // A generic file name: its folder, when the folder names a service.
  return FolderServiceCandidate(p);
}

std::string FolderServiceCandidate(std::string_view path) {
  std::string_view p = path;
  while (!p.empty() && p.back() == '/') p.remove_suffix(1);
  size_t slash = p.rfind('/');
  if (slash == std::string_view::npos) return "";
  std::string_view dir = p.substr(0, slash);
  size_t dslash = dir.rfind('/');
  std::string_view folder = dslash == std::string_view::npos ? dir : dir.substr(dslash + 1);
  if (IsServiceWord(folder) && !IsGeneric(folder) && !HasDigit(folder)) return std::string(folder);
  return "";
}

}  // namespace inquest
