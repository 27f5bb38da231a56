// The dashboard's request handling (dashboard/dashboard.h), which answers whatever a browser or
// a script on the machine sends. The input is one request as text:
//
//   METHOD PATH
//   header-name: value          (until an empty line)
//   key=value                   (query parameters and form fields, one per line)
//
// Over a SQLite store with an incident and three action items, writes allowed with the token
// "fuzz-token". Never a crash; every answer has a known status; a write is never accepted from
// a request that does not carry the token.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "dashboard/dashboard.h"
#include "store/store.h"

namespace {

constexpr std::string_view kToken = "fuzz-token";

// The store's folder, removed at exit.
std::string& StoreDir() {
  static std::string dir;
  return dir;
}

inquest::store::Store* TheStore() {
  static std::unique_ptr<inquest::store::Store> store = [] {
    char dir[] = "/tmp/inquest-dashboard-fuzz-XXXXXX";
    if (mkdtemp(dir) == nullptr) std::abort();
    StoreDir() = dir;
    std::atexit([] { std::filesystem::remove_all(StoreDir()); });
    auto s = inquest::store::OpenStore(std::string(dir) + "/inquest.db", {});
    if (!s.ok()) std::abort();
    inquest::store::Incident inc;
    inc.title = "checkout 5xx";
    inc.sev = "SEV-2";
    auto id = (*s)->PutIncident(inc);
    if (!id.ok()) std::abort();
    for (int i = 0; i < 3; ++i) {
      inquest::store::ActionItem a;
      a.incident_id = *id;
      a.action = "action " + std::to_string(i);
      a.owner = "sre";
      if (!(*s)->AddAction(a).ok()) std::abort();
    }
    return std::move(s).value();
  }();
  return store.get();
}

std::string_view NextLine(std::string_view* text) {
  size_t nl = text->find('\n');
  std::string_view line = text->substr(0, nl);
  text->remove_prefix(nl == std::string_view::npos ? text->size() : nl + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static inquest::dashboard::Dashboard dashboard(
      TheStore(), {.allow_writes = true, .token = std::string(kToken)});
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  std::string_view text = all;
  inquest::dashboard::WebRequest req;
  std::string_view first = NextLine(&text);
  size_t sp = first.find(' ');
  req.method = std::string(first.substr(0, sp));
  req.path = sp == std::string_view::npos ? "/" : std::string(first.substr(sp + 1));
  for (std::string_view line = NextLine(&text); !line.empty(); line = NextLine(&text)) {
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    req.headers[std::string(line.substr(0, colon))] = std::string(value);
  }
  while (!text.empty()) {
    std::string_view line = NextLine(&text);
    size_t eq = line.find('=');
    req.params.emplace(std::string(line.substr(0, eq)),
                       eq == std::string_view::npos ? "" : std::string(line.substr(eq + 1)));
  }
  inquest::dashboard::WebResponse r = dashboard.Handle(req);
  if (r.status < 200 || r.status > 599) std::abort();
  // A write that was accepted carried the token somewhere in the request.
  bool wrote = req.method == "POST" && (r.status == 200 || r.status == 303);
  if (wrote && all.find(kToken) == std::string_view::npos) std::abort();
  return 0;
}
