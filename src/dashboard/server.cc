#include "dashboard/server.h"

#include <fmt/format.h>
#include <httplib.h>

#include "base/strings.h"

namespace inquest::dashboard {
namespace {

// A status form of a few hundred items is a few kilobytes; anything far larger is not ours.
constexpr size_t kMaxRequestBytes = 1u << 20;
// A request that stalls this long is dropped (a slow client must not hold a worker).
constexpr int kReadTimeoutSeconds = 10;

WebRequest Convert(const httplib::Request& in) {
  WebRequest out;
  out.method = in.method;
  out.path = in.path;
  for (const auto& [name, value] : in.headers) out.headers[ToLower(name)] = value;
  // httplib puts the query and, for application/x-www-form-urlencoded bodies, the form
  // fields into params.
  for (const auto& [name, value] : in.params) out.params.emplace(name, value);
  return out;
}

void Reply(const WebResponse& in, httplib::Response* out) {
  out->status = in.status;
  for (const auto& [name, value] : in.headers) out->set_header(name, value);
  out->set_content(in.body.str(), in.content_type);
}

}  // namespace

DashboardServer::DashboardServer(Dashboard* dashboard)
    : dashboard_(dashboard), server_(std::make_unique<httplib::Server>()) {
  server_->set_payload_max_length(kMaxRequestBytes);
  server_->set_read_timeout(kReadTimeoutSeconds, 0);
  auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    Reply(dashboard_->Handle(Convert(req)), &res);
  };
  // One handler for every path: routing is Dashboard's.
  server_->Get(".*", handler);
  server_->Post(".*", handler);
  server_->Put(".*", handler);
  server_->Delete(".*", handler);
  server_->Patch(".*", handler);
}

DashboardServer::~DashboardServer() = default;

Result<int> DashboardServer::Bind(const std::string& host, int port) {
  if (host != "127.0.0.1" && host != "::1" && host != "localhost")
    return Status::InvalidArgument(
        fmt::format("the dashboard listens on loopback only (127.0.0.1 or ::1), not '{}'", host));
  if (port < 0 || port > 65535)
    return Status::InvalidArgument(fmt::format("port {} is out of range", port));
  int bound =
      port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, port) ? port : -1);
  if (bound <= 0)
    return Status::IoError(fmt::format("cannot listen on {}:{} (in use?)", host, port));
  return bound;
}

Status DashboardServer::Serve() {
  if (!server_->listen_after_bind()) return Status::IoError("the dashboard server stopped");
  return Status::Ok();
}

void DashboardServer::Stop() { server_->stop(); }

}  // namespace inquest::dashboard
