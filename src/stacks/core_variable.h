// A parameter or local of a frame as `bt full` shows it: of a native frame (core_report.h) or
// of a runtime's frame (runtime_stack.h: a goroutine's, with `inquest core --goroutine N`).
#ifndef INQUEST_STACKS_CORE_VARIABLE_H_
#define INQUEST_STACKS_CORE_VARIABLE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace inquest {

// A parameter or local of a frame, as `bt full` shows it.
struct CoreVariable {
  std::string name;
  std::string type;   // "struct account *", "int"
  std::string value;  // "0x0", "4500", "{id = 7, balance = 120}", "<optimized out>"
  bool parameter = false;
  bool available = false;  // false: value is "<optimized out>" or "<unreadable ...>"
  bool is_pointer = false;
  uint64_t raw = 0;  // the scalar value when available and at most 8 bytes
  int decl_line = 0;
  // A struct's members, or those of the struct a pointer points to, one level deep: what the
  // walk needs to evaluate `e->account_id`. Not part of the rendered report.
  std::vector<std::pair<std::string, std::string>> members;
};

}  // namespace inquest

#endif  // INQUEST_STACKS_CORE_VARIABLE_H_
