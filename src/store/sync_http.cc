#include "store/sync_http.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <cctype>
#include <mutex>
#include <vector>

#include "base/strings.h"

namespace inquest::store {
namespace {

// A tracker's answer to one API page is a few hundred kilobytes at most (100 issues); more
// than this is not an API answer and is refused rather than held in memory.
constexpr size_t kMaxResponseBytes = 64u << 20;
// Characters of an error body quoted in a message.
constexpr size_t kExcerptChars = 300;

struct Received {
  HttpResponse* response;
  bool too_large = false;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* r = static_cast<Received*>(user);
  size_t n = size * count;
  if (r->response->body.size() + n > kMaxResponseBytes) {
    r->too_large = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  r->response->body.append(data, n);
  return n;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* r = static_cast<Received*>(user);
  size_t n = size * count;
  std::string_view line(data, n);
  if (StartsWithIgnoreCase(line, "HTTP/")) {
    r->response->headers.clear();  // a new response (after 100 Continue): forget the old one
    return n;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  r->response->headers[ToLower(TrimSpace(line.substr(0, colon)))] =
      std::string(TrimSpace(line.substr(colon + 1)));
  return n;
}

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

std::string_view HttpResponse::Header(std::string_view lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string_view() : std::string_view(it->second);
}

CurlTransport::CurlTransport(std::chrono::seconds timeout) : timeout_(timeout) {
  GlobalInit();
  curl_ = curl_easy_init();
}

CurlTransport::~CurlTransport() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

Result<HttpResponse> CurlTransport::Send(const HttpRequest& request) {
  CURL* c = static_cast<CURL*>(curl_);
  if (c == nullptr) return Status::Internal("libcurl could not be initialised");
  curl_easy_reset(c);
  HttpResponse response;
  Received received{&response};
  curl_slist* headers = nullptr;
  for (const auto& [name, value] : request.headers)
    headers = curl_slist_append(headers, fmt::format("{}: {}", name, value).c_str());
  // curl adds "Expect: 100-continue" to large POSTs; the APIs answer without it.
  headers = curl_slist_append(headers, "Expect:");
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method != "GET") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }
  if (!request.basic_user.empty()) {
    curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(c, CURLOPT_USERNAME, request.basic_user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, request.basic_password.c_str());
  }
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(timeout_.count()));
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // whatever curl can decode
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &received);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &received);
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(headers);
  if (received.too_large)
    return Status::BadInput(fmt::format("{} {}: the response is larger than {} MiB", request.method,
                                        request.url, kMaxResponseBytes >> 20));
  if (rc != CURLE_OK)
    return Status::IoError(fmt::format("{} {}: {}", request.method, request.url,
                                       error[0] != '\0' ? error : curl_easy_strerror(rc)));
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

std::string LinkNext(std::string_view link_header) {
  // Each link is "<url>; param; param", links separated by commas (a URL holds no '>').
  size_t pos = 0;
  while (pos < link_header.size()) {
    size_t open = link_header.find('<', pos);
    if (open == std::string_view::npos) break;
    size_t close = link_header.find('>', open);
    if (close == std::string_view::npos) break;
    size_t end = link_header.find('<', close);
    std::string_view params = link_header.substr(
        close + 1, end == std::string_view::npos ? std::string_view::npos : end - close - 1);
    for (std::string_view p : Split(params, ';')) {
      p = TrimSpace(p);
      while (!p.empty() && (p.back() == ',' || p.back() == ' ')) p.remove_suffix(1);
      if (EqualsIgnoreCase(p, "rel=\"next\"") || EqualsIgnoreCase(p, "rel=next"))
        return std::string(link_header.substr(open + 1, close - open - 1));
    }
    pos = close + 1;
  }
  return {};
}

Result<UrlOrigin> ParseOrigin(std::string_view url) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(fmt::format("'{}' is not a URL inquest sends requests to: {}",
                                               SanitizeForTerminal(url), why));
  };
  size_t sep = url.find("://");
  if (sep == std::string_view::npos) return bad("no scheme");
  UrlOrigin o;
  o.scheme = ToLower(url.substr(0, sep));
  if (o.scheme != "http" && o.scheme != "https") return bad("only http and https are used");
  std::string_view rest = url.substr(sep + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos) return bad("user info before the host");
  std::string_view host = authority, port;
  if (authority.starts_with('[')) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("an unclosed IPv6 address");
    host = authority.substr(0, close + 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after[0] != ':') return bad("characters after the IPv6 address");
    if (!after.empty()) port = after.substr(1);
    for (char ch : host.substr(1, host.size() - 2))
      if (!std::isxdigit(static_cast<unsigned char>(ch)) && ch != ':' && ch != '.')
        return bad("a character no IPv6 address holds");
  } else {
    size_t colon = authority.find(':');
    if (colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
    }
    for (char ch : host)
      if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '.' && ch != '_')
        return bad("a character no host name holds");
  }
  if (host.empty() || host == "[]") return bad("no host");
  o.host = ToLower(host);
  if (port.empty()) {
    o.port = o.scheme == "https" ? 443 : 80;
  } else {
    if (port.size() > 5) return bad("a port out of range");
    int p = 0;
    for (char ch : port) {
      if (!std::isdigit(static_cast<unsigned char>(ch))) return bad("a port that is not a number");
      p = p * 10 + (ch - '0');
    }
    if (p < 1 || p > 65535) return bad("a port out of range");
    o.port = p;
  }
  return o;
}

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost" || host == "[::1]") return true;
  // 127.0.0.0/8 written as a dotted quad.
  std::vector<std::string_view> parts = Split(host, '.');
  if (parts.size() != 4 || parts[0] != "127") return false;
  for (std::string_view p : parts) {
    if (p.empty() || p.size() > 3) return false;
    int v = 0;
    for (char ch : p) {
      if (!std::isdigit(static_cast<unsigned char>(ch))) return false;
      v = v * 10 + (ch - '0');
    }
    if (v > 255) return false;
  }
  return true;
}

Status CheckApiUrl(std::string_view url, std::string_view what, bool allow_http_loopback) {
  Result<UrlOrigin> o = ParseOrigin(url);
  if (!o.ok()) return Status::InvalidArgument(fmt::format("{}: {}", what, o.status().message()));
  if (o->scheme == "https") return Status::Ok();
  if (!IsLoopbackHost(o->host))
    return Status::InvalidArgument(fmt::format(
        "{} '{}' is not https: the token would cross the network in clear text", what, url));
  if (!allow_http_loopback)
    return Status::InvalidArgument(fmt::format(
        "{} '{}' is plain http; it is on this machine, so --allow-http-loopback accepts it (for "
        "tests and local mocks)",
        what, url));
  return Status::Ok();
}

bool SameOrigin(std::string_view url, std::string_view base) {
  Result<UrlOrigin> a = ParseOrigin(url), b = ParseOrigin(base);
  return a.ok() && b.ok() && *a == *b;
}

std::string TrimSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::string UrlEncode(std::string_view s) {
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~')
      out += static_cast<char>(ch);
    else
      out += fmt::format("%{:02X}", ch);
  }
  return out;
}

std::string BodyExcerpt(std::string_view body) {
  std::string one_line;
  for (char ch : body.substr(0, kExcerptChars)) one_line += (ch == '\n' || ch == '\r') ? ' ' : ch;
  std::string out = SanitizeForTerminal(TrimSpace(one_line));
  if (body.size() > kExcerptChars) out += "...";
  return out;
}

}  // namespace inquest::store
