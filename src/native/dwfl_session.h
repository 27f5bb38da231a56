// The libdwfl session shared by the symbolizer and the core reader: a Dwfl whose file search
// follows SymbolSearch (--exe, --sysroot, build-id folders, .gnu_debuglink, --debug-dir,
// debuginfod only when asked), and what was learnt about each module while searching.
//
//   INQ_ASSIGN_OR_RETURN(std::unique_ptr<DwflSession> s, DwflSession::Create(search));
//   dwfl_report_begin(s->dwfl()); ... dwfl_report_end(s->dwfl(), nullptr, nullptr);
//   s->set_main_module_name("/srv/billing");
//   DwflSession::Scope scope(s.get());   // around every libdwfl call that may search files
#ifndef INQUEST_NATIVE_DWFL_SESSION_H_
#define INQUEST_NATIVE_DWFL_SESSION_H_

#include <elfutils/libdwfl.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "native/symbolizer.h"

namespace inquest {

class DwflSession {
 public:
  // Fails (InvalidArgument) when a --debug-dir or --sysroot is not a folder, or --exe is not a
  // readable file. Sets or clears $DEBUGINFOD_URLS for this process as `search.debuginfod`
  // says (libdwfl reads it when a file is missing).
  static Result<std::unique_ptr<DwflSession>> Create(const SymbolSearch& search);
  ~DwflSession();
  DwflSession(const DwflSession&) = delete;
  DwflSession& operator=(const DwflSession&) = delete;

  Dwfl* dwfl() const { return dwfl_; }
  const SymbolSearch& search() const { return search_; }

  // The module name (as reported) of the main executable: --exe replaces it.
  void set_main_module_name(std::string name) { main_name_ = std::move(name); }
  const std::string& main_module_name() const { return main_name_; }
  // An address inside the main executable (AT_ENTRY): the module holding it is the main one
  // whatever name it was reported under.
  void set_main_address(uint64_t addr) { main_address_ = addr; }

  // Makes this session the one the file-search callbacks consult while it lives (libdwfl's
  // callbacks carry no user pointer for the session). Nestable, one thread.
  class Scope {
   public:
    explicit Scope(DwflSession* s);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    DwflSession* previous_;
  };

  // Searches files for `mod` (if not yet done) and says what was found.
  ModuleInfo Describe(Dwfl_Module* mod);
  // Every module in address order, described.
  std::vector<ModuleInfo> DescribeAll();

  // The callbacks' side (public for the C callbacks in dwfl_session.cc).
  int FindElf(Dwfl_Module* mod, void** userdata, const char* modname, Dwarf_Addr base,
              char** file_name, Elf** elfp);
  std::map<std::string, std::string> notes;  // module name -> why its file was rejected

 private:
  explicit DwflSession(const SymbolSearch& search);
  SymbolSearch search_;
  std::string debuginfo_path_;  // libdwfl's search path: "-:.debug:/usr/lib/debug:DIR..."
  char* debuginfo_path_ptr_ = nullptr;
  Dwfl_Callbacks callbacks_{};
  Dwfl* dwfl_ = nullptr;
  std::string main_name_;
  uint64_t main_address_ = 0;
};

// Lower-case hex of `len` bytes.
std::string HexBytes(const unsigned char* bits, size_t len);

// The GNU build-id of an open ELF, hex, or empty.
std::string ElfBuildId(Elf* elf);

// The GNU build-id of the ELF file at `path`, hex, or empty (no file, not ELF, no build-id).
std::string FileBuildId(const std::string& path);

}  // namespace inquest

#endif  // INQUEST_NATIVE_DWFL_SESSION_H_
