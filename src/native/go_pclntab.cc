#include "native/go_pclntab.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace inquest {
namespace {

constexpr uint32_t kMagic118 = 0xfffffff0;
constexpr uint32_t kMagic120 = 0xfffffff1;
constexpr size_t kHeaderBytes = 72;  // magic, pads, minLC, ptrSize, then 8 words

template <typename T>
bool ReadAt(std::string_view t, uint64_t at, T* out) {
  if (at > t.size() || sizeof(T) > t.size() - at) return false;
  std::memcpy(out, t.data() + at, sizeof(T));
  return true;
}

Status Damaged(uint64_t offset, std::string_view what) {
  return Status::BadInput(fmt::format(".gopclntab byte {}: {}", offset, what));
}

}  // namespace

Result<GoPclntab> GoPclntab::Parse(std::string_view table, uint64_t bias) {
  GoPclntab p;
  p.t_ = table;
  uint32_t magic = 0;
  uint8_t min_lc = 0, ptr_size = 0;
  if (!ReadAt(table, 0, &magic) || table.size() < kHeaderBytes)
    return Damaged(0, "shorter than its header");
  if (magic != kMagic118 && magic != kMagic120)
    return Status::Unsupported(fmt::format(
        ".gopclntab magic {:#x}: a Go release before 1.18 (inquest reads the tables of Go 1.18 "
        "and later)",
        magic));
  p.version_ = magic == kMagic118 ? "1.18-1.19" : "1.20+";
  p.go120_ = magic == kMagic120;
  ReadAt(table, 6, &min_lc);
  ReadAt(table, 7, &ptr_size);
  if (ptr_size != 8 || min_lc == 0 || min_lc > 4)
    return Damaged(6, fmt::format("pointer size {} and instruction quantum {}: not a 64-bit table",
                                  ptr_size, min_lc));
  p.min_lc_ = min_lc;
  uint64_t nfunc = 0, text_start = 0;
  ReadAt(table, 8, &nfunc);
  ReadAt(table, 24, &text_start);
  ReadAt(table, 32, &p.funcname_);
  ReadAt(table, 40, &p.cu_);
  ReadAt(table, 48, &p.filetab_);
  ReadAt(table, 56, &p.pctab_);
  ReadAt(table, 64, &p.functab_);
  for (uint64_t off : {p.funcname_, p.cu_, p.filetab_, p.pctab_, p.functab_})
    if (off > table.size()) return Damaged(32, "a table offset past the section's end");
  if (nfunc > (table.size() - p.functab_) / 8) return Damaged(8, "more functions than bytes");
  p.funcs_.reserve(nfunc);
  const uint32_t func_fields = magic == kMagic118 ? 9 : 10;  // u32 fields before funcID
  for (uint64_t i = 0; i < nfunc; ++i) {
    uint32_t entry_off = 0, func_off = 0, next_entry = 0;
    ReadAt(table, p.functab_ + 8 * i, &entry_off);
    ReadAt(table, p.functab_ + 8 * i + 4, &func_off);
    if (!ReadAt(table, p.functab_ + 8 * (i + 1), &next_entry))
      return Damaged(p.functab_ + 8 * i, "the function table is cut short");
    uint64_t rec = p.functab_ + func_off;
    uint32_t fields[10] = {};
    for (uint32_t k = 0; k < func_fields; ++k)
      if (!ReadAt(table, rec + 4 * k, &fields[k]))
        return Damaged(rec, fmt::format("function {} lies past the section's end", i));
    GoFunc f;
    f.entry = text_start + entry_off + bias;
    f.end = text_start + next_entry + bias;
    f.offset = func_off;
    f.name = p.CString(p.funcname_ + fields[1]);
    f.pcsp = fields[4];
    f.pcfile = fields[5];
    f.pcln = fields[6];
    f.cu_offset = fields[8];
    f.npcdata = fields[7];
    uint8_t nfuncdata = 0;
    ReadAt(table, rec + 4 * func_fields + 3, &nfuncdata);
    f.nfuncdata = nfuncdata;
    f.tables = rec + 4 * func_fields + 4;
    p.funcs_.push_back(f);
  }
  if (!std::is_sorted(p.funcs_.begin(), p.funcs_.end(),
                      [](const GoFunc& a, const GoFunc& b) { return a.entry < b.entry; }))
    return Damaged(p.functab_, "the function table is not in address order");
  return p;
}

std::string_view GoPclntab::CString(uint64_t offset) const {
  if (offset >= t_.size()) return {};
  std::string_view rest = t_.substr(offset);
  size_t end = rest.find('\0');
  return end == std::string_view::npos ? std::string_view{} : rest.substr(0, end);
}

const GoFunc* GoPclntab::Find(uint64_t pc) const {
  auto it = std::upper_bound(funcs_.begin(), funcs_.end(), pc,
                             [](uint64_t v, const GoFunc& f) { return v < f.entry; });
  if (it == funcs_.begin()) return nullptr;
  --it;
  return pc < it->end ? &*it : nullptr;
}

std::optional<int64_t> GoPclntab::Value(const GoFunc& f, uint32_t table_offset, uint64_t pc) const {
  if (table_offset == 0) return std::nullopt;
  uint64_t at = pctab_ + table_offset;
  auto varint = [&](uint32_t* v) {
    uint32_t result = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (at >= t_.size()) return false;
      uint8_t b = static_cast<uint8_t>(t_[at++]);
      result |= static_cast<uint32_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        *v = result;
        return true;
      }
    }
    return false;
  };
  uint64_t cur = f.entry;
  int64_t value = -1;
  // Each step: a zig-zag value delta, then a pc delta in instruction quanta; a zero value
  // delta after the first step ends the table. Bounded by the function's size.
  for (bool first = true; cur <= f.end; first = false) {
    uint32_t vdelta = 0, pcdelta = 0;
    if (!varint(&vdelta)) return std::nullopt;
    if (vdelta == 0 && !first) return std::nullopt;
    value +=
        (vdelta & 1) ? -static_cast<int64_t>((vdelta + 1) >> 1) : static_cast<int64_t>(vdelta >> 1);
    if (!varint(&pcdelta)) return std::nullopt;
    cur += static_cast<uint64_t>(pcdelta) * min_lc_;
    if (pc < cur) return value;
  }
  return std::nullopt;
}

std::optional<int64_t> GoPclntab::PcData(const GoFunc& f, uint32_t table, uint64_t pc) const {
  if (table >= f.npcdata) return std::nullopt;
  uint32_t off = 0;
  if (!ReadAt(t_, f.tables + 4 * static_cast<uint64_t>(table), &off)) return std::nullopt;
  return Value(f, off, pc);
}

std::optional<uint32_t> GoPclntab::FuncData(const GoFunc& f, uint8_t i) const {
  if (i >= f.nfuncdata) return std::nullopt;
  uint32_t off = 0;
  if (!ReadAt(t_, f.tables + 4 * (static_cast<uint64_t>(f.npcdata) + i), &off) || off == UINT32_MAX)
    return std::nullopt;
  return off;
}

GoInlinedCall GoPclntab::InlinedCall(const char* e) const {
  GoInlinedCall c;
  if (go120_) {  // funcID u8, pad[3], nameOff i32, parentPc i32, startLine i32
    std::memcpy(&c.name_offset, e + 4, 4);
    std::memcpy(&c.parent_pc, e + 8, 4);
  } else {  // parent i16, funcID u8, pad, file i32, line i32, func_ i32, parentPc i32
    std::memcpy(&c.name_offset, e + 12, 4);
    std::memcpy(&c.parent_pc, e + 16, 4);
  }
  return c;
}

std::string_view GoPclntab::Name(int64_t name_offset) const {
  if (name_offset < 0) return {};
  return CString(funcname_ + static_cast<uint64_t>(name_offset));
}

std::optional<int64_t> GoPclntab::FrameSize(const GoFunc& f, uint64_t pc) const {
  return Value(f, f.pcsp, pc);
}

int GoPclntab::Line(const GoFunc& f, uint64_t pc) const {
  std::optional<int64_t> v = Value(f, f.pcln, pc);
  return v && *v > 0 && *v < INT32_MAX ? static_cast<int>(*v) : 0;
}

std::string GoPclntab::File(const GoFunc& f, uint64_t pc) const {
  std::optional<int64_t> v = Value(f, f.pcfile, pc);
  if (!v || *v < 0) return {};
  uint32_t file_off = 0;
  if (!ReadAt(t_, cu_ + 4 * (static_cast<uint64_t>(f.cu_offset) + static_cast<uint64_t>(*v)),
              &file_off) ||
      file_off == UINT32_MAX)
    return {};
  return std::string(CString(filetab_ + file_off));
}

}  // namespace inquest
