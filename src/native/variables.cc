#include "native/variables.h"

#include <dwarf.h>
#include <fmt/format.h>
#include <gelf.h>

#include <cstdlib>
#include <cstring>
#include <optional>

#include "native/address_lookup.h"

namespace inquest {
namespace {

// Limits that keep one frame's output readable and its cost bounded.
constexpr size_t kMaxStackDepth = 64;     // DWARF expression stack
constexpr size_t kMaxValueBytes = 4096;   // bytes read for one variable
constexpr size_t kMaxMembersShown = 12;   // struct members before "..."
constexpr size_t kMaxElementsShown = 8;   // array elements before "..."
constexpr size_t kMaxStringPreview = 64;  // bytes of a char* shown
constexpr int kMaxNesting = 2;            // nested aggregates shown before "{...}"
constexpr size_t kMaxVariablesPerFrame = 64;

// A located value: in memory at `addr`, or held whole in `bytes` (a register, a computed
// value, an implicit value).
struct Located {
  bool in_memory = false;
  uint64_t addr = 0;
  std::string bytes;
};

struct EvalContext {
  const FrameRegisterFn* reg;
  Dwfl_Module* mod;
  Dwarf_Addr bias;     // module load bias (DWARF addresses + bias = process addresses)
  uint64_t lookup_pc;  // process address used for location lists
  const MemorySource* memory;
  Dwarf_Die* subprogram;  // for DW_AT_frame_base
};

std::optional<uint64_t> Reg(const EvalContext& ctx, unsigned regno) { return (*ctx.reg)(regno); }

// The operations of `attr` at `pc`: a location list or expression as libdw reads it, else a
// block form holding an expression (Go writes DW_AT_frame_base and some locations as
// DW_FORM_block1 in DWARF 4 units, which libdw does not take for a location). The block is
// decoded for the operations such expressions use; anything else gives false.
bool LocationOps(Dwarf_Attribute* attr, uint64_t pc, std::vector<Dwarf_Op>* out) {
  Dwarf_Op* ops = nullptr;
  size_t n = 0;
  if (dwarf_getlocation_addr(attr, pc, &ops, &n, 1) > 0 && n > 0) {
    out->assign(ops, ops + n);
    return true;
  }
  Dwarf_Block block;
  if (dwarf_formblock(attr, &block) != 0 || block.length == 0 || block.length > 64) return false;
  const unsigned char* p = block.data;
  const unsigned char* end = p + block.length;
  auto uleb = [&](uint64_t* v) {
    *v = 0;
    for (int shift = 0; p < end && shift < 64; shift += 7) {
      unsigned char b = *p++;
      *v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return true;
    }
    return false;
  };
  auto sleb = [&](uint64_t* v) {
    *v = 0;
    int shift = 0;
    while (p < end && shift < 64) {
      unsigned char b = *p++;
      *v |= static_cast<uint64_t>(b & 0x7f) << shift;
      shift += 7;
      if ((b & 0x80) == 0) {
        if (shift < 64 && (b & 0x40)) *v |= ~uint64_t{0} << shift;
        return true;
      }
    }
    return false;
  };
  out->clear();
  while (p < end) {
    Dwarf_Op op{};
    op.atom = *p++;
    uint8_t a = op.atom;
    bool ok = true;
    if (a == DW_OP_fbreg || (a >= DW_OP_breg0 && a <= DW_OP_breg31) || a == DW_OP_consts) {
      ok = sleb(&op.number);
    } else if (a == DW_OP_plus_uconst || a == DW_OP_constu || a == DW_OP_regx) {
      ok = uleb(&op.number);
    } else if (a == DW_OP_addr) {
      ok = end - p >= 8;
      if (ok) std::memcpy(&op.number, p, 8), p += 8;
    } else if (!(a == DW_OP_call_frame_cfa || a == DW_OP_stack_value || a == DW_OP_deref ||
                 (a >= DW_OP_reg0 && a <= DW_OP_reg31) || (a >= DW_OP_lit0 && a <= DW_OP_lit31))) {
      return false;
    }
    if (!ok) return false;
    out->push_back(op);
  }
  return !out->empty();
}

std::optional<uint64_t> FrameBase(const EvalContext& ctx);

// Evaluates a DWARF expression. nullopt: it needs something the core cannot give.
std::optional<Located> Evaluate(const EvalContext& ctx, const Dwarf_Op* ops, size_t n,
                                int depth = 0) {
  std::vector<uint64_t> stack;
  Located out;
  bool is_value = false;
  for (size_t i = 0; i < n; ++i) {
    const Dwarf_Op& op = ops[i];
    if (stack.size() > kMaxStackDepth) return std::nullopt;
    uint8_t a = op.atom;
    if (a >= DW_OP_lit0 && a <= DW_OP_lit31) {
      stack.push_back(a - DW_OP_lit0);
    } else if (a >= DW_OP_reg0 && a <= DW_OP_reg31) {
      auto v = Reg(ctx, a - DW_OP_reg0);
      if (!v || n != 1) return std::nullopt;  // pieces of registers are not shown
      out.bytes.assign(reinterpret_cast<const char*>(&*v), 8);
      return out;
    } else if (a == DW_OP_regx) {
      auto v = Reg(ctx, static_cast<unsigned>(op.number));
      if (!v || n != 1) return std::nullopt;
      out.bytes.assign(reinterpret_cast<const char*>(&*v), 8);
      return out;
    } else if (a >= DW_OP_breg0 && a <= DW_OP_breg31) {
      auto v = Reg(ctx, a - DW_OP_breg0);
      if (!v) return std::nullopt;
      stack.push_back(*v + static_cast<int64_t>(op.number));
    } else if (a == DW_OP_bregx) {
      auto v = Reg(ctx, static_cast<unsigned>(op.number));
      if (!v) return std::nullopt;
      stack.push_back(*v + static_cast<int64_t>(op.number2));
    } else if (a == DW_OP_fbreg) {
      if (depth > 0) return std::nullopt;
      auto fb = FrameBase(ctx);
      if (!fb) return std::nullopt;
      stack.push_back(*fb + static_cast<int64_t>(op.number));
    } else if (a == DW_OP_addr) {
      stack.push_back(op.number + ctx.bias);
    } else if (a == DW_OP_const1u || a == DW_OP_const2u || a == DW_OP_const4u ||
               a == DW_OP_const8u || a == DW_OP_constu) {
      stack.push_back(op.number);
    } else if (a == DW_OP_const1s || a == DW_OP_const2s || a == DW_OP_const4s ||
               a == DW_OP_const8s || a == DW_OP_consts) {
      stack.push_back(static_cast<uint64_t>(static_cast<int64_t>(op.number)));
    } else if (a == DW_OP_plus_uconst) {
      if (stack.empty()) return std::nullopt;
      stack.back() += op.number;
    } else if (a == DW_OP_plus || a == DW_OP_minus || a == DW_OP_and || a == DW_OP_or ||
               a == DW_OP_mul || a == DW_OP_xor || a == DW_OP_shl || a == DW_OP_shr) {
      if (stack.size() < 2) return std::nullopt;
      uint64_t b = stack.back();
      stack.pop_back();
      uint64_t& t = stack.back();
      switch (a) {
        case DW_OP_plus:
          t += b;
          break;
        case DW_OP_minus:
          t -= b;
          break;
        case DW_OP_and:
          t &= b;
          break;
        case DW_OP_or:
          t |= b;
          break;
        case DW_OP_mul:
          t *= b;
          break;
        case DW_OP_xor:
          t ^= b;
          break;
        case DW_OP_shl:
          t = b < 64 ? t << b : 0;
          break;
        default:
          t = b < 64 ? t >> b : 0;
          break;
      }
    } else if (a == DW_OP_neg || a == DW_OP_not) {
      if (stack.empty()) return std::nullopt;
      stack.back() = a == DW_OP_neg ? -stack.back() : ~stack.back();
    } else if (a == DW_OP_dup) {
      if (stack.empty()) return std::nullopt;
      stack.push_back(stack.back());
    } else if (a == DW_OP_drop) {
      if (stack.empty()) return std::nullopt;
      stack.pop_back();
    } else if (a == DW_OP_deref) {
      if (stack.empty()) return std::nullopt;
      uint64_t v = 0;
      if (!ctx.memory->Read(stack.back(), &v, 8)) return std::nullopt;
      stack.back() = v;
    } else if (a == DW_OP_call_frame_cfa) {
      Dwarf_Addr cfi_bias = 0;
      Dwarf_CFI* cfi = dwfl_module_eh_cfi(ctx.mod, &cfi_bias);
      Dwarf_Frame* frame = nullptr;
      if (cfi == nullptr || dwarf_cfi_addrframe(cfi, ctx.lookup_pc - cfi_bias, &frame) != 0) {
        cfi = dwfl_module_dwarf_cfi(ctx.mod, &cfi_bias);
        if (cfi == nullptr || dwarf_cfi_addrframe(cfi, ctx.lookup_pc - cfi_bias, &frame) != 0) {
          return std::nullopt;
        }
      }
      Dwarf_Op* cfa_ops = nullptr;
      size_t cfa_n = 0;
      std::optional<Located> cfa;
      // The CFA rule is a register plus offset (or a short expression of its own); the frame
      // base may itself be the CFA, hence depth 1 is allowed here.
      if (dwarf_frame_cfa(frame, &cfa_ops, &cfa_n) == 0 && depth <= 1) {
        cfa = Evaluate(ctx, cfa_ops, cfa_n, depth + 1);
      }
      std::free(frame);
      if (!cfa || !cfa->in_memory) return std::nullopt;
      stack.push_back(cfa->addr);
    } else if (a == DW_OP_stack_value) {
      is_value = true;
      break;
    } else if (a == DW_OP_implicit_value) {
      if (n != 1 || op.number > kMaxValueBytes) return std::nullopt;
      out.bytes.assign(reinterpret_cast<const char*>(op.number2), op.number);
      return out;
    } else if (a == DW_OP_nop) {
    } else {
      // DW_OP_entry_value, DW_OP_piece, DW_OP_GNU_parameter_ref and the rest: the value
      // depends on state the core does not keep, or is split in pieces; shown as optimized out.
      return std::nullopt;
    }
  }
  if (stack.empty()) return std::nullopt;
  if (is_value) {
    out.bytes.assign(reinterpret_cast<const char*>(&stack.back()), 8);
    return out;
  }
  out.in_memory = true;
  out.addr = stack.back();
  return out;
}

std::optional<uint64_t> FrameBase(const EvalContext& ctx) {
  if (ctx.subprogram == nullptr) return std::nullopt;
  Dwarf_Attribute attr;
  if (dwarf_attr_integrate(ctx.subprogram, DW_AT_frame_base, &attr) == nullptr) {
    return std::nullopt;
  }
  std::vector<Dwarf_Op> ops;
  if (!LocationOps(&attr, ctx.lookup_pc - ctx.bias, &ops)) return std::nullopt;
  EvalContext inner = ctx;
  auto fb = Evaluate(inner, ops.data(), ops.size(), 1);
  if (!fb) return std::nullopt;
  if (fb->in_memory) return fb->addr;
  if (fb->bytes.size() == 8) {  // DW_OP_regN frame base: the register holds the address
    uint64_t v = 0;
    std::memcpy(&v, fb->bytes.data(), 8);
    return v;
  }
  return std::nullopt;
}

bool TypeOf(Dwarf_Die* die, Dwarf_Die* out) {
  Dwarf_Attribute attr;
  return dwarf_attr_integrate(die, DW_AT_type, &attr) != nullptr &&
         dwarf_formref_die(&attr, out) != nullptr;
}

std::string TypeName(Dwarf_Die* type, int depth = 0) {
  if (depth > 8) return "...";
  const char* name = dwarf_diename(type);
  Dwarf_Die inner;
  switch (dwarf_tag(type)) {
    case DW_TAG_pointer_type:
      return (TypeOf(type, &inner) ? TypeName(&inner, depth + 1) : "void") + " *";
    case DW_TAG_reference_type:
      return (TypeOf(type, &inner) ? TypeName(&inner, depth + 1) : "void") + " &";
    case DW_TAG_const_type:
      return "const " + (TypeOf(type, &inner) ? TypeName(&inner, depth + 1) : "void");
    case DW_TAG_volatile_type:
      return "volatile " + (TypeOf(type, &inner) ? TypeName(&inner, depth + 1) : "void");
    case DW_TAG_structure_type:
      return std::string("struct ") + (name ? name : "{...}");
    case DW_TAG_union_type:
      return std::string("union ") + (name ? name : "{...}");
    case DW_TAG_enumeration_type:
      return std::string("enum ") + (name ? name : "{...}");
    case DW_TAG_array_type:
      return (TypeOf(type, &inner) ? TypeName(&inner, depth + 1) : "?") + " []";
    default:
      return name ? name : "?";
  }
}

// The peeled type (no typedefs, const, volatile) and its size.
bool Peel(Dwarf_Die* type, Dwarf_Die* out, Dwarf_Word* size) {
  if (dwarf_peel_type(type, out) != 0) return false;
  if (dwarf_aggregate_size(out, size) != 0) *size = 0;
  return true;
}

std::string FormatValue(Dwarf_Die* type, std::string_view bytes, const MemorySource& memory,
                        int depth);

std::string FormatScalar(int encoding, std::string_view bytes) {
  uint64_t u = 0;
  std::memcpy(&u, bytes.data(), std::min<size_t>(bytes.size(), 8));
  size_t bits = bytes.size() * 8;
  auto sign_extend = [&](uint64_t v) -> int64_t {
    if (bits >= 64) return static_cast<int64_t>(v);
    uint64_t m = uint64_t{1} << (bits - 1);
    v &= (uint64_t{1} << bits) - 1;
    return static_cast<int64_t>((v ^ m) - m);
  };
  switch (encoding) {
    case DW_ATE_boolean:
      return u != 0 ? "true" : "false";
    case DW_ATE_float:
      if (bytes.size() == 4) {
        float f;
        std::memcpy(&f, bytes.data(), 4);
        return fmt::format("{}", f);
      }
      if (bytes.size() == 8) {
        double d;
        std::memcpy(&d, bytes.data(), 8);
        return fmt::format("{}", d);
      }
      return "<float>";
    case DW_ATE_signed_char:
    case DW_ATE_unsigned_char: {
      int v = encoding == DW_ATE_signed_char ? static_cast<int>(sign_extend(u))
                                             : static_cast<int>(u & 0xff);
      unsigned char c = static_cast<unsigned char>(u);
      if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\')
        return fmt::format("{} '{}'", v, char(c));
      return fmt::format("{} '\\{:03o}'", v, c);
    }
    case DW_ATE_signed:
      return fmt::format("{}", sign_extend(u));
    default:
      return fmt::format("{}", bits >= 64 ? u : u & ((uint64_t{1} << bits) - 1));
  }
}

std::string QuoteString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      out += fmt::format("\\{:03o}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string FormatPointer(Dwarf_Die* ptr_type, uint64_t v, const MemorySource& memory) {
  std::string out = fmt::format("{:#x}", v);
  Dwarf_Die target, peeled;
  Dwarf_Word size = 0;
  if (v == 0 || !TypeOf(ptr_type, &target) || !Peel(&target, &peeled, &size)) return out;
  Dwarf_Attribute attr;
  Dwarf_Word enc = 0;
  if (dwarf_tag(&peeled) == DW_TAG_base_type && size == 1 &&
      dwarf_formudata(dwarf_attr(&peeled, DW_AT_encoding, &attr), &enc) == 0 &&
      (enc == DW_ATE_signed_char || enc == DW_ATE_unsigned_char)) {
    std::string s;
    char c = 0;
    while (s.size() < kMaxStringPreview && memory.Read(v + s.size(), &c, 1) && c != '\0') {
      s += c;
    }
    if (c == '\0') return out + " " + QuoteString(s);
    if (s.size() == kMaxStringPreview) return out + " " + QuoteString(s) + "...";
    return out + " <unreadable>";
  }
  return out;
}

std::string FormatAggregate(Dwarf_Die* type, std::string_view bytes, const MemorySource& memory,
                            int depth) {
  if (depth >= kMaxNesting) return "{...}";
  std::string out = "{";
  size_t shown = 0;
  Dwarf_Die child;
  if (dwarf_child(type, &child) != 0) return "{}";
  do {
    if (dwarf_tag(&child) != DW_TAG_member) continue;
    if (shown == kMaxMembersShown) {
      out += ", ...";
      break;
    }
    Dwarf_Attribute attr;
    Dwarf_Word offset = 0;
    if (dwarf_attr(&child, DW_AT_data_member_location, &attr) != nullptr &&
        dwarf_formudata(&attr, &offset) != 0) {
      continue;  // a location expression (virtual base): not shown
    }
    if (dwarf_attr(&child, DW_AT_bit_size, &attr) != nullptr) continue;  // bit-fields
    Dwarf_Die mtype, mpeeled;
    Dwarf_Word msize = 0;
    if (!TypeOf(&child, &mtype) || !Peel(&mtype, &mpeeled, &msize)) continue;
    const char* name = dwarf_diename(&child);
    if (shown > 0) out += ", ";
    out += name ? name : "?";
    out += " = ";
    if (offset + msize > bytes.size()) {
      out += "<unreadable>";
    } else {
      out += FormatValue(&mtype, bytes.substr(offset, msize), memory, depth + 1);
    }
    ++shown;
  } while (dwarf_siblingof(&child, &child) == 0);
  return out + "}";
}

std::string FormatArray(Dwarf_Die* type, std::string_view bytes, const MemorySource& memory,
                        int depth) {
  Dwarf_Die elem, peeled;
  Dwarf_Word esize = 0;
  if (!TypeOf(type, &elem) || !Peel(&elem, &peeled, &esize) || esize == 0) return "{...}";
  Dwarf_Attribute attr;
  Dwarf_Word enc = 0;
  size_t count = bytes.size() / esize;
  if (dwarf_tag(&peeled) == DW_TAG_base_type && esize == 1 &&
      dwarf_formudata(dwarf_attr(&peeled, DW_AT_encoding, &attr), &enc) == 0 &&
      (enc == DW_ATE_signed_char || enc == DW_ATE_unsigned_char)) {
    std::string_view s = bytes.substr(0, std::min(count, kMaxStringPreview));
    size_t nul = s.find('\0');
    return QuoteString(nul == std::string_view::npos ? s : s.substr(0, nul)) +
           (nul == std::string_view::npos && count > kMaxStringPreview ? "..." : "");
  }
  if (depth >= kMaxNesting) return "{...}";
  std::string out = "{";
  for (size_t i = 0; i < count && i < kMaxElementsShown; ++i) {
    if (i > 0) out += ", ";
    out += FormatValue(&elem, bytes.substr(i * esize, esize), memory, depth + 1);
  }
  if (count > kMaxElementsShown) out += ", ...";
  return out + "}";
}

std::string FormatValue(Dwarf_Die* type, std::string_view bytes, const MemorySource& memory,
                        int depth) {
  Dwarf_Die peeled;
  Dwarf_Word size = 0;
  if (!Peel(type, &peeled, &size)) return "<unknown type>";
  Dwarf_Attribute attr;
  switch (dwarf_tag(&peeled)) {
    case DW_TAG_base_type: {
      Dwarf_Word enc = 0;
      (void)dwarf_formudata(dwarf_attr(&peeled, DW_AT_encoding, &attr), &enc);
      return FormatScalar(static_cast<int>(enc), bytes);
    }
    case DW_TAG_pointer_type:
    case DW_TAG_reference_type:
    case DW_TAG_rvalue_reference_type:
    case DW_TAG_ptr_to_member_type: {
      uint64_t v = 0;
      std::memcpy(&v, bytes.data(), std::min<size_t>(bytes.size(), 8));
      return FormatPointer(&peeled, v, memory);
    }
    case DW_TAG_enumeration_type: {
      int64_t v = 0;
      std::memcpy(&v, bytes.data(), std::min<size_t>(bytes.size(), 8));
      if (bytes.size() == 4) v = static_cast<int32_t>(v);
      Dwarf_Die child;
      if (dwarf_child(&peeled, &child) == 0) {
        do {
          Dwarf_Sword ev = 0;
          if (dwarf_tag(&child) == DW_TAG_enumerator &&
              dwarf_formsdata(dwarf_attr(&child, DW_AT_const_value, &attr), &ev) == 0 && ev == v) {
            const char* name = dwarf_diename(&child);
            return name ? name : "?";
          }
        } while (dwarf_siblingof(&child, &child) == 0);
      }
      return fmt::format("{}", v);
    }
    case DW_TAG_structure_type:
    case DW_TAG_class_type:
    case DW_TAG_union_type:
      return FormatAggregate(&peeled, bytes, memory, depth);
    case DW_TAG_array_type:
      return FormatArray(&peeled, bytes, memory, depth);
    default:
      return "<not shown>";
  }
}

// The members of a struct (one level) as name and formatted value.
std::vector<std::pair<std::string, std::string>> StructMembers(Dwarf_Die* type,
                                                               std::string_view bytes,
                                                               const MemorySource& memory) {
  std::vector<std::pair<std::string, std::string>> out;
  Dwarf_Die child;
  if (dwarf_child(type, &child) != 0) return out;
  do {
    Dwarf_Attribute attr;
    Dwarf_Word offset = 0;
    if (dwarf_tag(&child) != DW_TAG_member ||
        dwarf_formudata(dwarf_attr(&child, DW_AT_data_member_location, &attr), &offset) != 0 ||
        dwarf_attr(&child, DW_AT_bit_size, &attr) != nullptr) {
      continue;
    }
    Dwarf_Die mtype, mpeeled;
    Dwarf_Word msize = 0;
    const char* name = dwarf_diename(&child);
    if (name == nullptr || !TypeOf(&child, &mtype) || !Peel(&mtype, &mpeeled, &msize) ||
        offset + msize > bytes.size()) {
      continue;
    }
    out.emplace_back(name, FormatValue(&mtype, bytes.substr(offset, msize), memory, 1));
  } while (dwarf_siblingof(&child, &child) == 0 && out.size() < kMaxVariablesPerFrame);
  return out;
}

// The members behind a variable: its own for a struct, its target's for a struct pointer.
void AddMembers(Dwarf_Die* type, std::string_view bytes, const MemorySource& memory,
                CoreVariable* v) {
  Dwarf_Die peeled, target, tpeeled;
  Dwarf_Word size = 0, tsize = 0;
  if (!Peel(type, &peeled, &size)) return;
  int tag = dwarf_tag(&peeled);
  if (tag == DW_TAG_structure_type || tag == DW_TAG_class_type) {
    v->members = StructMembers(&peeled, bytes, memory);
  } else if (tag == DW_TAG_pointer_type && v->raw != 0 && TypeOf(&peeled, &target) &&
             Peel(&target, &tpeeled, &tsize) && tsize > 0 && tsize <= kMaxValueBytes &&
             (dwarf_tag(&tpeeled) == DW_TAG_structure_type ||
              dwarf_tag(&tpeeled) == DW_TAG_class_type)) {
    std::string tbytes(tsize, '\0');
    if (memory.Read(v->raw, tbytes.data(), tsize)) {
      v->members = StructMembers(&tpeeled, tbytes, memory);
    }
  }
}

// The size of an array type from its subrange (arrays have no DW_AT_byte_size).
Dwarf_Word ValueSize(Dwarf_Die* type) {
  Dwarf_Die peeled;
  Dwarf_Word size = 0;
  if (!Peel(type, &peeled, &size)) return 0;
  return size;
}

CoreVariable ReadVariable(Dwarf_Die* var, bool parameter, const EvalContext& ctx) {
  CoreVariable v;
  const char* name = dwarf_diename(var);
  v.name = name ? name : "?";
  v.parameter = parameter;
  Dwarf_Attribute attr;
  Dwarf_Word line = 0;
  if (dwarf_formudata(dwarf_attr_integrate(var, DW_AT_decl_line, &attr), &line) == 0) {
    v.decl_line = static_cast<int>(line);
  }
  Dwarf_Die type;
  if (!TypeOf(var, &type)) {
    v.type = "?";
    v.value = "<unknown type>";
    return v;
  }
  v.type = TypeName(&type);
  Dwarf_Die peeled;
  Dwarf_Word size = 0;
  if (Peel(&type, &peeled, &size)) {
    int tag = dwarf_tag(&peeled);
    v.is_pointer = tag == DW_TAG_pointer_type || tag == DW_TAG_reference_type;
  }
  size = ValueSize(&type);
  std::string bytes;
  if (dwarf_attr_integrate(var, DW_AT_const_value, &attr) != nullptr) {
    Dwarf_Word c = 0;
    Dwarf_Block block;
    if (dwarf_formudata(&attr, &c) == 0) {
      bytes.assign(reinterpret_cast<const char*>(&c), 8);
    } else if (dwarf_formblock(&attr, &block) == 0 && block.length <= kMaxValueBytes) {
      bytes.assign(reinterpret_cast<const char*>(block.data), block.length);
    }
  } else if (dwarf_attr_integrate(var, DW_AT_location, &attr) != nullptr) {
    std::vector<Dwarf_Op> ops;
    std::optional<Located> loc;
    if (LocationOps(&attr, ctx.lookup_pc - ctx.bias, &ops)) {
      loc = Evaluate(ctx, ops.data(), ops.size());
    }
    if (!loc) {
      v.value = "<optimized out>";
      return v;
    }
    if (loc->in_memory) {
      if (size == 0 || size > kMaxValueBytes) {
        v.value = fmt::format("<at {:#x}>", loc->addr);
        return v;
      }
      bytes.resize(size);
      if (!ctx.memory->Read(loc->addr, bytes.data(), size)) {
        v.value = fmt::format("<unreadable at {:#x}>", loc->addr);
        return v;
      }
    } else {
      bytes = std::move(loc->bytes);
    }
  } else {
    v.value = "<optimized out>";
    return v;
  }
  if (size > 0 && bytes.size() > size) bytes.resize(size);
  if (bytes.empty()) {
    v.value = "<optimized out>";
    return v;
  }
  v.available = true;
  if (bytes.size() <= 8) std::memcpy(&v.raw, bytes.data(), bytes.size());
  v.value = FormatValue(&type, bytes, *ctx.memory, 0);
  AddMembers(&type, bytes, *ctx.memory, &v);
  return v;
}

// Parameters and variables directly inside `scope` (not in nested blocks, which are scopes of
// their own when they contain the pc).
void ScopeVariables(Dwarf_Die* scope, const EvalContext& ctx, std::vector<CoreVariable>* out) {
  Dwarf_Die child;
  if (dwarf_child(scope, &child) != 0) return;
  do {
    int tag = dwarf_tag(&child);
    if (tag != DW_TAG_formal_parameter && tag != DW_TAG_variable) continue;
    if (out->size() >= kMaxVariablesPerFrame) return;
    Dwarf_Attribute attr;
    // Declarations of globals and externs inside a function have no storage here.
    if (dwarf_attr(&child, DW_AT_declaration, &attr) != nullptr) continue;
    out->push_back(ReadVariable(&child, tag == DW_TAG_formal_parameter, ctx));
  } while (dwarf_siblingof(&child, &child) == 0);
}

}  // namespace

bool MemorySource::Read(uint64_t addr, void* out, size_t len) const {
  if (cache != nullptr) return cache->Read(addr, out, len) || ReadModules(addr, out, len);
  return ReadCore(addr, out, len) || ReadModules(addr, out, len);
}

bool MemorySource::ReadCore(uint64_t addr, void* out, size_t len) const {
  return core != nullptr && (fd >= 0 ? core->ReadMemoryFrom(fd, addr, out, len)
                                     : core->ReadMemory(core_bytes, addr, out, len));
}

bool MemorySource::ReadModules(uint64_t addr, void* out, size_t len) const {
  if (dwfl == nullptr) return false;
  Dwfl_Module* mod = dwfl_addrmodule(dwfl, addr);
  if (mod == nullptr) return false;
  Dwarf_Addr bias = 0;
  Elf* elf = dwfl_module_getelf(mod, &bias);
  size_t phnum = 0;
  if (elf == nullptr || elf_getphdrnum(elf, &phnum) != 0) return false;
  uint64_t vaddr = addr - bias;
  for (size_t i = 0; i < phnum; ++i) {
    GElf_Phdr ph;
    if (gelf_getphdr(elf, static_cast<int>(i), &ph) == nullptr || ph.p_type != PT_LOAD) continue;
    if (vaddr < ph.p_vaddr || vaddr - ph.p_vaddr >= ph.p_filesz ||
        ph.p_filesz - (vaddr - ph.p_vaddr) < len) {
      continue;
    }
    Elf_Data* data = elf_getdata_rawchunk(elf, ph.p_offset + (vaddr - ph.p_vaddr), len, ELF_T_BYTE);
    if (data == nullptr || data->d_size < len) return false;
    std::memcpy(out, data->d_buf, len);
    return true;
  }
  return false;
}

std::vector<std::vector<CoreVariable>> FrameVariables(Dwfl_Frame* state, Dwfl_Module* mod,
                                                      uint64_t pc, bool exact_pc,
                                                      const MemorySource& memory) {
  FrameRegisterFn reg = [state](unsigned regno) -> std::optional<uint64_t> {
    Dwarf_Word v = 0;
    if (dwfl_frame_reg(state, regno, &v) != 0) return std::nullopt;
    return v;
  };
  return FrameVariablesAt(reg, mod, pc, exact_pc, memory);
}

std::vector<std::vector<CoreVariable>> FrameVariablesAt(const FrameRegisterFn& reg,
                                                        Dwfl_Module* mod, uint64_t pc,
                                                        bool exact_pc, const MemorySource& memory) {
  std::vector<std::vector<CoreVariable>> out;
  const uint64_t lookup = exact_pc || pc == 0 ? pc : pc - 1;
  Dwarf_Addr bias = 0;
  Dwarf_Die cu_storage;
  Dwarf_Die* cudie = ModuleCuDie(mod, lookup, &bias, &cu_storage);
  if (cudie == nullptr) return out;
  Dwarf_Die* scopes = nullptr;
  int n = ConcreteScopes(cudie, lookup - bias, &scopes);
  if (n <= 0) {
    // libdw finds no scopes inside some inlined ranges (Go's): the function that holds the pc,
    // among the unit's own subprograms, still has its parameters and locals.
    Dwarf_Die child;
    if (dwarf_child(cudie, &child) == 0) {
      do {
        if (dwarf_tag(&child) == DW_TAG_subprogram && dwarf_haspc(&child, lookup - bias) > 0) {
          scopes = static_cast<Dwarf_Die*>(std::malloc(sizeof(Dwarf_Die)));
          if (scopes == nullptr) return out;
          scopes[0] = child;
          n = 1;
          break;
        }
      } while (dwarf_siblingof(&child, &child) == 0);
    }
    if (n <= 0) return out;
  }
  // The subprogram that owns the frame (for DW_AT_frame_base): the outermost function scope.
  Dwarf_Die* subprogram = nullptr;
  for (int i = 0; i < n; ++i) {
    if (dwarf_tag(&scopes[i]) == DW_TAG_subprogram) {
      subprogram = &scopes[i];
      break;
    }
  }
  EvalContext ctx{&reg, mod, bias, lookup, &memory, subprogram};
  out.emplace_back();
  std::vector<CoreVariable> locals;
  for (int i = 0; i < n; ++i) {
    int tag = dwarf_tag(&scopes[i]);
    if (tag == DW_TAG_compile_unit || tag == DW_TAG_partial_unit) break;
    if (tag == DW_TAG_lexical_block) {
      ScopeVariables(&scopes[i], ctx, &locals);
      continue;
    }
    if (tag != DW_TAG_subprogram && tag != DW_TAG_inlined_subroutine) continue;
    std::vector<CoreVariable> own;
    ScopeVariables(&scopes[i], ctx, &own);
    // Parameters first, then the function's own locals, then inner blocks' locals.
    std::vector<CoreVariable>& frame = out.back();
    for (CoreVariable& v : own) {
      if (v.parameter) frame.push_back(std::move(v));
    }
    for (CoreVariable& v : own) {
      if (!v.parameter && !v.name.empty()) frame.push_back(std::move(v));
    }
    for (CoreVariable& v : locals) frame.push_back(std::move(v));
    locals.clear();
    if (tag == DW_TAG_subprogram) break;
    out.emplace_back();
  }
  std::free(scopes);
  return out;
}

}  // namespace inquest
