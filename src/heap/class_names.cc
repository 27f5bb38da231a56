#include "heap/class_names.h"

#include <algorithm>

#include "heap/hprof_format.h"

namespace inquest::heap {
namespace {

std::string_view PrimitiveName(char signature) {
  switch (signature) {
    case 'Z':
      return "boolean";
    case 'C':
      return "char";
    case 'F':
      return "float";
    case 'D':
      return "double";
    case 'B':
      return "byte";
    case 'S':
      return "short";
    case 'I':
      return "int";
    case 'J':
      return "long";
    default:
      return "";
  }
}

}  // namespace

std::string JavaClassName(std::string_view internal) {
  size_t dims = 0;
  while (dims < internal.size() && internal[dims] == '[') ++dims;
  std::string_view element = internal.substr(dims);
  std::string name;
  if (dims > 0 && element.size() >= 2 && element.front() == 'L' && element.back() == ';') {
    name = std::string(element.substr(1, element.size() - 2));
  } else if (dims > 0 && element.size() == 1 && !PrimitiveName(element[0]).empty()) {
    name = std::string(PrimitiveName(element[0]));
  } else {
    name = std::string(element);
  }
  std::replace(name.begin(), name.end(), '/', '.');
  for (size_t i = 0; i < dims; ++i) name += "[]";
  return name;
}

}  // namespace inquest::heap
