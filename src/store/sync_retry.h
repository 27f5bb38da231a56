// Rate limits and transient failures of the trackers' REST APIs: a transport that retries
// with bounded waits, as GitHub and Jira document.
//
// A response is retried when it is
//   - 429 Too Many Requests (GitHub, Jira), or 403 with "x-ratelimit-remaining: 0" or a
//     Retry-After header (GitHub's primary and secondary rate limits);
//   - 502, 503 or 504 (a proxy or the service is briefly down).
// The wait is Retry-After (seconds or an HTTP date) when given, else the time until
// X-RateLimit-Reset (epoch seconds on GitHub, an ISO 8601 time on Jira), else an exponential
// backoff. A wait longer than `max_wait` is not slept: the limited response is returned at once
// with a note, so a run never blocks for an hour on a spent quota.
//
//   RetryingTransport http(&curl, RetryPolicy{});
//   INQ_ASSIGN_OR_RETURN(HttpResponse r, http.Send(request));
#ifndef INQUEST_STORE_SYNC_RETRY_H_
#define INQUEST_STORE_SYNC_RETRY_H_

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "store/sync_http.h"

namespace inquest::store {

struct RetryPolicy {
  // Attempts per request, the first included: enough to ride out a secondary rate limit or a
  // restarting proxy, few enough that a dead tracker fails the run within minutes.
  int max_attempts = 4;
  // The longest single wait slept; GitHub's secondary limits ask for "at least one minute".
  std::chrono::seconds max_wait{90};
  // First backoff when the response names no wait; doubled each attempt.
  std::chrono::milliseconds first_backoff{1000};
};

// What the transport did, for the run's report.
struct RetryStats {
  int retries = 0;
  std::chrono::milliseconds waited{0};
  std::string last_note;  // why the last retry or give-up happened, e.g. "429, Retry-After 2 s"
};

class RetryingTransport : public HttpTransport {
 public:
  using Sleeper = std::function<void(std::chrono::milliseconds)>;
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  // `inner` must outlive this. `sleep` and `now` default to the real ones (tests pass fakes).
  RetryingTransport(HttpTransport* inner, RetryPolicy policy, Sleeper sleep = nullptr,
                    Clock now = nullptr);

  // The last response when every attempt was limited or failed; a transport error (no answer)
  // is retried like a 503 and returned when the attempts run out.
  Result<HttpResponse> Send(const HttpRequest& request) override;

  const RetryStats& stats() const { return stats_; }

 private:
  HttpTransport* inner_;
  RetryPolicy policy_;
  Sleeper sleep_;
  Clock now_;
  RetryStats stats_;
};

// True when `r` is a rate-limit answer (429, or 403 carrying the rate-limit headers).
bool IsRateLimited(const HttpResponse& r);

// The wait a rate-limited or unavailable response asks for, from Retry-After or
// X-RateLimit-Reset relative to `now`; nullopt when it names none.
std::optional<std::chrono::milliseconds> RequestedWait(const HttpResponse& r,
                                                       std::chrono::system_clock::time_point now);

}  // namespace inquest::store

#endif  // INQUEST_STORE_SYNC_RETRY_H_
