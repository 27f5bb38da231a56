// The dashboard over HTTP: cpp-httplib on a loopback address, each request handed to
// Dashboard (dashboard.h).
//
//   DashboardServer server(&dashboard);
//   INQ_ASSIGN_OR_RETURN(int port, server.Bind("127.0.0.1", 0));   // 0: any free port
//   std::thread t([&] { server.Serve(); });  ...  server.Stop(); t.join();
#ifndef INQUEST_DASHBOARD_SERVER_H_
#define INQUEST_DASHBOARD_SERVER_H_

#include <memory>
#include <string>

#include "base/status.h"
#include "dashboard/dashboard.h"

namespace httplib {
class Server;
}

namespace inquest::dashboard {

class DashboardServer {
 public:
  // `dashboard` must outlive this.
  explicit DashboardServer(Dashboard* dashboard);
  ~DashboardServer();
  DashboardServer(const DashboardServer&) = delete;
  DashboardServer& operator=(const DashboardServer&) = delete;

  // Binds `host` (a loopback address: 127.0.0.1 or ::1) and `port` (0: a free one); returns the
  // port. IoError when the port is taken; InvalidArgument for a non-loopback host.
  Result<int> Bind(const std::string& host, int port);
  // Answers requests until Stop(); returns an error when the server could not run.
  Status Serve();
  // Callable from any thread; Serve() returns soon after.
  void Stop();

 private:
  Dashboard* dashboard_;
  std::unique_ptr<httplib::Server> server_;
};

}  // namespace inquest::dashboard

#endif  // INQUEST_DASHBOARD_SERVER_H_
