// HotSpot's description of itself: the gHotSpotVMStructs, gHotSpotVMTypes,
// gHotSpotVMIntConstants and gHotSpotVMLongConstants tables libjvm.so exports for debuggers
// (the Serviceability Agent reads the same ones). Each field entry names a C++ type and field
// with its offset (or, for a static field, its address); each type entry its size. Read from a
// core, they give the layout of that exact JVM build, so nothing is hard-coded per release.
//
// The tables are arrays of structs whose own layout (entry size, field offsets) is published
// in further exported variables (gHotSpotVMStructEntryTypeNameOffset, ...), read first.
//
//   Result<HotSpotTables> t = HotSpotTables::Read(symbol, read);
//   const HotSpotField* f = t->Field("JavaThread", "_osthread");   // f->offset
//   t->IntConstant("_thread_blocked");                              // 10
//
// Hostile input: the entry count is bounded (kMaxHotSpotEntries), every string is capped, and
// an entry whose names cannot be read fails the read with an error naming the entry.
#ifndef INQUEST_NATIVE_HOTSPOT_VMSTRUCTS_H_
#define INQUEST_NATIVE_HOTSPOT_VMSTRUCTS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "native/runtime_memory.h"

namespace inquest {

inline constexpr size_t kMaxHotSpotEntries = 50'000;  // per table; JDK 17 has about 3,000
inline constexpr size_t kMaxHotSpotNameBytes = 256;
inline constexpr int kMaxHotSpotTypeDepth = 16;  // superclasses followed by Field()

struct HotSpotField {
  std::string type;  // the field's C++ type as the table spells it ("OSThread*")
  bool is_static = false;
  uint64_t offset = 0;   // in the object (non-static fields)
  uint64_t address = 0;  // of the variable (static fields)
};

class HotSpotTables {
 public:
  // The address of an exported symbol of libjvm.so by name, 0 when absent.
  using SymbolFn = std::function<uint64_t(std::string_view)>;

  // Reads the four tables. Fails when the structs table or its layout variables are absent or
  // unreadable, or when one of its entries cannot be read. The types and constants tables are
  // read up to an entry that cannot be, which is said in problems(); one whose layout
  // variables are absent leaves that part empty. A field's type string or a type's superclass
  // name that cannot be read is left empty.
  static Result<HotSpotTables> Read(const SymbolFn& symbol, const ReadMemoryFn& read);

  // The entry for `type`::`field`, or for the field of that name of its nearest superclass
  // (the tables list a field under the class that declares it: JavaThread's _osthread is
  // Thread's from JDK 25); null when none.
  const HotSpotField* Field(std::string_view type, std::string_view field) const;
  std::optional<uint64_t> TypeSize(std::string_view type) const;
  std::optional<int64_t> IntConstant(std::string_view name) const;
  std::optional<int64_t> LongConstant(std::string_view name) const;
  size_t field_count() const { return fields_.size(); }
  // Damage met in the types and constants tables (what was read before it is kept).
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::map<std::string, HotSpotField, std::less<>> fields_;  // "Type::field"
  std::map<std::string, uint64_t, std::less<>> sizes_;
  std::map<std::string, std::string, std::less<>> supers_;  // type -> its superclass
  std::map<std::string, int64_t, std::less<>> ints_, longs_;
  std::vector<std::string> problems_;
};

}  // namespace inquest

#endif  // INQUEST_NATIVE_HOTSPOT_VMSTRUCTS_H_
