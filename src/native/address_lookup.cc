#include "native/address_lookup.h"

#include <cxxabi.h>
#include <dwarf.h>

#include <cstdlib>
#include <cstring>

namespace inquest {
namespace {

struct Position {
  std::string file;
  int line = 0;
  int column = 0;
};

// DW_AT_call_file/line/column of an inlined-subroutine DIE: where it was inlined.
Position CallSite(Dwarf_Die* die, Dwarf_Die* cudie) {
  Position p;
  Dwarf_Attribute attr;
  Dwarf_Word value = 0;
  if (dwarf_formudata(dwarf_attr(die, DW_AT_call_line, &attr), &value) == 0) {
    p.line = static_cast<int>(value);
  }
  if (dwarf_formudata(dwarf_attr(die, DW_AT_call_column, &attr), &value) == 0) {
    p.column = static_cast<int>(value);
  }
  if (dwarf_formudata(dwarf_attr(die, DW_AT_call_file, &attr), &value) == 0) {
    Dwarf_Files* files = nullptr;
    size_t nfiles = 0;
    if (dwarf_getsrcfiles(cudie, &files, &nfiles) == 0 && value < nfiles) {
      const char* name = dwarf_filesrc(files, value, nullptr, nullptr);
      if (name != nullptr) p.file = name;
    }
  }
  return p;
}

}  // namespace

Dwarf_Die* ModuleCuDie(Dwfl_Module* mod, Dwarf_Addr lookup, Dwarf_Addr* bias, Dwarf_Die* storage) {
  if (Dwarf_Die* die = dwfl_module_addrdie(mod, lookup, bias)) return die;
  Dwarf* dwarf = dwfl_module_getdwarf(mod, bias);
  if (dwarf == nullptr) return nullptr;
  Dwarf_Off offset = 0, next = 0;
  size_t header_size = 0;
  while (dwarf_nextcu(dwarf, offset, &next, &header_size, nullptr, nullptr, nullptr) == 0) {
    if (dwarf_offdie(dwarf, offset + header_size, storage) != nullptr &&
        dwarf_haspc(storage, lookup - *bias) > 0)
      return storage;
    offset = next;
  }
  return nullptr;
}

int ConcreteScopes(Dwarf_Die* cudie, Dwarf_Addr addr, Dwarf_Die** scopes) {
  *scopes = nullptr;
  Dwarf_Die* first = nullptr;
  int n = dwarf_getscopes(cudie, addr, &first);
  if (n <= 0) {
    std::free(first);
    return 0;
  }
  Dwarf_Die inner = first[0];
  std::free(first);
  n = dwarf_getscopes_die(&inner, scopes);
  return n > 0 ? n : 0;
}

std::string Demangle(const char* name) {
  if (name == nullptr) return {};
  if (name[0] != '_' || name[1] != 'Z') return name;
  int status = 0;
  char* out = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  if (out == nullptr || status != 0) {
    std::free(out);
    return name;
  }
  std::string result(out);
  std::free(out);
  return result;
}

std::string DieFunctionName(Dwarf_Die* die) {
  Dwarf_Attribute attr;
  const char* linkage = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_linkage_name, &attr));
  if (linkage == nullptr) {
    linkage = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &attr));
  }
  if (linkage != nullptr) return Demangle(linkage);
  const char* name = dwarf_diename(die);
  return name != nullptr ? name : "";
}

SymbolizedAddress LookupAddress(Dwfl* dwfl, uint64_t address, AddressKind kind) {
  SymbolizedAddress out;
  out.address = address;
  // A return address is the instruction after the call; the call itself is one byte earlier.
  const uint64_t lookup =
      kind == AddressKind::kReturnAddress && address > 0 ? address - 1 : address;
  Dwfl_Module* mod = dwfl_addrmodule(dwfl, lookup);
  if (mod == nullptr) return out;
  Dwarf_Addr start = 0;
  const char* modname =
      dwfl_module_info(mod, nullptr, &start, nullptr, nullptr, nullptr, nullptr, nullptr);
  out.module = modname != nullptr ? modname : "";
  Dwarf_Addr bias = 0;
  if (dwfl_module_getelf(mod, &bias) != nullptr) {
    out.module_offset = address - bias;
  } else {
    out.module_offset = address - start;
  }
  GElf_Off sym_offset = 0;
  GElf_Sym sym;
  const char* symname =
      dwfl_module_addrinfo(mod, lookup, &sym_offset, &sym, nullptr, nullptr, nullptr);
  if (symname != nullptr) {
    // "__libc_start_main@@GLIBC_2.34": the symbol version is not part of the name.
    std::string_view plain(symname);
    plain = plain.substr(0, plain.find('@'));
    out.function = Demangle(std::string(plain).c_str());
    out.function_offset = sym_offset + (address - lookup);
  }

  Position pos;
  Dwarf_Addr cu_bias = 0;
  Dwarf_Die cu_storage;
  Dwarf_Die* cudie = ModuleCuDie(mod, lookup, &cu_bias, &cu_storage);
  if (Dwfl_Line* line = dwfl_module_getsrc(mod, lookup)) {
    int lineno = 0, col = 0;
    const char* file = dwfl_lineinfo(line, nullptr, &lineno, &col, nullptr, nullptr);
    if (file != nullptr) pos.file = file;
    pos.line = lineno;
    pos.column = col;
  } else if (cudie != nullptr) {  // no .debug_aranges: the unit's own line table
    if (Dwarf_Line* line = dwarf_getsrc_die(cudie, lookup - cu_bias)) {
      int lineno = 0, col = 0;
      if (const char* file = dwarf_linesrc(line, nullptr, nullptr)) pos.file = file;
      dwarf_lineno(line, &lineno);
      dwarf_linecol(line, &col);
      pos.line = lineno;
      pos.column = col;
    }
  }
  if (cudie != nullptr) {
    Dwarf_Die* scopes = nullptr;
    int n = ConcreteScopes(cudie, lookup - cu_bias, &scopes);
    for (int i = 0; i < n; ++i) {
      int tag = dwarf_tag(&scopes[i]);
      if (tag == DW_TAG_inlined_subroutine) {
        out.inlined.push_back({DieFunctionName(&scopes[i]), pos.file, pos.line, pos.column});
        pos = CallSite(&scopes[i], cudie);
      } else if (tag == DW_TAG_subprogram) {
        // The symbol table's name wins when there is one: libdwfl picks the global symbol over
        // internal aliases (raise, not __GI_raise), as eu-stack shows it.
        std::string name = out.function.empty() ? DieFunctionName(&scopes[i]) : std::string();
        if (!name.empty()) {
          out.function = std::move(name);
          Dwarf_Addr low = 0;
          if (dwarf_entrypc(&scopes[i], &low) == 0) out.function_offset = address - cu_bias - low;
        }
        break;
      }
    }
    std::free(scopes);
  }
  out.file = std::move(pos.file);
  out.line = pos.line;
  out.column = pos.column;
  return out;
}

}  // namespace inquest
