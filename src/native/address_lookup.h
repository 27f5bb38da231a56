// One address of a reported Dwfl turned into module + offset, function + offset, source
// position and inline chain: the lookup under both Symbolizer and the core reader.
#ifndef INQUEST_NATIVE_ADDRESS_LOOKUP_H_
#define INQUEST_NATIVE_ADDRESS_LOOKUP_H_

#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

#include <string>

#include "native/symbolizer.h"

namespace inquest {

// Looks `address` up in `dwfl` (a return address one byte earlier, so the call's line is
// found). Never fails: unknown parts stay empty. Searches files for the module on first use, so
// call it inside a DwflSession::Scope.
SymbolizedAddress LookupAddress(Dwfl* dwfl, uint64_t address, AddressKind kind);

// The compile unit holding `lookup` (a module-relative address plus the module's bias, as
// libdwfl takes it), with *bias set. libdwfl finds it through .debug_aranges; binaries built by
// clang carry none by default, so then each unit's own address ranges are scanned (the DIE is
// kept in *storage). Null when no unit covers the address.
Dwarf_Die* ModuleCuDie(Dwfl_Module* mod, Dwarf_Addr lookup, Dwarf_Addr* bias, Dwarf_Die* storage);

// The scopes containing `addr` (relative to the CU's module) innermost first, through the
// concrete tree: blocks, each inlined subroutine and then the function it was inlined into, up
// to the compile unit. (dwarf_getscopes alone follows an inlined function into its abstract
// definition instead.) The caller frees *scopes; returns their count, 0 when none.
int ConcreteScopes(Dwarf_Die* cudie, Dwarf_Addr addr, Dwarf_Die** scopes);

// The demangled form of a C++ or Rust-free Itanium-ABI name, or `name` itself.
std::string Demangle(const char* name);

// The name of a subprogram or inlined-subroutine DIE (following abstract origins), demangled
// from its linkage name when it has one. Empty when it has none.
std::string DieFunctionName(Dwarf_Die* die);

}  // namespace inquest

#endif  // INQUEST_NATIVE_ADDRESS_LOOKUP_H_
