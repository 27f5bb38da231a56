#include "native/dwfl_session.h"

#include <elfutils/libdw.h>
#include <fcntl.h>
#include <gelf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace inquest {
namespace {

thread_local DwflSession* current_session = nullptr;

int FindElfCallback(Dwfl_Module* mod, void** userdata, const char* modname, Dwarf_Addr base,
                    char** file_name, Elf** elfp) {
  if (current_session != nullptr) {
    return current_session->FindElf(mod, userdata, modname, base, file_name, elfp);
  }
  return dwfl_build_id_find_elf(mod, userdata, modname, base, file_name, elfp);
}

bool IsFolder(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// The default debug folder of Debian and Fedora: build-id links and mirrored paths.
constexpr const char* kSystemDebugDir = "/usr/lib/debug";

}  // namespace

std::string HexBytes(const unsigned char* bits, size_t len) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (size_t i = 0; i < len; ++i) {
    out.push_back(kDigits[bits[i] >> 4]);
    out.push_back(kDigits[bits[i] & 15]);
  }
  return out;
}

std::string ElfBuildId(Elf* elf) {
  size_t shnum = 0;
  // Notes through program headers first (present in executables, libraries and cores' ELF
  // images), then sections (present in separate debug files).
  size_t phnum = 0;
  if (elf_getphdrnum(elf, &phnum) == 0) {
    for (size_t i = 0; i < phnum; ++i) {
      GElf_Phdr phdr;
      if (gelf_getphdr(elf, static_cast<int>(i), &phdr) == nullptr || phdr.p_type != PT_NOTE) {
        continue;
      }
      Elf_Data* data = elf_getdata_rawchunk(elf, phdr.p_offset, phdr.p_filesz, ELF_T_NHDR);
      if (data == nullptr) continue;
      GElf_Nhdr nhdr;
      size_t offset = 0, name_off = 0, desc_off = 0;
      while ((offset = gelf_getnote(data, offset, &nhdr, &name_off, &desc_off)) > 0) {
        if (nhdr.n_type == NT_GNU_BUILD_ID && nhdr.n_namesz == 4 &&
            std::memcmp(static_cast<char*>(data->d_buf) + name_off, "GNU", 4) == 0) {
          return HexBytes(static_cast<unsigned char*>(data->d_buf) + desc_off, nhdr.n_descsz);
        }
      }
    }
  }
  if (elf_getshdrnum(elf, &shnum) != 0) return {};
  for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn; scn = elf_nextscn(elf, scn)) {
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) == nullptr || shdr.sh_type != SHT_NOTE) continue;
    Elf_Data* data = elf_getdata(scn, nullptr);
    if (data == nullptr) continue;
    GElf_Nhdr nhdr;
    size_t offset = 0, name_off = 0, desc_off = 0;
    while ((offset = gelf_getnote(data, offset, &nhdr, &name_off, &desc_off)) > 0) {
      if (nhdr.n_type == NT_GNU_BUILD_ID && nhdr.n_namesz == 4 &&
          std::memcmp(static_cast<char*>(data->d_buf) + name_off, "GNU", 4) == 0) {
        return HexBytes(static_cast<unsigned char*>(data->d_buf) + desc_off, nhdr.n_descsz);
      }
    }
  }
  return {};
}

std::string FileBuildId(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  elf_version(EV_CURRENT);
  Elf* elf = elf_begin(fd, ELF_C_READ_MMAP, nullptr);
  std::string id = elf != nullptr && elf_kind(elf) == ELF_K_ELF ? ElfBuildId(elf) : std::string();
  if (elf != nullptr) elf_end(elf);
  ::close(fd);
  return id;
}

// True when the ELF has a full symbol table (.symtab), not only the dynamic one.
static bool HasSymtab(Elf* elf) {
  for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn; scn = elf_nextscn(elf, scn)) {
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) != nullptr && shdr.sh_type == SHT_SYMTAB) return true;
  }
  return false;
}

std::string_view SymbolStatusName(SymbolStatus s) {
  switch (s) {
    case SymbolStatus::kFull:
      return "full";
    case SymbolStatus::kSymbolsOnly:
      return "symbols only";
    case SymbolStatus::kNoSymbols:
      return "stripped";
    case SymbolStatus::kMissing:
      return "missing";
    case SymbolStatus::kMismatch:
      return "mismatch";
  }
  return "?";
}

DwflSession::DwflSession(const SymbolSearch& search) : search_(search) {}

DwflSession::~DwflSession() {
  if (dwfl_ != nullptr) dwfl_end(dwfl_);
}

Result<std::unique_ptr<DwflSession>> DwflSession::Create(const SymbolSearch& search) {
  for (const std::string& dir : search.debug_dirs) {
    if (!IsFolder(dir)) return Status::InvalidArgument("--debug-dir " + dir + " is not a folder");
  }
  if (!search.sysroot.empty() && !IsFolder(search.sysroot)) {
    return Status::InvalidArgument("--sysroot " + search.sysroot + " is not a folder");
  }
  if (!search.exe.empty() && ::access(search.exe.c_str(), R_OK) != 0) {
    return Status::InvalidArgument("--exe " + search.exe + ": " + std::strerror(errno));
  }
  // libdwfl asks debuginfod whenever $DEBUGINFOD_URLS is set; a post-mortem must not reach
  // the network unasked, so the variable only survives with the option.
  if (!search.debuginfod) {
    ::unsetenv("DEBUGINFOD_URLS");
  } else {
    ::setenv("DEBUGINFOD_TIMEOUT", std::to_string(search.debuginfod_timeout_seconds).c_str(), 1);
  }
  std::unique_ptr<DwflSession> s(new DwflSession(search));
  // "-": do not check .gnu_debuglink CRCs (a mismatching build-id is caught anyway and the CRC
  // costs a read of the whole debug file); ".debug": beside the module; then absolute folders.
  s->debuginfo_path_ = std::string("-:.debug:") + kSystemDebugDir;
  for (const std::string& dir : search.debug_dirs) {
    char* real = ::realpath(dir.c_str(), nullptr);
    s->debuginfo_path_ += ":";
    s->debuginfo_path_ += real != nullptr ? real : dir;
    std::free(real);
  }
  if (!search.sysroot.empty()) s->debuginfo_path_ += ":" + search.sysroot + kSystemDebugDir;
  s->debuginfo_path_ptr_ = s->debuginfo_path_.data();
  s->callbacks_.find_elf = FindElfCallback;
  s->callbacks_.find_debuginfo = dwfl_standard_find_debuginfo;
  s->callbacks_.section_address = dwfl_offline_section_address;
  s->callbacks_.debuginfo_path = &s->debuginfo_path_ptr_;
  s->dwfl_ = dwfl_begin(&s->callbacks_);
  if (s->dwfl_ == nullptr) {
    return Status::Internal(std::string("libdwfl: ") + dwfl_errmsg(-1));
  }
  return s;
}

DwflSession::Scope::Scope(DwflSession* s) : previous_(current_session) { current_session = s; }
DwflSession::Scope::~Scope() { current_session = previous_; }

int DwflSession::FindElf(Dwfl_Module* mod, void** userdata, const char* modname, Dwarf_Addr base,
                         char** file_name, Elf** elfp) {
  const unsigned char* want_bits = nullptr;
  GElf_Addr want_vaddr = 0;
  int want_len = dwfl_module_build_id(mod, &want_bits, &want_vaddr);
  std::string want = want_len > 0 ? HexBytes(want_bits, want_len) : std::string();
  std::string name = modname != nullptr ? modname : "";

  std::vector<std::string> candidates;
  Dwarf_Addr start = 0, end = 0;
  dwfl_module_info(mod, nullptr, &start, &end, nullptr, nullptr, nullptr, nullptr);
  bool is_main = (!main_name_.empty() && name == main_name_) ||
                 (main_address_ != 0 && main_address_ >= start && main_address_ < end);
  if (is_main && !search_.exe.empty()) candidates.push_back(search_.exe);
  if (!name.empty() && name[0] == '/') {
    if (!search_.sysroot.empty()) candidates.push_back(search_.sysroot + name);
    candidates.push_back(name);
  }
  for (const std::string& path : candidates) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    Elf* elf = elf_begin(fd, ELF_C_READ_MMAP, nullptr);
    if (elf == nullptr || elf_kind(elf) != ELF_K_ELF) {
      if (elf) elf_end(elf);
      ::close(fd);
      continue;
    }
    std::string have = ElfBuildId(elf);
    if (!want.empty() && !have.empty() && have != want) {
      notes[name] = "build-id " + have + " of " + path + " differs from the process's " + want;
      elf_end(elf);
      ::close(fd);
      continue;
    }
    *file_name = ::strdup(path.c_str());
    *elfp = elf;
    return fd;
  }
  return dwfl_build_id_find_elf(mod, userdata, modname, base, file_name, elfp);
}

ModuleInfo DwflSession::Describe(Dwfl_Module* mod) {
  Scope scope(this);
  ModuleInfo info;
  Dwarf_Addr start = 0, end = 0;
  const char* name =
      dwfl_module_info(mod, nullptr, &start, &end, nullptr, nullptr, nullptr, nullptr);
  info.name = name != nullptr ? name : "";
  info.start = start;
  info.end = end;
  const unsigned char* bits = nullptr;
  GElf_Addr vaddr = 0;
  int len = dwfl_module_build_id(mod, &bits, &vaddr);
  if (len > 0) info.build_id = HexBytes(bits, len);
  Dwarf_Addr bias = 0;
  Elf* elf = dwfl_module_getelf(mod, &bias);
  if (elf == nullptr) {
    auto it = notes.find(info.name);
    if (it != notes.end()) {
      info.status = SymbolStatus::kMismatch;
      info.note = it->second;
    } else {
      info.status = SymbolStatus::kMissing;
      info.note = "no file found for " + info.name;
    }
    return info;
  }
  if (info.build_id.empty()) info.build_id = ElfBuildId(elf);
  Dwarf* dwarf = dwfl_module_getdwarf(mod, &bias);
  const char* mainfile = nullptr;
  const char* debugfile = nullptr;
  dwfl_module_info(mod, nullptr, nullptr, nullptr, nullptr, nullptr, &mainfile, &debugfile);
  info.elf_path = mainfile != nullptr ? mainfile : "";
  if (debugfile != nullptr && info.elf_path != debugfile) info.debug_path = debugfile;
  if (dwarf != nullptr) {
    info.status = SymbolStatus::kFull;
  } else if (dwfl_module_getsymtab(mod) > 0 && HasSymtab(elf)) {
    info.status = SymbolStatus::kSymbolsOnly;
  } else {
    info.status = SymbolStatus::kNoSymbols;
    info.note = "stripped: only exported (dynamic) symbols; other code shows as module + offset";
  }
  if (info.elf_path.empty() && !info.name.empty() && info.name[0] == '/' &&
      !info.build_id.empty() && FileBuildId(info.name) == info.build_id) {
    info.elf_path = info.name;  // libdwfl opened the mapped path itself (NT_FILE)
  }
  if (info.elf_path.empty()) info.note = "ELF image read from the core's memory";
  return info;
}

std::vector<ModuleInfo> DwflSession::DescribeAll() {
  std::vector<Dwfl_Module*> mods;
  dwfl_getmodules(
      dwfl_,
      [](Dwfl_Module* mod, void**, const char*, Dwarf_Addr, void* arg) -> int {
        static_cast<std::vector<Dwfl_Module*>*>(arg)->push_back(mod);
        return DWARF_CB_OK;
      },
      &mods, 0);
  std::vector<ModuleInfo> out;
  out.reserve(mods.size());
  for (Dwfl_Module* m : mods) out.push_back(Describe(m));
  std::sort(out.begin(), out.end(),
            [](const ModuleInfo& a, const ModuleInfo& b) { return a.start < b.start; });
  return out;
}

}  // namespace inquest
