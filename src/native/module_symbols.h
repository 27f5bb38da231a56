// Symbols by name among the modules libdwfl reported for a core: where a runtime keeps its
// state (CPython's _PyRuntime, Go's runtime.allgs). Addresses have the module's load bias
// applied. Undefined symbols (imports) are never returned.
#ifndef INQUEST_NATIVE_MODULE_SYMBOLS_H_
#define INQUEST_NATIVE_MODULE_SYMBOLS_H_

#include <elfutils/libdwfl.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace inquest {

// The address of `name` in `mod`, or 0.
uint64_t ModuleSymbol(Dwfl_Module* mod, std::string_view name);

// Every defined symbol of `mod` whose name `wanted` accepts, by name, in one pass over its
// symbol table (a runtime that needs dozens of symbols of a large library: libjvm.so has 70,000).
std::map<std::string, uint64_t, std::less<>> ModuleSymbols(
    Dwfl_Module* mod, const std::function<bool(std::string_view)>& wanted);

// The file libdwfl found for `mod` ("" when none).
std::string ModuleFile(Dwfl_Module* mod);

// The first module (in libdwfl's order) that defines `name`, its address in *addr; null when
// none does.
Dwfl_Module* ModuleWithSymbol(Dwfl* dwfl, std::string_view name, uint64_t* addr);

}  // namespace inquest

#endif  // INQUEST_NATIVE_MODULE_SYMBOLS_H_
