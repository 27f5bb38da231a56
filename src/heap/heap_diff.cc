#include "heap/heap_diff.h"

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

#include <algorithm>

#include "base/json_writer.h"
#include "base/strings.h"

namespace inquest::heap {

std::vector<ClassDelta> DiffHistograms(const std::vector<ClassRow>& before,
                                       const std::vector<ClassRow>& now) {
  absl::flat_hash_map<std::string, ClassDelta> by_name;
  for (const ClassRow& r : before) {
    ClassDelta& d = by_name[r.name];
    d.name = r.name;
    d.instances -= int64_t(r.instances);
    d.shallow -= int64_t(r.shallow);
    d.retained -= int64_t(r.retained);
    d.instances_before += r.instances;
  }
  for (const ClassRow& r : now) {
    ClassDelta& d = by_name[r.name];
    d.name = r.name;
    d.instances += int64_t(r.instances);
    d.shallow += int64_t(r.shallow);
    d.retained += int64_t(r.retained);
    d.instances_now += r.instances;
    d.shallow_now += r.shallow;
  }
  std::vector<ClassDelta> out;
  for (auto& [name, d] : by_name)
    if (d.instances != 0 || d.shallow != 0) out.push_back(std::move(d));
  std::sort(out.begin(), out.end(), [](const ClassDelta& a, const ClassDelta& b) {
    return a.shallow != b.shallow ? a.shallow > b.shallow : a.name < b.name;
  });
  return out;
}

namespace {

std::string Signed(int64_t v) {
  return (v < 0 ? "-" : "+") + WithThousands(uint64_t(v < 0 ? -v : v));
}

}  // namespace

std::string HeapDiffText(const std::vector<ClassDelta>& d, size_t top) {
  std::string s = "Class growth (now minus before, by shallow bytes):\n";
  s += fmt::format("  {:>14} {:>16} {:>16}  {}\n", "instances", "shallow bytes", "retained bytes",
                   "class");
  if (d.empty()) s += "  no class changed\n";
  for (size_t k = 0; k < d.size() && k < top; ++k)
    s += fmt::format("  {:>14} {:>16} {:>16}  {} ({} -> {} instances)\n", Signed(d[k].instances),
                     Signed(d[k].shallow), Signed(d[k].retained), d[k].name,
                     WithThousands(d[k].instances_before), WithThousands(d[k].instances_now));
  return s;
}

Redacted HeapDiffJson(const std::vector<ClassDelta>& d) {
  JsonWriter w;
  w.BeginObject().Key("classes").BeginArray();
  for (const ClassDelta& c : d)
    w.BeginObject()
        .Field("class", c.name)
        .FieldInt("instances", c.instances)
        .FieldInt("shallow", c.shallow)
        .FieldInt("retained", c.retained)
        .FieldUint("instances_before", c.instances_before)
        .FieldUint("instances_now", c.instances_now)
        .EndObject();
  w.EndArray().EndObject();
  return w.Take();
}

}  // namespace inquest::heap
