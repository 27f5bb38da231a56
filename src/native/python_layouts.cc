#include "native/python_layouts.h"

namespace inquest {
namespace {

constexpr PythonLayout kLayouts[] = {
#include "native/python_layouts.inc"
};

}  // namespace

std::span<const PythonLayout> PythonLayouts() { return kLayouts; }

const PythonLayout* FindPythonLayout(int major, int minor) {
  for (const PythonLayout& l : kLayouts)
    if (l.major == major && l.minor == minor) return &l;
  return nullptr;
}

}  // namespace inquest
