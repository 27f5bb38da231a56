// [[wait_sites]] tables as users write them in inquest.toml: the parser on any bytes, and a
// table that parses matched against stacks made of the same bytes.
#include <string_view>

#include "dumps/wait_sites.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  inquest::Result<inquest::WaitSiteTable> t =
      inquest::WaitSiteTable::Parse(bytes, "fuzz.toml", /*user=*/true);
  if (!t.ok()) return 0;
  for (const inquest::WaitSite& s : t->sites())
    if (s.resource.empty() || (s.frame.empty() && s.lock.empty())) __builtin_trap();
  // Frames cut from the input, matched under every runtime.
  inquest::WaitQuery q;
  for (size_t i = 0; i < bytes.size(); i += 16)
    q.frames.push_back({bytes.substr(i, 24), (i / 16) % 2 == 0});
  q.waiting.push_back(bytes.substr(0, 32));
  q.state = bytes.substr(0, 8);
  for (auto r :
       {inquest::WaitRuntime::kGo, inquest::WaitRuntime::kJava, inquest::WaitRuntime::kPython}) {
    q.runtime = r;
    inquest::WaitMatch m = t->Match(q);
    if (m.site != nullptr && m.frame >= static_cast<int>(q.frames.size())) __builtin_trap();
  }
  return 0;
}
