#include "profile/profile.h"

namespace inquest::profile {

bool Profile::HasFunctions() const {
  for (const Line& l : lines)
    if (l.function != kNone && !Str(functions[l.function].name).empty()) return true;
  return false;
}

}  // namespace inquest::profile
