// HTTP for the ticket sync: a request/response pair, a transport interface (so tests can answer
// from memory) and the libcurl transport that talks to GitHub and Jira.
//
//   CurlTransport http;
//   INQ_ASSIGN_OR_RETURN(HttpResponse r, http.Send({.method = "GET", .url = url, .headers = h}));
//   if (r.status == 200) ... r.Header("link") ...
#ifndef INQUEST_STORE_SYNC_HTTP_H_
#define INQUEST_STORE_SYNC_HTTP_H_

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace inquest::store {

struct HttpRequest {
  std::string method = "GET";  // GET, POST, PUT, PATCH
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // name, value
  std::string body;                                          // sent as is (JSON)
  // HTTP Basic credentials (Jira Cloud: account email and API token), encoded by libcurl;
  // empty user: none.
  std::string basic_user;
  std::string basic_password;
};

struct HttpResponse {
  int status = 0;
  // Header names in lower case (HTTP names are case-insensitive); a repeated header keeps its
  // last value.
  std::map<std::string, std::string, std::less<>> headers;
  std::string body;

  // The value of header `lower_name`, or empty.
  std::string_view Header(std::string_view lower_name) const;
};

// Sends one request. A Result error means no HTTP answer at all (connection refused, timeout,
// TLS failure): IoError naming the URL. Any HTTP status, 4xx and 5xx included, is a response.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

// libcurl. Follows no redirects (an API that redirects a POST is misconfigured), verifies TLS
// certificates, and gives up on a request after `timeout`. Thread-compatible: one instance
// per thread.
class CurlTransport : public HttpTransport {
 public:
  // A tracker that has not answered in this long is down, not slow.
  static constexpr std::chrono::seconds kDefaultTimeout{30};
  explicit CurlTransport(std::chrono::seconds timeout = kDefaultTimeout);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Result<HttpResponse> Send(const HttpRequest& request) override;

 private:
  void* curl_;  // CURL*, reused so connections are kept alive between requests
  std::chrono::seconds timeout_;
};

// The URL of rel="next" in an RFC 8288 Link header (GitHub's pagination), or empty:
//   <https://api.github.com/repositories/1/issues?page=2>; rel="next", <...>; rel="last"
std::string LinkNext(std::string_view link_header);

// Where a request, and the credentials it carries, goes: an http(s) URL's scheme, host (lower
// case; an IPv6 address in its brackets) and port (443 or 80 when not written).
struct UrlOrigin {
  std::string scheme;
  std::string host;
  int port = 0;
  bool operator==(const UrlOrigin&) const = default;
};

// InvalidArgument naming the URL for anything but scheme://host[:port][/...] with scheme http
// or https: user info ("user@host", which hides the real host from a reader), an empty host,
// characters no host name holds.
Result<UrlOrigin> ParseOrigin(std::string_view url);

// localhost, 127.0.0.0/8 or [::1]: a server on this machine.
bool IsLoopbackHost(std::string_view host);

// The URL a tracker's token is sent to: https, or http on a loopback host when
// `allow_http_loopback` (tests and local mocks, asked for by name). InvalidArgument naming
// `what` and the URL otherwise: a token sent over plain http can be read on the way.
Status CheckApiUrl(std::string_view url, std::string_view what, bool allow_http_loopback);

// Whether `url` goes to the same scheme, host and port as `base`: only there may a request
// carry the token (a Link header's next page on another host, or over http, is not followed).
bool SameOrigin(std::string_view url, std::string_view base);

// "%XX"-encodes everything but RFC 3986 unreserved characters (for query values such as JQL).
std::string UrlEncode(std::string_view s);

// The URL without its trailing slashes, so paths can be appended to it.
std::string TrimSlash(std::string url);

// Pages of a listing followed before giving up: far beyond any real label's issues, and a
// Link header or cursor that loops must not keep a sync running forever.
inline constexpr int kMaxPages = 1000;

// The start of an error body for a message: at most a few hundred bytes, one line, printable.
std::string BodyExcerpt(std::string_view body);

}  // namespace inquest::store

#endif  // INQUEST_STORE_SYNC_HTTP_H_
