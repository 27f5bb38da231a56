#include "dumps/gdb/null_origin.h"

#include "base/strings.h"

namespace inquest {
namespace {

const GdbVar* NullIn(const std::vector<GdbVar>& vars) {
  for (const GdbVar& v : vars)
    if (IsNullPointerValue(v.value)) return &v;
  return nullptr;
}

}  // namespace

bool IsNullPointerValue(std::string_view value) {
  std::string_view v = TrimSpace(value);
  if (v.starts_with("(")) {  // "(struct foo *) 0x0"
    size_t close = v.find(") ");
    if (close == std::string_view::npos) return false;
    v = v.substr(close + 2);
  }
  if (v == "NULL" || v == "nullptr") return true;
  if (!v.starts_with("0x")) return false;
  v = v.substr(2);
  size_t i = 0;
  while (i < v.size() && v[i] == '0') ++i;
  return i > 0 && (i == v.size() || v[i] == ' ');
}

std::optional<NullOrigin> FindNullOrigin(const GdbThread& thread) {
  const std::vector<GdbFrame>& frames = thread.frames;
  size_t crash = 0;
  for (size_t i = 0; i < frames.size(); ++i)
    if (frames[i].signal_handler) crash = i + 1;
  if (crash >= frames.size()) return std::nullopt;
  const GdbVar* arg = NullIn(frames[crash].args);
  if (arg == nullptr) return std::nullopt;
  NullOrigin o;
  o.crash_frame = crash;
  o.argument = arg->name;
  // Callers that received a null argument themselves only handed it down; the first caller
  // that did not is where it was born. A null local there says so outright.
  size_t k = crash + 1;
  for (; k < frames.size(); ++k) {
    const GdbFrame& f = frames[k];
    if (const GdbVar* local = NullIn(f.locals)) {
      o.origin_frame = k;
      o.origin_name = local->name;
      o.origin_is_local = true;
      o.locals_known = true;
      return o;
    }
    const GdbVar* passed = NullIn(f.args);
    if (passed == nullptr) {
      o.origin_frame = k;
      o.locals_known = f.has_locals_block;
      return o;
    }
    o.passed_through.push_back(k);
  }
  // Every caller received it: it came from outside the stack (a global, the caller of the
  // thread's entry point); the outermost frame is as far as the transcript goes.
  if (o.passed_through.empty()) return std::nullopt;
  o.origin_frame = o.passed_through.back();
  o.passed_through.pop_back();
  o.origin_name = NullIn(frames[o.origin_frame].args)->name;
  o.locals_known = frames[o.origin_frame].has_locals_block;
  return o;
}

}  // namespace inquest
