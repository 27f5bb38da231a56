/* The content of a crash file (format in docs/capture.md), written at crash time with
 * async-signal-safe calls only. */
#define _GNU_SOURCE
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "crash_internal.h"
#include "inquest/crash.h"

static void put_kv_dec(struct inq_writer* w, const char* key, int64_t v) {
  inq_puts(w, key);
  inq_puts(w, " ");
  inq_put_dec(w, v);
  inq_puts(w, "\n");
}

static void put_reg(struct inq_writer* w, const char* name, uint64_t v) {
  inq_puts(w, "reg ");
  inq_puts(w, name);
  inq_puts(w, " ");
  inq_put_hex(w, v);
  inq_puts(w, "\n");
}

/* The program counter of the interrupted code, 0 when the architecture is not known. */
static uint64_t write_registers(struct inq_writer* w, const void* ucontext) {
  const ucontext_t* uc = (const ucontext_t*)ucontext;
  if (uc == NULL) return 0;
#if defined(__x86_64__)
  static const struct {
    const char* name;
    int index;
  } kRegs[] = {{"rip", REG_RIP}, {"rsp", REG_RSP},   {"rbp", REG_RBP}, {"rax", REG_RAX},
               {"rbx", REG_RBX}, {"rcx", REG_RCX},   {"rdx", REG_RDX}, {"rsi", REG_RSI},
               {"rdi", REG_RDI}, {"r8", REG_R8},     {"r9", REG_R9},   {"r10", REG_R10},
               {"r11", REG_R11}, {"r12", REG_R12},   {"r13", REG_R13}, {"r14", REG_R14},
               {"r15", REG_R15}, {"eflags", REG_EFL}};
  inq_puts(w, "arch x86_64\n");
  for (size_t i = 0; i < sizeof(kRegs) / sizeof(kRegs[0]); ++i) {
    put_reg(w, kRegs[i].name, (uint64_t)uc->uc_mcontext.gregs[kRegs[i].index]);
  }
  return (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
  static const char* const kNames[31] = {"x0",  "x1",  "x2",  "x3",  "x4",  "x5",  "x6",  "x7",
                                         "x8",  "x9",  "x10", "x11", "x12", "x13", "x14", "x15",
                                         "x16", "x17", "x18", "x19", "x20", "x21", "x22", "x23",
                                         "x24", "x25", "x26", "x27", "x28", "x29", "x30"};
  inq_puts(w, "arch aarch64\n");
  put_reg(w, "pc", uc->uc_mcontext.pc);
  put_reg(w, "sp", uc->uc_mcontext.sp);
  for (int i = 0; i < 31; ++i) put_reg(w, kNames[i], uc->uc_mcontext.regs[i]);
  return uc->uc_mcontext.pc;
#else
  inq_puts(w, "arch unknown\n");
  return 0;
#endif
}

/* Copies /proc/self/maps into `maps` (up to maps_cap bytes); returns the length and sets
 * *truncated when the buffer was too small. */
static size_t read_maps(char* maps, size_t maps_cap, int* truncated) {
  *truncated = 0;
  int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  size_t len = 0;
  for (;;) {
    if (len == maps_cap) {
      char probe;
      *truncated = read(fd, &probe, 1) > 0;
      break;
    }
    ssize_t n = read(fd, maps + len, maps_cap - len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    len += (size_t)n;
  }
  close(fd);
  /* A cut last line is dropped rather than written half. */
  if (*truncated) {
    while (len > 0 && maps[len - 1] != '\n') --len;
  }
  return len;
}

void inq_write_crash(struct inq_writer* w, int sig, const siginfo_t* info, const void* ucontext,
                     void** frames, int frame_cap, char* maps, size_t maps_cap) {
  inq_puts(w, INQUEST_CRASH_MAGIC "\n");
  put_kv_dec(w, "signal", sig);
  if (info != NULL) {
    put_kv_dec(w, "code", info->si_code);
    inq_puts(w, "fault_addr ");
    inq_put_hex(w, (uint64_t)(uintptr_t)info->si_addr);
    inq_puts(w, "\n");
    if (info->si_code <= 0) put_kv_dec(w, "sender_pid", info->si_pid);
  }
  put_kv_dec(w, "pid", getpid());
  put_kv_dec(w, "tid", syscall(SYS_gettid));
  struct timespec now;
  if (clock_gettime(CLOCK_REALTIME, &now) == 0) {
    char ns[12];
    size_t n = inq_format_dec(ns, (uint64_t)now.tv_nsec);
    inq_puts(w, "time ");
    inq_put_dec(w, now.tv_sec);
    inq_puts(w, ".");
    for (size_t i = n; i < 9; ++i) inq_puts(w, "0");
    inq_put(w, ns, n);
    inq_puts(w, "\n");
  }
  char exe[4096];
  ssize_t exe_len = readlink("/proc/self/exe", exe, sizeof(exe));
  if (exe_len > 0 && (size_t)exe_len < sizeof(exe)) {
    inq_puts(w, "exe ");
    inq_put(w, exe, (size_t)exe_len);
    inq_puts(w, "\n");
  }
  uint64_t pc = write_registers(w, ucontext);
  /* Written now so that a hang in the unwinder still leaves the essentials on disk. */
  inq_flush(w);

  int frame_count = backtrace(frames, frame_cap);
  /* frames[] starts in this handler and the signal trampoline; the interrupted code starts
   * where the program counter appears. */
  int first = -1;
  for (int i = 0; i < frame_count; ++i) {
    if ((uint64_t)(uintptr_t)frames[i] == pc) {
      first = i;
      break;
    }
  }
  if (first < 0) {
    /* A jump to a bad address leaves the pc off the unwound stack: write it, then the whole
     * unwound stack, and say so. */
    inq_puts(w,
             "note pc not found on the unwound stack; frames after the first include the "
             "handler\n");
    inq_puts(w, "frame ");
    inq_put_hex(w, pc);
    inq_puts(w, "\n");
    first = 0;
  }
  for (int i = first; i < frame_count; ++i) {
    inq_puts(w, "frame ");
    inq_put_hex(w, (uint64_t)(uintptr_t)frames[i]);
    inq_puts(w, "\n");
  }
  inq_flush(w);

  int truncated = 0;
  size_t maps_len = read_maps(maps, maps_cap, &truncated);
  const char* end = maps + maps_len;
  for (const char* line = maps; line < end;) {
    const char* nl = memchr(line, '\n', (size_t)(end - line));
    const char* line_end = nl ? nl : end;
    inq_puts(w, "map ");
    inq_put(w, line, (size_t)(line_end - line));
    inq_puts(w, "\n");
    line = line_end + 1;
  }
  if (truncated) inq_puts(w, "note maps truncated\n");
  inq_write_build_ids(w, maps, maps_len);
  inq_puts(w, "end\n");
  inq_flush(w);
}
