#include "native/module_symbols.h"

namespace inquest {

namespace {

// Calls `take(name, address)` for each defined symbol of `mod` until it returns false.
template <typename Take>
void ForEachDefinedSymbol(Dwfl_Module* mod, Take take) {
  int n = dwfl_module_getsymtab(mod);
  for (int i = 0; i < n; ++i) {
    GElf_Sym sym;
    GElf_Addr addr = 0;
    GElf_Word shndx = 0;
    Elf* elf = nullptr;
    Dwarf_Addr bias = 0;
    const char* name = dwfl_module_getsym_info(mod, i, &sym, &addr, &shndx, &elf, &bias);
    if (name != nullptr && sym.st_shndx != SHN_UNDEF && !take(std::string_view(name), addr)) return;
  }
}

}  // namespace

uint64_t ModuleSymbol(Dwfl_Module* mod, std::string_view wanted) {
  uint64_t found = 0;
  ForEachDefinedSymbol(mod, [&](std::string_view name, uint64_t addr) {
    if (name != wanted) return true;
    found = addr;
    return false;
  });
  return found;
}

std::map<std::string, uint64_t, std::less<>> ModuleSymbols(
    Dwfl_Module* mod, const std::function<bool(std::string_view)>& wanted) {
  std::map<std::string, uint64_t, std::less<>> out;
  ForEachDefinedSymbol(mod, [&](std::string_view name, uint64_t addr) {
    if (wanted(name)) out.emplace(std::string(name), addr);
    return true;
  });
  return out;
}

std::string ModuleFile(Dwfl_Module* mod) {
  const char* file = nullptr;
  dwfl_module_info(mod, nullptr, nullptr, nullptr, nullptr, nullptr, &file, nullptr);
  return file != nullptr ? file : "";
}

namespace {

struct Search {
  std::string_view name;
  Dwfl_Module* found = nullptr;
  uint64_t addr = 0;
};

int Visit(Dwfl_Module* mod, void**, const char*, Dwarf_Addr, void* arg) {
  auto* s = static_cast<Search*>(arg);
  if (uint64_t a = ModuleSymbol(mod, s->name); a != 0) {
    s->found = mod;
    s->addr = a;
    return DWARF_CB_ABORT;
  }
  return DWARF_CB_OK;
}

}  // namespace

Dwfl_Module* ModuleWithSymbol(Dwfl* dwfl, std::string_view name, uint64_t* addr) {
  Search s{name};
  dwfl_getmodules(dwfl, Visit, &s, 0);
  if (addr != nullptr) *addr = s.addr;
  return s.found;
}

}  // namespace inquest
