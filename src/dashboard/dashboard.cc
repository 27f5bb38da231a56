#include "dashboard/dashboard.h"

#include <fmt/format.h>

#include <chrono>

#include "base/json_writer.h"
#include "base/strings.h"
#include "dashboard/page.h"

namespace inquest::dashboard {
namespace {

// No script may run and nothing may load from elsewhere; styles are inline; forms post back
// to this server only.
constexpr std::string_view kSecurityPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'";
// The API path prefix for one item's status.
constexpr std::string_view kApiPrefix = "/api/actions/";
// The note every status change made here carries in the item's history.
constexpr std::string_view kChangeNote = "changed in the dashboard";

std::string_view Header(const WebRequest& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? std::string_view() : std::string_view(it->second);
}

std::string_view Param(const WebRequest& r, const std::string& name) {
  auto it = r.params.find(name);
  return it == r.params.end() ? std::string_view() : std::string_view(it->second);
}

WebResponse Secure(WebResponse r) {
  r.headers.emplace_back("Content-Security-Policy", std::string(kSecurityPolicy));
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  // Not "no-referrer": under it a browser sends "Origin: null" with the page's own form posts,
  // and the origin check below would refuse them. Ticket links to other sites get no referrer.
  r.headers.emplace_back("Referrer-Policy", "same-origin");
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

WebResponse ErrorPage(int status, std::string_view message) {
  WebResponse r;
  r.status = status;
  r.body = RedactHtml(fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>inquest: {0}"
      "</title></head><body><h1>{0}</h1><p id=\"error\">{1}</p><p><a href=\"/\">Back to the "
      "action items</a></p></body></html>\n",
      status, HtmlEscape(SanitizeUtf8(message))));
  return r;
}

WebResponse Json(int status, Redacted body) {
  WebResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(body);
  return r;
}

// The host part of a Host header or an Origin's authority: "[::1]:8080" -> "[::1]".
std::string_view HostName(std::string_view host) {
  if (host.starts_with("[")) {
    size_t close = host.find(']');
    return close == std::string_view::npos ? host : host.substr(0, close + 1);
  }
  return host.substr(0, host.find(':'));
}

}  // namespace

bool IsLoopbackHost(std::string_view host) {
  std::string_view name = HostName(TrimSpace(host));
  return EqualsIgnoreCase(name, "localhost") || name == "127.0.0.1" || name == "[::1]";
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  size_t n = std::max(a.size(), b.size());
  unsigned diff = a.size() != b.size();
  for (size_t i = 0; i < n; ++i) {
    unsigned char x = i < a.size() ? a[i] : 0, y = i < b.size() ? b[i] : 0;
    diff |= x ^ y;
  }
  return diff == 0;
}

Dashboard::Dashboard(store::Store* store, DashboardOptions options)
    : store_(store), options_(std::move(options)) {}

TimePoint Dashboard::Now() const {
  if (options_.clock) return options_.clock();
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

WebResponse Dashboard::Handle(const WebRequest& request) {
  if (!IsLoopbackHost(Header(request, "host")))
    return Secure(ErrorPage(421, "This dashboard answers only to localhost, 127.0.0.1 or [::1]."));
  if (request.method == "GET" || request.method == "HEAD") {
    if (request.path == "/") return Secure(Page(request));
    return Secure(ErrorPage(404, "No such page."));
  }
  if (request.method == "POST") {
    if (request.path == kStatusFormPath) return Secure(FormPost(request));
    if (request.path.starts_with(kApiPrefix))
      return Secure(ApiPost(request, std::string_view(request.path).substr(kApiPrefix.size())));
    return Secure(ErrorPage(404, "No such page."));
  }
  WebResponse r = ErrorPage(405, "Only GET and POST are served.");
  r.headers.emplace_back("Allow", "GET, HEAD, POST");
  return Secure(r);
}

WebResponse Dashboard::Page(const WebRequest& request) {
  std::lock_guard<std::mutex> lock(mu_);
  Result<Summary> summary = LoadSummary(store_, Now(), options_.summary);
  if (!summary.ok()) return ErrorPage(500, summary.status().ToString());
  PageOptions po;
  po.store_location = fmt::format("{}: {}", store_->backend(), store_->location());
  po.allow_writes = options_.allow_writes;
  std::optional<int64_t> changed = ParseInt(Param(request, "changed"));
  std::optional<int64_t> stale = ParseInt(Param(request, "stale"));
  if (changed) {
    po.notice = fmt::format("{} status change{} saved.", *changed, *changed == 1 ? "" : "s");
    if (stale && *stale > 0) {
      po.notice += fmt::format(
          " {} item{} had been changed by someone else meanwhile and {} left as stored; check "
          "{} and try again.",
          *stale, *stale == 1 ? "" : "s", *stale == 1 ? "was" : "were",
          *stale == 1 ? "it" : "them");
      po.notice_is_error = true;
    }
  }
  WebResponse r;
  r.body = RedactHtml(RenderPage(*summary, po));
  return r;
}

std::string Dashboard::RefuseWrite(const WebRequest& request, std::string_view token) {
  if (!options_.allow_writes)
    return "This dashboard is read-only: start it with --allow-writes --token to change "
           "statuses.";
  std::string_view site = Header(request, "sec-fetch-site");
  if (site == "cross-site" || site == "same-site")
    return "A status change must come from this dashboard's own page.";
  std::string_view origin = Header(request, "origin");
  if (!origin.empty()) {
    std::string_view authority = origin;
    if (authority.starts_with("http://")) authority.remove_prefix(7);
    if (authority != Header(request, "host") || !IsLoopbackHost(authority))
      return "A status change must come from this dashboard's own page.";
  }
  if (token.empty() || !ConstantTimeEquals(token, options_.token)) return "Wrong or missing token.";
  return {};
}

WebResponse Dashboard::FormPost(const WebRequest& request) {
  if (std::string why = RefuseWrite(request, Param(request, "token")); !why.empty())
    return ErrorPage(403, why);
  // Collect the changes first: a bad field refuses the whole form.
  struct Change {
    int64_t id;
    store::ActionStatus was, to;
  };
  std::vector<Change> changes;
  for (const auto& [name, value] : request.params) {
    if (!name.starts_with("status-")) continue;
    std::optional<int64_t> id = ParseInt(std::string_view(name).substr(7));
    if (!id || *id <= 0) return ErrorPage(400, fmt::format("Bad form field '{}'.", name));
    Result<store::ActionStatus> to = store::ParseActionStatus(value);
    if (!to.ok()) return ErrorPage(400, to.status().message());
    auto was_it = request.params.find(fmt::format("was-{}", *id));
    if (was_it == request.params.end())
      return ErrorPage(400, fmt::format("The form lacks was-{}.", *id));
    Result<store::ActionStatus> was = store::ParseActionStatus(was_it->second);
    if (!was.ok()) return ErrorPage(400, was.status().message());
    if (*to != *was) changes.push_back({*id, *was, *to});
  }
  int changed = 0, stale = 0;
  std::lock_guard<std::mutex> lock(mu_);
  for (const Change& c : changes) {
    Result<store::ActionItem> current = store_->GetAction(c.id);
    if (!current.ok()) return ErrorPage(404, current.status().message());
    if (current->status != c.was) {  // someone else changed it since the page was shown
      ++stale;
      continue;
    }
    store::ActionUpdate u;
    u.status = c.to;
    u.note = std::string(kChangeNote);
    Result<store::ActionItem> stored = store_->UpdateAction(c.id, u);
    if (!stored.ok()) return ErrorPage(500, stored.status().ToString());
    ++changed;
  }
  WebResponse r;
  r.status = 303;
  r.headers.emplace_back("Location", fmt::format("/?changed={}&stale={}", changed, stale));
  r.body = RedactHtml("<!DOCTYPE html>\n<p><a href=\"/\">Saved.</a></p>\n");
  return r;
}

WebResponse Dashboard::ApiPost(const WebRequest& request, std::string_view id_text) {
  std::string_view token = Header(request, "x-inquest-token");
  std::string_view auth = Header(request, "authorization");
  if (token.empty() && StartsWithIgnoreCase(auth, "Bearer ")) token = TrimSpace(auth.substr(7));
  auto error = [](int status, std::string_view msg) {
    JsonWriter j(JsonStyle::kCompact);
    return Json(status, j.BeginObject().Field("error", msg).EndObject().TakeLine());
  };
  if (std::string why = RefuseWrite(request, token); !why.empty()) return error(403, why);
  std::optional<int64_t> id = ParseInt(id_text);
  if (!id || *id <= 0) return error(404, "no such action item");
  Result<store::ActionStatus> to = store::ParseActionStatus(Param(request, "status"));
  if (!to.ok()) return error(400, to.status().message());
  store::ActionUpdate u;
  u.status = *to;
  std::string_view note = Param(request, "note");
  u.note = note.empty() ? std::string(kChangeNote) : std::string(note);
  std::lock_guard<std::mutex> lock(mu_);
  Result<store::ActionItem> stored = store_->UpdateAction(*id, u);
  if (!stored.ok())
    return error(stored.status().code() == StatusCode::kNotFound ? 404 : 500,
                 stored.status().message());
  JsonWriter j(JsonStyle::kCompact);
  j.BeginObject().Field("id", stored->id).Field("status", store::ActionStatusName(stored->status));
  return Json(200, j.EndObject().TakeLine());
}

}  // namespace inquest::dashboard
