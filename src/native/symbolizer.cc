#include "native/symbolizer.h"

#include <algorithm>
#include <map>

#include "native/address_lookup.h"
#include "native/dwfl_session.h"

namespace inquest {

struct Symbolizer::Impl {
  std::unique_ptr<DwflSession> session;
};

Symbolizer::Symbolizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Symbolizer::Symbolizer(Symbolizer&&) noexcept = default;
Symbolizer& Symbolizer::operator=(Symbolizer&&) noexcept = default;
Symbolizer::~Symbolizer() = default;

namespace {

// Hex build-id to bytes; empty on any non-hex digit.
std::vector<unsigned char> ParseHex(const std::string& hex) {
  std::vector<unsigned char> out;
  if (hex.size() % 2 != 0) return out;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = digit(hex[i]), lo = digit(hex[i + 1]);
    if (hi < 0 || lo < 0) return {};
    out.push_back(static_cast<unsigned char>(hi * 16 + lo));
  }
  return out;
}

}  // namespace

Result<Symbolizer> Symbolizer::Create(const std::vector<ModuleMapping>& mappings,
                                      const SymbolSearch& search) {
  INQ_ASSIGN_OR_RETURN(std::unique_ptr<DwflSession> session, DwflSession::Create(search));
  // One module per path: from its lowest address to its highest end. libdwfl finds the load
  // bias from the file's first PT_LOAD against the module's start.
  struct Range {
    uint64_t start = UINT64_MAX, end = 0, first_offset = UINT64_MAX;
    std::string build_id;
  };
  std::map<std::string, Range> modules;
  std::string main_name;
  for (const ModuleMapping& m : mappings) {
    if (m.path.empty() || m.path[0] == '[' || m.end <= m.start) continue;
    if (main_name.empty()) main_name = m.path;  // maps list the executable first
    Range& r = modules[m.path];
    if (m.start < r.start) {
      r.start = m.start;
      r.first_offset = m.offset;
    }
    r.end = std::max(r.end, m.end);
    if (r.build_id.empty()) r.build_id = m.build_id;
  }
  session->set_main_module_name(main_name);
  Dwfl* dwfl = session->dwfl();
  dwfl_report_begin(dwfl);
  for (const auto& [path, r] : modules) {
    // A module whose first mapping is not at file offset 0 is reported at where offset 0
    // would be, which is where the ELF header and the first PT_LOAD sit.
    uint64_t start = r.first_offset <= r.start ? r.start - r.first_offset : r.start;
    Dwfl_Module* mod = dwfl_report_module(dwfl, path.c_str(), start, r.end);
    if (mod == nullptr) continue;  // overlaps an earlier module: the first one wins
    std::vector<unsigned char> bits = ParseHex(r.build_id);
    if (!bits.empty()) {
      // The vaddr is unknown here; 0 tells libdwfl to match the file's note wherever it is.
      (void)dwfl_module_report_build_id(mod, bits.data(), bits.size(), 0);
    }
  }
  dwfl_report_end(dwfl, nullptr, nullptr);
  auto impl = std::make_unique<Impl>();
  impl->session = std::move(session);
  return Symbolizer(std::move(impl));
}

SymbolizedAddress Symbolizer::Symbolize(uint64_t address, AddressKind kind) {
  DwflSession::Scope scope(impl_->session.get());
  return LookupAddress(impl_->session->dwfl(), address, kind);
}

std::vector<ModuleInfo> Symbolizer::Modules() { return impl_->session->DescribeAll(); }

}  // namespace inquest
