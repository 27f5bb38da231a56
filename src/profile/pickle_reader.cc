#include "profile/pickle_reader.h"

#include <fmt/format.h>

namespace inquest::profile {

namespace {

// Longest "module\nname\n" a GLOBAL may carry before it is judged garbage.
constexpr size_t kMaxPickleGlobalBytes = 256;
// LONG1 and LONG4 integers wider than this are refused: sizes, domains and line numbers fit.
constexpr size_t kMaxPickleIntBytes = 8;

// Opcode bytes (pickletools' names).
enum PickleOp : uint8_t {
  kOpMark = '(',
  kOpStop = '.',
  kOpPop = '0',
  kOpPopMark = '1',
  kOpBinInt = 'J',
  kOpBinInt1 = 'K',
  kOpBinInt2 = 'M',
  kOpNone = 'N',
  kOpBinUnicode = 'X',
  kOpAppend = 'a',
  kOpBuild = 'b',
  kOpGlobal = 'c',
  kOpEmptyDict = '}',
  kOpAppends = 'e',
  kOpBinGet = 'h',
  kOpLongBinGet = 'j',
  kOpEmptyList = ']',
  kOpBinPut = 'q',
  kOpLongBinPut = 'r',
  kOpSetItem = 's',
  kOpTuple = 't',
  kOpEmptyTuple = ')',
  kOpSetItems = 'u',
  kOpProto = 0x80,
  kOpNewObj = 0x81,
  kOpTuple1 = 0x85,
  kOpTuple2 = 0x86,
  kOpTuple3 = 0x87,
  kOpNewTrue = 0x88,
  kOpNewFalse = 0x89,
  kOpLong1 = 0x8a,
  kOpLong4 = 0x8b,
  kOpShortBinUnicode = 0x8c,
  kOpBinUnicode8 = 0x8d,
  kOpStackGlobal = 0x93,
  kOpMemoize = 0x94,
  kOpFrame = 0x95,
};

struct PickleOpName {
  uint8_t op;
  const char* name;
};

// Every opcode of protocols 0 to 5, for naming the refused ones.
constexpr PickleOpName kPickleOpNames[] = {
    {'(', "MARK"},
    {'.', "STOP"},
    {'0', "POP"},
    {'1', "POP_MARK"},
    {'2', "DUP"},
    {'F', "FLOAT"},
    {'I', "INT"},
    {'J', "BININT"},
    {'K', "BININT1"},
    {'L', "LONG"},
    {'M', "BININT2"},
    {'N', "NONE"},
    {'P', "PERSID"},
    {'Q', "BINPERSID"},
    {'R', "REDUCE"},
    {'S', "STRING"},
    {'T', "BINSTRING"},
    {'U', "SHORT_BINSTRING"},
    {'V', "UNICODE"},
    {'X', "BINUNICODE"},
    {'a', "APPEND"},
    {'b', "BUILD"},
    {'c', "GLOBAL"},
    {'d', "DICT"},
    {'}', "EMPTY_DICT"},
    {'e', "APPENDS"},
    {'g', "GET"},
    {'h', "BINGET"},
    {'i', "INST"},
    {'j', "LONG_BINGET"},
    {'l', "LIST"},
    {']', "EMPTY_LIST"},
    {'o', "OBJ"},
    {'p', "PUT"},
    {'q', "BINPUT"},
    {'r', "LONG_BINPUT"},
    {'s', "SETITEM"},
    {'t', "TUPLE"},
    {')', "EMPTY_TUPLE"},
    {'u', "SETITEMS"},
    {'G', "BINFLOAT"},
    {'B', "BINBYTES"},
    {'C', "SHORT_BINBYTES"},
    {0x80, "PROTO"},
    {0x81, "NEWOBJ"},
    {0x82, "EXT1"},
    {0x83, "EXT2"},
    {0x84, "EXT4"},
    {0x85, "TUPLE1"},
    {0x86, "TUPLE2"},
    {0x87, "TUPLE3"},
    {0x88, "NEWTRUE"},
    {0x89, "NEWFALSE"},
    {0x8a, "LONG1"},
    {0x8b, "LONG4"},
    {0x8c, "SHORT_BINUNICODE"},
    {0x8d, "BINUNICODE8"},
    {0x8e, "BINBYTES8"},
    {0x8f, "EMPTY_SET"},
    {0x90, "ADDITEMS"},
    {0x91, "FROZENSET"},
    {0x92, "NEWOBJ_EX"},
    {0x93, "STACK_GLOBAL"},
    {0x94, "MEMOIZE"},
    {0x95, "FRAME"},
    {0x96, "BYTEARRAY8"},
    {0x97, "NEXT_BUFFER"},
    {0x98, "READONLY_BUFFER"},
};

struct PickleClassEntry {
  PickleClass cls;
  std::string_view module;
  std::string_view name;
};
constexpr PickleClassEntry kPickleClasses[] = {
    {PickleClass::kSnapshot, "tracemalloc", "Snapshot"},
    {PickleClass::kTraces, "tracemalloc", "_Traces"},
};

std::string PickleOpLabel(uint8_t op) {
  std::string_view name = PickleOpcodeName(op);
  if (name.empty()) return fmt::format("byte 0x{:02x} (no pickle opcode)", op);
  return fmt::format("opcode {} (0x{:02x})", name, op);
}

}  // namespace

std::string_view PickleClassName(PickleClass c) {
  return c == PickleClass::kSnapshot ? "tracemalloc.Snapshot" : "tracemalloc._Traces";
}

std::string_view PickleOpcodeName(uint8_t op) {
  for (const PickleOpName& n : kPickleOpNames)
    if (n.op == op) return n.name;
  return {};
}

std::span<const PickleValue> PickleDocument::items(const PickleValue& v) const {
  if (v.kind == PickleKind::kList) return lists_[v.index];
  return std::span<const PickleValue>(tuple_items_).subspan(static_cast<size_t>(v.number), v.index);
}

// The unpickler's stack machine over the subset.
class PickleMachine {
 public:
  PickleMachine(std::string_view in, const std::string& name, PickleDocument* doc)
      : in_(in), name_(name), doc_(doc) {
    doc_->input_ = in;
  }

  Status Run() {
    if (in_.empty()) return Error("the file is empty, not a pickle", 0);
    if (static_cast<uint8_t>(in_[0]) != kOpProto)
      return Error(fmt::format("not a pickle of protocol 2 or later: it starts with {} (a "
                               "tracemalloc snapshot is written with protocol 4 or 5)",
                               PickleOpLabel(static_cast<uint8_t>(in_[0]))),
                   0);
    while (pos_ < in_.size()) {
      op_at_ = pos_;
      op_ = static_cast<uint8_t>(in_[pos_++]);
      if (op_ == kOpStop) {
        INQ_ASSIGN_OR_RETURN(doc_->root_, Pop());
        return Status::Ok();
      }
      INQ_RETURN_IF_ERROR(Step());
    }
    return Error(fmt::format("the pickle ends after {} bytes without its STOP opcode (a "
                             "truncated file?)",
                             in_.size()),
                 in_.size());
  }

 private:
  Status Error(std::string msg, uint64_t at) const {
    return Status::BadInput(std::move(msg), SourceLocation{name_, 0, at, true});
  }
  Status OpError(std::string_view why) const {
    return Error(fmt::format("{}: {}", PickleOpLabel(op_), why), op_at_);
  }

  // The next n bytes of the current opcode's argument, little-endian.
  Status Need(uint64_t n) const {
    if (n <= in_.size() - pos_) return Status::Ok();
    return Error(fmt::format("the pickle is cut: {} needs {} bytes of argument but {} remain (a "
                             "truncated file?)",
                             PickleOpLabel(op_), n, in_.size() - pos_),
                 op_at_);
  }
  uint64_t Le(size_t n) {
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= uint64_t{static_cast<uint8_t>(in_[pos_ + i])} << (8 * i);
    pos_ += n;
    return v;
  }
  Result<uint64_t> Arg(size_t n) {
    INQ_RETURN_IF_ERROR(Need(n));
    return Le(n);
  }

  size_t Floor() const { return marks_.empty() ? 0 : marks_.back(); }
  Status Push(PickleValue v) {
    stack_.push_back(v);
    return Status::Ok();
  }
  Status PushNew(PickleValue v) {
    ++doc_->values_;
    return Push(v);
  }
  Result<PickleValue> Pop() {
    if (stack_.size() <= Floor()) return OpError("the stack is empty (a corrupt pickle)");
    PickleValue v = stack_.back();
    stack_.pop_back();
    return v;
  }
  Result<PickleValue*> Top() {
    if (stack_.size() <= Floor()) return OpError("the stack is empty (a corrupt pickle)");
    return &stack_.back();
  }
  // The items above the innermost mark, as the start of the run in stack_.
  Result<size_t> PopMark() {
    if (marks_.empty()) return OpError("no MARK is open (a corrupt pickle)");
    size_t start = marks_.back();
    marks_.pop_back();
    return start;
  }

  Status MakeTuple(size_t start) {
    PickleValue t{PickleKind::kTuple, static_cast<uint32_t>(stack_.size() - start),
                  static_cast<int64_t>(doc_->tuple_items_.size())};
    doc_->tuple_items_.insert(doc_->tuple_items_.end(), stack_.begin() + start, stack_.end());
    stack_.resize(start);
    return PushNew(t);
  }
  Status TupleOf(size_t n) {
    if (stack_.size() - Floor() < n) return OpError("the stack holds too few items");
    return MakeTuple(stack_.size() - n);
  }

  Status String(uint64_t length) {
    INQ_RETURN_IF_ERROR(Need(length));
    if (length > UINT32_MAX) return OpError("a string longer than 4 GiB");
    PickleValue v{PickleKind::kString, static_cast<uint32_t>(length), static_cast<int64_t>(pos_)};
    pos_ += length;
    return PushNew(v);
  }

  // LONG1/LONG4: n bytes of two's complement, little-endian.
  Status Long(uint64_t n) {
    if (n > kMaxPickleIntBytes)
      return OpError(
          fmt::format("an integer of {} bytes (at most {} are read)", n, kMaxPickleIntBytes));
    INQ_RETURN_IF_ERROR(Need(n));
    uint64_t raw = Le(static_cast<size_t>(n));
    int64_t v = 0;
    if (n > 0) {
      unsigned shift = static_cast<unsigned>(64 - 8 * n);
      v = static_cast<int64_t>(raw << shift) >> shift;
    }
    return PushNew({PickleKind::kInt, 0, v});
  }

  Status Class(std::string_view module, std::string_view name) {
    for (const PickleClassEntry& c : kPickleClasses)
      if (c.module == module && c.name == name)
        return PushNew({PickleKind::kClass, static_cast<uint32_t>(c.cls), 0});
    return OpError(
        fmt::format("refusing class {}.{}: a tracemalloc snapshot names only "
                    "tracemalloc.Snapshot and tracemalloc._Traces (nothing is run)",
                    module.substr(0, 80), name.substr(0, 80)));
  }

  Status Global() {
    size_t end = std::min(in_.size(), pos_ + kMaxPickleGlobalBytes);
    std::string_view rest = in_.substr(pos_, end - pos_);
    size_t nl1 = rest.find('\n');
    size_t nl2 = nl1 == std::string_view::npos ? nl1 : rest.find('\n', nl1 + 1);
    if (nl2 == std::string_view::npos) {
      if (end == in_.size()) return Need(rest.size() + 1);
      return OpError("a class name longer than 256 bytes");
    }
    pos_ += nl2 + 1;
    return Class(rest.substr(0, nl1), rest.substr(nl1 + 1, nl2 - nl1 - 1));
  }

  Status Memo(uint64_t index) {
    INQ_ASSIGN_OR_RETURN(PickleValue * top, Top());
    if (index > memo_.size())
      return OpError(fmt::format("memo slot {} skips ahead of the {} filled (a corrupt pickle)",
                                 index, memo_.size()));
    if (index == memo_.size())
      memo_.push_back(*top);
    else
      memo_[index] = *top;
    return Status::Ok();
  }
  Status Get(uint64_t index) {
    if (index >= memo_.size())
      return OpError(fmt::format("memo slot {} was never filled ({} are)", index, memo_.size()));
    return Push(memo_[index]);
  }

  Status Append(size_t start) {
    if (start == 0 || start - 1 < Floor()) return OpError("no list below the items");
    PickleValue list = stack_[start - 1];
    if (list.kind != PickleKind::kList) return OpError("the items' target is not a list");
    auto& items = doc_->lists_[list.index];
    items.insert(items.end(), stack_.begin() + start, stack_.end());
    stack_.resize(start);
    return Status::Ok();
  }
  Status SetItems(size_t start) {
    if ((stack_.size() - start) % 2 != 0) return OpError("a key without its value");
    if (start == 0 || start - 1 < Floor()) return OpError("no dict below the items");
    PickleValue dict = stack_[start - 1];
    if (dict.kind != PickleKind::kDict) return OpError("the items' target is not a dict");
    auto& items = doc_->dicts_[dict.index];
    for (size_t i = start; i < stack_.size(); i += 2) items.emplace_back(stack_[i], stack_[i + 1]);
    stack_.resize(start);
    return Status::Ok();
  }

  Status Step() {
    switch (op_) {
      case kOpProto: {
        INQ_ASSIGN_OR_RETURN(uint64_t p, Arg(1));
        if (p < 2 || p > 5) return OpError(fmt::format("protocol {} (2 to 5 are read)", p));
        doc_->protocol_ = static_cast<int>(p);
        return Status::Ok();
      }
      case kOpFrame: {
        INQ_ASSIGN_OR_RETURN(uint64_t n, Arg(8));
        if (n > in_.size() - pos_)
          return Error(fmt::format("the pickle is cut: a FRAME of {} bytes but {} remain (a "
                                   "truncated file?)",
                                   n, in_.size() - pos_),
                       op_at_);
        return Status::Ok();
      }
      case kOpMark:
        if (marks_.size() >= kMaxPickleMarks)
          return OpError(fmt::format("more than {} marks open at once", kMaxPickleMarks));
        marks_.push_back(stack_.size());
        return Status::Ok();
      case kOpPop:
        if (stack_.size() > Floor()) {
          stack_.pop_back();
          return Status::Ok();
        }
        [[fallthrough]];
      case kOpPopMark: {
        INQ_ASSIGN_OR_RETURN(size_t start, PopMark());
        stack_.resize(start);
        return Status::Ok();
      }
      case kOpNone:
        return PushNew({PickleKind::kNone, 0, 0});
      case kOpNewTrue:
      case kOpNewFalse:
        return PushNew({PickleKind::kBool, 0, op_ == kOpNewTrue ? 1 : 0});
      case kOpBinInt: {
        INQ_ASSIGN_OR_RETURN(uint64_t v, Arg(4));
        return PushNew({PickleKind::kInt, 0, static_cast<int32_t>(static_cast<uint32_t>(v))});
      }
      case kOpBinInt1:
      case kOpBinInt2: {
        INQ_ASSIGN_OR_RETURN(uint64_t v, Arg(op_ == kOpBinInt1 ? 1 : 2));
        return PushNew({PickleKind::kInt, 0, static_cast<int64_t>(v)});
      }
      case kOpLong1: {
        INQ_ASSIGN_OR_RETURN(uint64_t n, Arg(1));
        return Long(n);
      }
      case kOpLong4: {
        INQ_ASSIGN_OR_RETURN(uint64_t n, Arg(4));
        if (n & 0x80000000u) return OpError("a negative length");
        return Long(n);
      }
      case kOpShortBinUnicode: {
        INQ_ASSIGN_OR_RETURN(uint64_t n, Arg(1));
        return String(n);
      }
      case kOpBinUnicode: {
        INQ_ASSIGN_OR_RETURN(uint64_t n, Arg(4));
        return String(n);
      }
      case kOpBinUnicode8: {
        INQ_ASSIGN_OR_RETURN(uint64_t n, Arg(8));
        return String(n);
      }
      case kOpEmptyTuple:
        return TupleOf(0);
      case kOpTuple1:
        return TupleOf(1);
      case kOpTuple2:
        return TupleOf(2);
      case kOpTuple3:
        return TupleOf(3);
      case kOpTuple: {
        INQ_ASSIGN_OR_RETURN(size_t start, PopMark());
        return MakeTuple(start);
      }
      case kOpEmptyList:
        doc_->lists_.emplace_back();
        return PushNew({PickleKind::kList, static_cast<uint32_t>(doc_->lists_.size() - 1), 0});
      case kOpEmptyDict:
        doc_->dicts_.emplace_back();
        return PushNew({PickleKind::kDict, static_cast<uint32_t>(doc_->dicts_.size() - 1), 0});
      case kOpAppend:
        if (stack_.size() <= Floor()) return OpError("the stack is empty (a corrupt pickle)");
        return Append(stack_.size() - 1);
      case kOpAppends: {
        INQ_ASSIGN_OR_RETURN(size_t start, PopMark());
        return Append(start);
      }
      case kOpSetItem:
        if (stack_.size() < Floor() + 2) return OpError("the stack holds too few items");
        return SetItems(stack_.size() - 2);
      case kOpSetItems: {
        INQ_ASSIGN_OR_RETURN(size_t start, PopMark());
        return SetItems(start);
      }
      case kOpMemoize:
        return Memo(memo_.size());
      case kOpBinPut:
      case kOpLongBinPut: {
        INQ_ASSIGN_OR_RETURN(uint64_t i, Arg(op_ == kOpBinPut ? 1 : 4));
        return Memo(i);
      }
      case kOpBinGet:
      case kOpLongBinGet: {
        INQ_ASSIGN_OR_RETURN(uint64_t i, Arg(op_ == kOpBinGet ? 1 : 4));
        return Get(i);
      }
      case kOpGlobal:
        return Global();
      case kOpStackGlobal: {
        INQ_ASSIGN_OR_RETURN(PickleValue name, Pop());
        INQ_ASSIGN_OR_RETURN(PickleValue module, Pop());
        if (name.kind != PickleKind::kString || module.kind != PickleKind::kString)
          return OpError("the module and class names are not strings");
        return Class(doc_->str(module), doc_->str(name));
      }
      case kOpNewObj: {
        INQ_ASSIGN_OR_RETURN(PickleValue args, Pop());
        INQ_ASSIGN_OR_RETURN(PickleValue cls, Pop());
        if (cls.kind != PickleKind::kClass) return OpError("the class is not a class");
        if (args.kind != PickleKind::kTuple || args.index != 0)
          return OpError(fmt::format("{} is made without arguments",
                                     PickleClassName(static_cast<PickleClass>(cls.index))));
        doc_->objects_.push_back({static_cast<PickleClass>(cls.index), {}, false, op_at_});
        return PushNew({PickleKind::kObject, static_cast<uint32_t>(doc_->objects_.size() - 1), 0});
      }
      case kOpBuild: {
        INQ_ASSIGN_OR_RETURN(PickleValue state, Pop());
        INQ_ASSIGN_OR_RETURN(PickleValue * obj, Top());
        if (obj->kind != PickleKind::kObject) return OpError("the state's target is no object");
        PickleObject& o = doc_->objects_[obj->index];
        o.state = state;
        o.has_state = true;
        return Status::Ok();
      }
      default:
        break;
    }
    std::string_view name = PickleOpcodeName(op_);
    if (name.empty())
      return Error(fmt::format("{} where an opcode belongs (a corrupt pickle)", PickleOpLabel(op_)),
                   op_at_);
    return OpError(
        "outside the pickle subset a tracemalloc snapshot uses; refused without running it");
  }

  std::string_view in_;
  const std::string& name_;
  PickleDocument* doc_;
  size_t pos_ = 0;
  uint64_t op_at_ = 0;
  uint8_t op_ = 0;
  std::vector<PickleValue> stack_;
  std::vector<size_t> marks_;
  std::vector<PickleValue> memo_;
};

Result<PickleDocument> ReadPickle(std::string_view bytes, const std::string& name) {
  PickleDocument doc;
  PickleMachine m(bytes, name, &doc);
  INQ_RETURN_IF_ERROR(m.Run());
  return doc;
}

}  // namespace inquest::profile
