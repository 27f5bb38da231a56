#include "native/core_file.h"

#include <elf.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <iterator>

namespace inquest {
namespace {

// Limits on counts read from the file: far above any real process, low enough that a hostile
// core cannot make inquest allocate without bound.
constexpr uint64_t kMaxProgramHeaders = 1 << 20;
constexpr uint64_t kMaxFileNoteEntries = 1 << 20;

// struct elf_prstatus on x86-64: offsets of the fields read.
constexpr size_t kPrstatusCursig = 12;
constexpr size_t kPrstatusPid = 32;
constexpr size_t kPrstatusRegs = 112;
constexpr size_t kPrstatusSize = kPrstatusRegs + kX86_64RegCount * 8;
// struct elf_prpsinfo on x86-64.
constexpr size_t kPrpsinfoUid = 16;
constexpr size_t kPrpsinfoPid = 24;
constexpr size_t kPrpsinfoFname = 40;
constexpr size_t kPrpsinfoFnameLen = 16;
constexpr size_t kPrpsinfoArgs = 56;
constexpr size_t kPrpsinfoArgsLen = 80;
constexpr size_t kPrpsinfoSize = kPrpsinfoArgs + kPrpsinfoArgsLen;
// siginfo_t: the union starts at 16 on 64-bit targets.
constexpr size_t kSiginfoUnion = 16;
constexpr size_t kSiginfoMin = kSiginfoUnion + 8;
// Longest AT_EXECFN string read from the core's memory.
constexpr size_t kMaxExecfn = 4096;

template <typename T>
bool Load(std::string_view bytes, uint64_t offset, T* out) {
  if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) return false;
  std::memcpy(out, bytes.data() + offset, sizeof(T));
  return true;
}

template <typename T>
T At(std::string_view desc, size_t offset) {
  T v{};
  std::memcpy(&v, desc.data() + offset, sizeof(T));
  return v;
}

std::string CString(std::string_view desc, size_t offset, size_t max) {
  std::string_view s = desc.substr(offset, max);
  size_t nul = s.find('\0');
  return std::string(nul == std::string_view::npos ? s : s.substr(0, nul));
}

void ParseFileNote(std::string_view desc, uint64_t note_offset, CoreFile* core) {
  if (desc.size() < 16) {
    core->problems.push_back(fmt::format("byte {}: NT_FILE note too short", note_offset));
    return;
  }
  uint64_t count = At<uint64_t>(desc, 0);
  uint64_t page_size = At<uint64_t>(desc, 8);
  if (count > kMaxFileNoteEntries || count * 24 > desc.size() - 16) {
    core->problems.push_back(fmt::format(
        "byte {}: NT_FILE note claims {} mappings, more than it holds", note_offset, count));
    return;
  }
  size_t names = 16 + count * 24;
  for (uint64_t i = 0; i < count; ++i) {
    ModuleMapping m;
    m.start = At<uint64_t>(desc, 16 + i * 24);
    m.end = At<uint64_t>(desc, 24 + i * 24);
    m.offset = At<uint64_t>(desc, 32 + i * 24) * page_size;
    if (names >= desc.size()) {
      core->problems.push_back(
          fmt::format("byte {}: NT_FILE note ends before mapping {}'s name", note_offset, i));
      return;
    }
    size_t nul = desc.find('\0', names);
    if (nul == std::string_view::npos) nul = desc.size();
    m.path = std::string(desc.substr(names, nul - names));
    names = nul + 1;
    core->mappings.push_back(std::move(m));
  }
}

void ParseNote(uint32_t type, std::string_view name, std::string_view desc, uint64_t offset,
               CoreFile* core) {
  if (name != "CORE" && name != "LINUX") return;
  if (name == "CORE" && type == NT_PRSTATUS) {
    if (desc.size() < kPrstatusSize) {
      core->problems.push_back(fmt::format("byte {}: NT_PRSTATUS note is {} bytes, expected {}",
                                           offset, desc.size(), kPrstatusSize));
      return;
    }
    CoreThreadState t;
    t.tid = At<int32_t>(desc, kPrstatusPid);
    t.signal = At<int16_t>(desc, kPrstatusCursig);
    for (size_t i = 0; i < kX86_64RegCount; ++i) {
      t.regs[i] = At<uint64_t>(desc, kPrstatusRegs + i * 8);
    }
    t.note_offset = offset;
    core->threads.push_back(t);
  } else if (name == "CORE" && type == NT_PRPSINFO) {
    if (desc.size() < kPrpsinfoSize) {
      core->problems.push_back(fmt::format("byte {}: NT_PRPSINFO note too short", offset));
      return;
    }
    core->uid = At<uint32_t>(desc, kPrpsinfoUid);
    core->pid = At<int32_t>(desc, kPrpsinfoPid);
    core->command = CString(desc, kPrpsinfoFname, kPrpsinfoFnameLen);
    core->args = CString(desc, kPrpsinfoArgs, kPrpsinfoArgsLen);
    while (!core->args.empty() && core->args.back() == ' ') core->args.pop_back();
  } else if (name == "CORE" && type == NT_SIGINFO) {
    if (desc.size() < kSiginfoMin) {
      core->problems.push_back(fmt::format("byte {}: NT_SIGINFO note too short", offset));
      return;
    }
    CoreSigInfo si;
    si.signo = At<int32_t>(desc, 0);
    si.err = At<int32_t>(desc, 4);
    si.code = At<int32_t>(desc, 8);
    si.addr = At<uint64_t>(desc, kSiginfoUnion);
    si.sender_pid = At<int32_t>(desc, kSiginfoUnion);
    si.sender_uid = At<int32_t>(desc, kSiginfoUnion + 4);
    core->siginfo = si;
  } else if (name == "CORE" && type == NT_FILE) {
    ParseFileNote(desc, offset, core);
  } else if (name == "CORE" && type == NT_AUXV) {
    for (size_t i = 0; i + 16 <= desc.size(); i += 16) {
      core->auxv.emplace_back(At<uint64_t>(desc, i), At<uint64_t>(desc, i + 8));
    }
  }
}

void ParseNotes(std::string_view bytes, uint64_t start, uint64_t size, CoreFile* core) {
  uint64_t end = start + size;
  uint64_t pos = start;
  while (pos + 12 <= end) {
    uint32_t namesz = 0, descsz = 0, type = 0;
    (void)Load(bytes, pos, &namesz);
    (void)Load(bytes, pos + 4, &descsz);
    (void)Load(bytes, pos + 8, &type);
    uint64_t name_at = pos + 12;
    uint64_t desc_at = name_at + ((uint64_t{namesz} + 3) & ~uint64_t{3});
    uint64_t next = desc_at + ((uint64_t{descsz} + 3) & ~uint64_t{3});
    if (desc_at > end || next > end + 3 || desc_at + descsz > end) {
      core->problems.push_back(
          fmt::format("byte {}: note of type {} claims {} + {} bytes, past the end of its segment",
                      pos, type, namesz, descsz));
      return;
    }
    std::string_view name = bytes.substr(name_at, namesz);
    if (!name.empty() && name.back() == '\0') name.remove_suffix(1);
    ParseNote(type, name, bytes.substr(desc_at, descsz), pos, core);
    pos = next;
  }
}

}  // namespace

std::string_view X86_64RegName(size_t i) {
  static constexpr std::string_view kNames[kX86_64RegCount] = {
      "r15",    "r14", "r13", "r12",     "rbp",     "rbx", "r11",      "r10", "r9",
      "r8",     "rax", "rcx", "rdx",     "rsi",     "rdi", "orig_rax", "rip", "cs",
      "eflags", "rsp", "ss",  "fs_base", "gs_base", "ds",  "es",       "fs",  "gs"};
  return i < kX86_64RegCount ? kNames[i] : "?";
}

double ProbeCore(std::string_view head) {
  if (head.size() < EI_NIDENT + 4 || head.substr(0, 4) != ELFMAG) return 0;
  uint16_t type = 0;
  std::memcpy(&type, head.data() + EI_NIDENT, 2);
  if (head[EI_DATA] == ELFDATA2MSB) type = static_cast<uint16_t>((type >> 8) | (type << 8));
  return type == ET_CORE ? 1.0 : 0.0;
}

namespace {

// Copies `len` bytes at `vaddr` of the core's memory with copy(file offset, dst, n). `loads` is
// sorted by address: the segment holding vaddr is the last one starting at or before it.
template <typename Copy>
bool ReadSegments(const std::vector<CoreLoadSegment>& loads, uint64_t vaddr, void* out, size_t len,
                  Copy copy) {
  auto* dst = static_cast<char*>(out);
  while (len > 0) {
    auto it = std::upper_bound(loads.begin(), loads.end(), vaddr,
                               [](uint64_t a, const CoreLoadSegment& s) { return a < s.vaddr; });
    if (it == loads.begin()) return false;
    const CoreLoadSegment* seg = &*std::prev(it);
    if (vaddr - seg->vaddr >= seg->present) return false;
    uint64_t in_seg = vaddr - seg->vaddr;
    size_t n = static_cast<size_t>(std::min<uint64_t>(len, seg->present - in_seg));
    if (!copy(seg->offset + in_seg, dst, n)) return false;
    dst += n;
    vaddr += n;
    len -= n;
  }
  return true;
}

}  // namespace

bool CoreFile::ReadMemoryFrom(int fd, uint64_t vaddr, void* out, size_t len) const {
  return ReadSegments(loads, vaddr, out, len, [fd](uint64_t off, char* dst, size_t n) {
    return ::pread(fd, dst, n, static_cast<off_t>(off)) == static_cast<ssize_t>(n);
  });
}

bool CoreFile::ReadMemory(std::string_view bytes, uint64_t vaddr, void* out, size_t len) const {
  return ReadSegments(loads, vaddr, out, len, [bytes](uint64_t off, char* dst, size_t n) {
    std::memcpy(dst, bytes.data() + off, n);
    return true;
  });
}

Result<CoreFile> ParseCoreFile(std::string_view bytes, const std::string& path) {
  CoreFile core;
  core.file_size = bytes.size();
  if (bytes.size() < EI_NIDENT || bytes.substr(0, 4) != ELFMAG) {
    return Status::BadInput("not an ELF file (no \\x7fELF magic)", {path, 0, 0, true});
  }
  if (bytes[EI_CLASS] != ELFCLASS64 || bytes[EI_DATA] != ELFDATA2LSB) {
    return Status::Unsupported(path + ": a " +
                               (bytes[EI_CLASS] == ELFCLASS32 ? "32-bit" : "big-endian") +
                               " ELF file; inquest reads x86-64 cores");
  }
  Elf64_Ehdr eh;
  if (!Load(bytes, 0, &eh)) {
    return Status::BadInput("ELF header cut short", {path, 0, bytes.size(), true});
  }
  if (eh.e_type != ET_CORE) {
    return Status::BadInput(
        fmt::format("an ELF {} file, not a core (ELF type {})",
                    eh.e_type == ET_EXEC || eh.e_type == ET_DYN ? "executable or library" : "",
                    eh.e_type),
        {path, 0, 16, true});
  }
  if (eh.e_machine != EM_X86_64) {
    return Status::Unsupported(fmt::format(
        "{}: a core of another architecture (ELF machine {}{}); inquest reads x86-64 cores", path,
        eh.e_machine, eh.e_machine == EM_AARCH64 ? ", AArch64" : ""));
  }
  if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum > kMaxProgramHeaders) {
    return Status::BadInput(
        fmt::format("ELF header: {} program headers of {} bytes", eh.e_phnum, eh.e_phentsize),
        {path, 0, 54, true});
  }
  uint64_t phnum = eh.e_phnum;
  if (phnum == PN_XNUM) {  // the real count is in section 0's sh_info
    Elf64_Shdr sh0;
    if (Load(bytes, eh.e_shoff, &sh0)) phnum = std::min<uint64_t>(sh0.sh_info, kMaxProgramHeaders);
  }
  for (uint64_t i = 0; i < phnum; ++i) {
    Elf64_Phdr ph;
    uint64_t at = eh.e_phoff + i * sizeof(Elf64_Phdr);
    if (!Load(bytes, at, &ph)) {
      core.truncated = true;
      core.problems.push_back(fmt::format(
          "byte {}: program header {} of {} lies past the end of the file", at, i, phnum));
      break;
    }
    if (ph.p_type == PT_LOAD) {
      CoreLoadSegment s{ph.p_vaddr, ph.p_memsz, ph.p_offset, ph.p_filesz, 0, ph.p_flags};
      if (ph.p_offset < bytes.size()) {
        s.present = std::min<uint64_t>(ph.p_filesz, bytes.size() - ph.p_offset);
      }
      if (s.present < s.filesz) core.truncated = true;
      core.loads.push_back(s);
    } else if (ph.p_type == PT_NOTE) {
      if (ph.p_offset > bytes.size()) {
        core.truncated = true;
        core.problems.push_back(fmt::format("byte {}: notes lie past the end of the file", at));
        continue;
      }
      uint64_t size = std::min<uint64_t>(ph.p_filesz, bytes.size() - ph.p_offset);
      if (size < ph.p_filesz) {
        core.truncated = true;
        core.problems.push_back(fmt::format("byte {}: the notes are cut short ({} of {} bytes)",
                                            ph.p_offset, size, ph.p_filesz));
      }
      ParseNotes(bytes, ph.p_offset, size, &core);
    }
  }
  std::stable_sort(
      core.loads.begin(), core.loads.end(),
      [](const CoreLoadSegment& a, const CoreLoadSegment& b) { return a.vaddr < b.vaddr; });
  if (core.truncated) {
    uint64_t want = 0;
    for (const CoreLoadSegment& s : core.loads) want = std::max(want, s.offset + s.filesz);
    if (want > bytes.size()) {
      core.problems.push_back(
          fmt::format("the core is cut short: {} bytes of {}; memory past byte {} is missing",
                      bytes.size(), want, bytes.size()));
    }
  }
  for (const auto& [key, value] : core.auxv) {
    if (key != AT_EXECFN) continue;
    char buf[kMaxExecfn];
    size_t n = 0;
    while (n < sizeof(buf) && core.ReadMemory(bytes, value + n, &buf[n], 1) && buf[n] != '\0') {
      ++n;
    }
    if (n < sizeof(buf) && n > 0) core.execfn.assign(buf, n);
  }
  if (core.pid == 0 && !core.threads.empty()) core.pid = core.threads[0].tid;
  return core;
}

}  // namespace inquest
