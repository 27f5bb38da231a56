#include "store/sync_retry.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "base/strings.h"
#include "base/time.h"

namespace inquest::store {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::system_clock;

// Bounds on header values before they become nanosecond durations (int64 nanoseconds end in
// 2262): a reset after kMaxYear or a Retry-After beyond a year is nonsense from the server, and
// either is already far above any RetryPolicy::max_wait, so clamping changes no decision.
constexpr int64_t kMaxEpochSeconds = int64_t{kMaxYear - 1970} * 365 * 86400;
constexpr int64_t kMaxRetryAfterSeconds = 365 * 86400;

bool IsUnavailable(int status) { return status == 502 || status == 503 || status == 504; }

// Retry-After is delay-seconds or an HTTP date (RFC 9110 10.2.3); curl_getdate reads the
// date forms HTTP allows.
std::optional<system_clock::time_point> RetryAfter(std::string_view v,
                                                   system_clock::time_point now) {
  v = TrimSpace(v);
  if (v.empty()) return std::nullopt;
  if (std::optional<int64_t> s = ParseInt(v); s && *s >= 0)
    return now + seconds(std::min(*s, kMaxRetryAfterSeconds));
  time_t t = curl_getdate(std::string(v).c_str(), nullptr);
  if (t < 0) return std::nullopt;
  return system_clock::time_point(seconds(std::min<int64_t>(t, kMaxEpochSeconds)));
}

// X-RateLimit-Reset: epoch seconds (GitHub) or an ISO 8601 time (Jira).
std::optional<system_clock::time_point> RateLimitReset(std::string_view v) {
  v = TrimSpace(v);
  if (v.empty()) return std::nullopt;
  if (std::optional<int64_t> s = ParseInt(v); s && *s >= 0)
    return system_clock::time_point(seconds(std::min(*s, kMaxEpochSeconds)));
  ParsedTime t;
  if (!ParseIso8601(v, TimeContext{}, &t) || t.consumed != v.size()) return std::nullopt;
  return system_clock::time_point(
      std::chrono::duration_cast<system_clock::duration>(std::chrono::nanoseconds(t.time)));
}

}  // namespace

bool IsRateLimited(const HttpResponse& r) {
  if (r.status == 429) return true;
  if (r.status != 403) return false;
  return TrimSpace(r.Header("x-ratelimit-remaining")) == "0" || !r.Header("retry-after").empty();
}

std::optional<milliseconds> RequestedWait(const HttpResponse& r, system_clock::time_point now) {
  std::optional<system_clock::time_point> until = RetryAfter(r.Header("retry-after"), now);
  if (!until && TrimSpace(r.Header("x-ratelimit-remaining")) == "0")
    until = RateLimitReset(r.Header("x-ratelimit-reset"));
  if (!until) return std::nullopt;
  return std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(*until - now));
}

RetryingTransport::RetryingTransport(HttpTransport* inner, RetryPolicy policy, Sleeper sleep,
                                     Clock now)
    : inner_(inner), policy_(policy), sleep_(std::move(sleep)), now_(std::move(now)) {
  if (!sleep_) sleep_ = [](milliseconds d) { std::this_thread::sleep_for(d); };
  if (!now_) now_ = [] { return system_clock::now(); };
}

Result<HttpResponse> RetryingTransport::Send(const HttpRequest& request) {
  milliseconds backoff = policy_.first_backoff;
  for (int attempt = 1;; ++attempt) {
    Result<HttpResponse> r = inner_->Send(request);
    std::optional<milliseconds> wait;
    std::string why;
    if (!r.ok()) {
      why = r.status().message();
    } else if (IsRateLimited(*r)) {
      wait = RequestedWait(*r, now_());
      why = fmt::format("{} rate limited", r->status);
    } else if (IsUnavailable(r->status)) {
      wait = RequestedWait(*r, now_());
      why = fmt::format("{} unavailable", r->status);
    } else {
      return r;
    }
    milliseconds delay = wait.value_or(backoff);
    if (attempt >= policy_.max_attempts) {
      stats_.last_note = fmt::format("{}; gave up after {} attempts", why, attempt);
      return r;
    }
    if (delay > policy_.max_wait) {
      stats_.last_note =
          fmt::format("{}; the tracker asks to wait {} s, more than the {} s allowed", why,
                      (delay.count() + 999) / 1000, policy_.max_wait.count());
      return r;
    }
    stats_.last_note =
        fmt::format("{}; waited {:.1f} s (attempt {})", why, delay.count() / 1000.0, attempt);
    ++stats_.retries;
    stats_.waited += delay;
    sleep_(delay);
    backoff *= 2;
  }
}

}  // namespace inquest::store
