// The dashboard's requests and answers, independent of the HTTP server (server.h adapts
// cpp-httplib to it), so every rule is testable without a socket:
//
//   GET  /                    the page (page.h) from the store as it is now
//   POST /actions             the page's status form (page.h: kStatusFormPath): token field,
//                             status-<id> / was-<id> pairs; answers 303 to /?changed=N&stale=M
//   POST /api/actions/<id>    one status change for scripts: token in X-Inquest-Token or
//                             "Authorization: Bearer", form field status (and note); JSON answer
//
// Writes are refused (403) unless DashboardOptions::allow_writes, and need the token in a
// header or form field -- never a cookie, so another site cannot make a browser send it
// (CSRF). Requests whose Host is not a loopback name are refused (DNS rebinding), and so are
// writes whose Origin or Sec-Fetch-Site says they come from another site. Every answer carries
// a Content-Security-Policy that forbids scripts and outside resources.
#ifndef INQUEST_DASHBOARD_DASHBOARD_H_
#define INQUEST_DASHBOARD_DASHBOARD_H_

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "base/output.h"
#include "dashboard/summary.h"
#include "store/store.h"

namespace inquest::dashboard {

struct DashboardOptions {
  bool allow_writes = false;
  std::string token;  // required (non-empty) when allow_writes
  SummaryOptions summary;
  std::function<TimePoint()> clock;  // null: the system clock
};

struct WebRequest {
  std::string method;                          // "GET", "POST"
  std::string path;                            // without the query
  std::map<std::string, std::string> headers;  // names in lower case
  // Query parameters and, for form posts, the decoded form fields.
  std::multimap<std::string, std::string> params;
};

struct WebResponse {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  // What the browser gets has passed the output boundary (base/output.h): RedactHtml for
  // pages, the JSON writer for the API.
  Redacted body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Location...)
};

class Dashboard {
 public:
  // `store` must outlive this; it is only used under an internal lock, so Handle may be called
  // from several threads.
  Dashboard(store::Store* store, DashboardOptions options);

  WebResponse Handle(const WebRequest& request);

 private:
  WebResponse Page(const WebRequest& request);
  WebResponse FormPost(const WebRequest& request);
  WebResponse ApiPost(const WebRequest& request, std::string_view id_text);
  // The reason a write is refused, or empty when it may go on.
  std::string RefuseWrite(const WebRequest& request, std::string_view token);
  TimePoint Now() const;

  store::Store* store_;
  DashboardOptions options_;
  std::mutex mu_;
};

// True when `host` (a Host header value, with or without port) names this machine's loopback.
bool IsLoopbackHost(std::string_view host);
// Compares in time independent of where the strings differ (token checks).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace inquest::dashboard

#endif  // INQUEST_DASHBOARD_DASHBOARD_H_
