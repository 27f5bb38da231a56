// A profile's top table in text (the layout of `go tool pprof -top`: its header lines, then
// flat, flat%, sum%, cum, cum% and the name, values in the one unit pprof would choose), Markdown
// and JSON.
//
//   TopView v{&profile, &table, base ? &*base : nullptr};
//   fmt::print("{}", TopText(v));
//
// JSON: {"file", "format", "sample_type", "unit", "sample_types": [{"type", "unit"}], "total",
// "diff_base" (null or the base's file), "nodes" (rows in all), "dropped" (below the node
// fraction), "rows": [{"name", "flat", "cum", "inline": "inline" | "partial-inline" | null}]};
// values are raw, in `unit`.
#ifndef INQUEST_PROFILE_PROFILE_OUTPUT_H_
#define INQUEST_PROFILE_PROFILE_OUTPUT_H_

#include <string>

#include "base/output.h"
#include "profile/profile.h"
#include "profile/profile_top.h"

namespace inquest::profile {

struct TopView {
  const Profile* profile = nullptr;
  const TopTable* table = nullptr;
  const Profile* base = nullptr;  // the diff base, or null
};

std::string TopText(const TopView& v);
std::string TopMarkdown(const TopView& v);
Redacted TopJson(const TopView& v);

}  // namespace inquest::profile

#endif  // INQUEST_PROFILE_PROFILE_OUTPUT_H_
