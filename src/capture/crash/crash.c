/* Installation of the crash handler and what happens at crash time: one crash file, then the
 * previous handler and the original signal (see the safety argument in inquest/crash.h). */
#define _GNU_SOURCE
#include "inquest/crash.h"

#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "crash_internal.h"

/* The signals that mean the program is dying of its own fault (or of abort()). */
static const int kSignals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
#define INQ_SIGNAL_COUNT ((int)(sizeof(kSignals) / sizeof(kSignals[0])))

/* Return addresses kept: deeper stacks are recursion, and the top 256 frames say where. */
#define INQ_MAX_FRAMES 256
/* /proc/self/maps of a large program (a JVM, a browser) is a few hundred KiB; beyond this the
 * file says the maps were truncated. */
#define INQ_MAPS_BYTES (4u << 20)
/* The alternate stack: the handler plus the unwinder need well under 32 KiB; 64 KiB leaves
 * room for a chained handler. */
#define INQ_ALT_STACK_BYTES (64u << 10)
/* A thread that crashes while another is writing waits this long before it goes on. */
#define INQ_WAIT_OTHER_CRASH_NS (5LL * 1000 * 1000 * 1000)
#define INQ_WAIT_STEP_NS (10LL * 1000 * 1000)
/* Attempts at a free file name (crash-PID-TID-SECONDS-N.txt) before giving up. */
#define INQ_NAME_ATTEMPTS 100

static char g_dir[PATH_MAX];
static size_t g_dir_len;
static char* g_maps;
static void* g_frames[INQ_MAX_FRAMES];
static struct sigaction g_previous[INQ_SIGNAL_COUNT];
static struct inq_writer g_writer;
static atomic_int g_installed;
static atomic_int g_crashing; /* 1 while a thread writes its crash file */
static atomic_int g_written;  /* 1 once a crash file is complete */

static int signal_index(int sig) {
  for (int i = 0; i < INQ_SIGNAL_COUNT; ++i) {
    if (kSignals[i] == sig) return i;
  }
  return -1;
}

/* g_dir + "/crash-PID-TID-SECONDS[-N].txt", created O_EXCL with mode 0600. */
static int open_crash_file(void) {
  char path[PATH_MAX + 96];
  memcpy(path, g_dir, g_dir_len);
  size_t base = g_dir_len;
  memcpy(path + base, "/crash-", 7);
  base += 7;
  base += inq_format_dec(path + base, (uint64_t)getpid());
  path[base++] = '-';
  base += inq_format_dec(path + base, (uint64_t)syscall(SYS_gettid));
  path[base++] = '-';
  struct timespec now;
  if (clock_gettime(CLOCK_REALTIME, &now) != 0) now.tv_sec = 0;
  base += inq_format_dec(path + base, (uint64_t)now.tv_sec);
  for (int attempt = 0; attempt < INQ_NAME_ATTEMPTS; ++attempt) {
    size_t n = base;
    if (attempt > 0) {
      path[n++] = '-';
      n += inq_format_dec(path + n, (uint64_t)attempt);
    }
    memcpy(path + n, ".txt", 5);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  return -1;
}

static void write_crash_file(int sig, siginfo_t* info, void* ucontext) {
  int fd = open_crash_file();
  if (fd < 0) return;
  g_writer.fd = fd;
  g_writer.failed = 0;
  g_writer.len = 0;
  inq_write_crash(&g_writer, sig, info, ucontext, g_frames, INQ_MAX_FRAMES, g_maps, INQ_MAPS_BYTES);
  fsync(fd);
  close(fd);
}

/* Puts the previous handler back and runs it; then makes the signal take its default action
 * once the handler returns. */
static void chain(int sig, siginfo_t* info, void* ucontext) {
  int i = signal_index(sig);
  if (i >= 0) {
    struct sigaction* prev = &g_previous[i];
    sigaction(sig, prev, NULL);
    if ((prev->sa_flags & SA_SIGINFO) && prev->sa_sigaction != NULL) {
      prev->sa_sigaction(sig, info, ucontext);
    } else if (!(prev->sa_flags & SA_SIGINFO) && prev->sa_handler != SIG_DFL &&
               prev->sa_handler != SIG_IGN) {
      prev->sa_handler(sig);
    }
  }
  struct sigaction dfl;
  memset(&dfl, 0, sizeof(dfl));
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, NULL);
  /* A fault raised by the kernel repeats when the instruction runs again; a signal sent by
   * kill, raise or abort() does not, so it is sent again (blocked until this handler returns). */
  if (info == NULL || info->si_code <= 0 || sig == SIGABRT) {
    syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), sig);
  }
}

static void handle_crash(int sig, siginfo_t* info, void* ucontext) {
  int saved_errno = errno;
  int expected = 0;
  if (atomic_compare_exchange_strong(&g_crashing, &expected, 1)) {
    if (!atomic_load(&g_written)) write_crash_file(sig, info, ucontext);
    atomic_store(&g_written, 1);
  } else {
    /* Another thread is writing its crash file: let it finish before the process dies. */
    struct timespec step = {0, INQ_WAIT_STEP_NS};
    for (long long waited = 0; !atomic_load(&g_written) && waited < INQ_WAIT_OTHER_CRASH_NS;
         waited += INQ_WAIT_STEP_NS) {
      nanosleep(&step, NULL);
    }
  }
  chain(sig, info, ucontext);
  errno = saved_errno;
}

int inquest_crash_thread_init(void) {
  stack_t current;
  if (sigaltstack(NULL, &current) != 0) return -1;
  if (!(current.ss_flags & SS_DISABLE) && current.ss_size >= INQ_ALT_STACK_BYTES) return 0;
  long page = sysconf(_SC_PAGESIZE);
  if (page <= 0) page = 4096;
  /* One guard page below the stack turns an overflow of the handler into a clean fault. */
  size_t total = INQ_ALT_STACK_BYTES + (size_t)page;
  char* mem = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return -1;
  if (mprotect(mem, (size_t)page, PROT_NONE) != 0) {
    munmap(mem, total);
    return -1;
  }
  stack_t alt;
  alt.ss_sp = mem + page;
  alt.ss_size = INQ_ALT_STACK_BYTES;
  alt.ss_flags = 0;
  if (sigaltstack(&alt, NULL) != 0) {
    int e = errno;
    munmap(mem, total);
    errno = e;
    return -1;
  }
  return 0;
}

int inquest_crash_install(const char* dump_dir) {
  if (dump_dir == NULL || dump_dir[0] == '\0') {
    errno = EINVAL;
    return -1;
  }
  size_t len = strlen(dump_dir);
  if (len >= sizeof(g_dir)) {
    errno = ENAMETOOLONG;
    return -1;
  }
  int expected = 0;
  if (!atomic_compare_exchange_strong(&g_installed, &expected, 1)) {
    errno = EALREADY;
    return -1;
  }
  memcpy(g_dir, dump_dir, len + 1);
  while (len > 1 && g_dir[len - 1] == '/') g_dir[--len] = '\0';
  g_dir_len = len;
  if (g_maps == NULL) {
    void* maps =
        mmap(NULL, INQ_MAPS_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (maps == MAP_FAILED) goto fail;
    g_maps = maps;
  }
  /* The first backtrace() loads libgcc_s's unwinder, which allocates; do it now, not while
   * crashing. */
  backtrace(g_frames, INQ_MAX_FRAMES);
  if (inquest_crash_thread_init() != 0) goto fail;
  for (int i = 0; i < INQ_SIGNAL_COUNT; ++i) {
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = handle_crash;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    /* All five stay blocked while the handler runs: a second fault inside it then kills the
     * process at once (the kernel forces the default action of a blocked fault) instead of
     * re-entering the handler. */
    sigemptyset(&sa.sa_mask);
    for (int k = 0; k < INQ_SIGNAL_COUNT; ++k) sigaddset(&sa.sa_mask, kSignals[k]);
    if (sigaction(kSignals[i], &sa, &g_previous[i]) != 0) {
      int e = errno;
      for (int k = 0; k < i; ++k) sigaction(kSignals[k], &g_previous[k], NULL);
      errno = e;
      goto fail;
    }
  }
  return 0;
fail:
  atomic_store(&g_installed, 0);
  return -1;
}

int inquest_crash_uninstall(void) {
  if (!atomic_load(&g_installed)) {
    errno = EINVAL;
    return -1;
  }
  for (int i = 0; i < INQ_SIGNAL_COUNT; ++i) sigaction(kSignals[i], &g_previous[i], NULL);
  atomic_store(&g_installed, 0);
  return 0;
}
