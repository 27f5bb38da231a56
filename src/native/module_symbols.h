// Symbols by name among the modules libdwfl reported for a core: where a runtime keeps its
// state (CPython's _PyRuntime, Go's runtime.allgs). Addresses have the module's load bias
// applied. Undefined symbols (imports) are never returned.
#ifndef INQUEST_NATIVE_MODULE_SYMBOLS_H_
#define INQUEST_NATIVE_MODULE_SYMBOLS_H_

#include <elfutils/libdwfl.h>

#include <cstdint>
#include <string_view>

namespace inquest {

// The address of `name` in `mod`, or 0.
uint64_t ModuleSymbol(Dwfl_Module* mod, std::string_view name);

// The first module (in libdwfl's order) that defines `name`, its address in *addr; null when
// none does.
Dwfl_Module* ModuleWithSymbol(Dwfl* dwfl, std::string_view name, uint64_t* addr);

}  // namespace inquest

#endif  // INQUEST_NATIVE_MODULE_SYMBOLS_H_
