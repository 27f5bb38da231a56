// Names of the stack similarities for flags and output: "exact", "ignore-args", "ignore-wait".
#ifndef INQUEST_DUMPS_SIMILARITY_H_
#define INQUEST_DUMPS_SIMILARITY_H_

#include <optional>
#include <string_view>

#include "dumps/dump.h"

namespace inquest {

inline std::string_view SimilarityName(StackSimilarity s) {
  switch (s) {
    case StackSimilarity::kExact:
      return "exact";
    case StackSimilarity::kIgnoreArgs:
      return "ignore-args";
    case StackSimilarity::kIgnoreWaitTime:
      return "ignore-wait";
  }
  return "ignore-wait";
}

// nullopt for an unknown name.
inline std::optional<StackSimilarity> ParseSimilarity(std::string_view name) {
  if (name == "exact") return StackSimilarity::kExact;
  if (name == "ignore-args" || name == "args") return StackSimilarity::kIgnoreArgs;
  if (name == "ignore-wait" || name == "wait") return StackSimilarity::kIgnoreWaitTime;
  return std::nullopt;
}

}  // namespace inquest

#endif  // INQUEST_DUMPS_SIMILARITY_H_
