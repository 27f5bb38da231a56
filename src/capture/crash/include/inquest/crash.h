/* inquest/crash.h: a crash handler for C and C++ programs. When the program dies of SIGSEGV,
 * SIGBUS, SIGILL, SIGFPE or SIGABRT it writes a small crash file (signal, si_code, fault
 * address, registers, the raw return addresses of the crashing thread, thread id, time,
 * /proc/self/maps and the build-id of every mapped ELF file), then hands the signal on so that
 * the previous handler runs and the kernel still writes a core. `inquest symbolize CRASHFILE`
 * turns the file into a symbolized report later, on another machine if need be.
 *
 *   #include <inquest/crash.h>
 *   int main(void) {
 *     if (inquest_crash_install("/var/dumps") != 0) perror("inquest_crash_install");
 *     ...
 *   }
 *   // in every thread the program starts, first thing:
 *   inquest_crash_thread_init();
 *
 * Link with -linquest_crash (static or shared). The library is plain C; it needs libc only.
 *
 * Why the handler is safe to run in a crashing process
 * -----------------------------------------------------
 * - Everything it needs is allocated by inquest_crash_install(): the dump folder's name, the
 *   buffer that holds /proc/self/maps, the return-address array and the alternate signal stack
 *   are mmap'ed up front. The handler never calls malloc, stdio or anything that takes a lock
 *   that the crashing code might hold.
 * - It calls only async-signal-safe system calls (open, read, write, close, clock_gettime,
 *   getpid, gettid, sigaction, tgkill) and formats numbers itself.
 * - The return addresses come from glibc's backtrace(), which is not on the POSIX list. It is
 *   made safe enough by calling it once at install time, which loads libgcc_s's unwinder (the
 *   one step that allocates); after that it reads only the stack and the unwind tables. What
 *   remains is a crash inside the dynamic loader while it holds its lock, where the unwinder's
 *   lookup would wait forever; the signal and registers are written before the unwind starts,
 *   so such a file still names the signal, the fault address and the program counter.
 * - Build-ids are read from the ELF headers of mappings at file offset 0, and only at
 *   addresses that /proc/self/maps lists as readable, so a corrupt loader state cannot make
 *   the handler fault.
 * - A stack overflow cannot take the handler down with it: it runs on an alternate signal
 *   stack (sigaltstack). Each thread needs its own, hence inquest_crash_thread_init().
 * - The file is created with O_CREAT|O_EXCL and mode 0600 (crash files hold addresses and may
 *   hold secrets); an existing file is never overwritten.
 * - A second fault inside the handler is fatal at once: the five signals stay blocked while
 *   the handler runs, so the kernel kills the process with it and still writes the core.
 *   A second thread that crashes meanwhile waits (nanosleep, at most 5 s) for the first
 *   thread's file to be complete; one crash file is written per process.
 * - Afterwards the previous handler is restored and called (chained); then, for a fault the
 *   kernel raised, returning re-executes the faulting instruction under the default action,
 *   and for a signal sent by a process or by abort() the signal is raised again, so the
 *   process dies by the original signal and leaves a core where the system writes one.
 */
#ifndef INQUEST_CRASH_H_
#define INQUEST_CRASH_H_

#ifdef __cplusplus
extern "C" {
#endif

/* The shared library exports these functions only. */
#if defined(__GNUC__)
#define INQUEST_CRASH_API __attribute__((visibility("default")))
#else
#define INQUEST_CRASH_API
#endif

/* The first line of every crash file; the format is described in docs/capture.md. */
#define INQUEST_CRASH_MAGIC "inquest-crash 1"

/* Installs the handlers and the calling thread's alternate signal stack. `dump_dir` must be an
 * existing folder; crash files are written there as crash-<pid>-<tid>-<unix seconds>.txt.
 * Returns 0, or -1 with errno set (ENAMETOOLONG for a dump folder too long, EALREADY when
 * installed already, or the errno of the failing mmap/sigaction). Call it once, early, from the
 * main thread, before starting threads. */
INQUEST_CRASH_API int inquest_crash_install(const char* dump_dir);

/* Gives the calling thread its own alternate signal stack, so that a stack overflow in it is
 * still recorded. Returns 0, or -1 with errno set. Safe to call more than once. */
INQUEST_CRASH_API int inquest_crash_thread_init(void);

/* Restores the handlers that were in place before inquest_crash_install(). Returns 0, or -1
 * when not installed. The alternate signal stacks stay (a thread may be running on one). */
INQUEST_CRASH_API int inquest_crash_uninstall(void);

#ifdef __cplusplus
}
#endif

#endif /* INQUEST_CRASH_H_ */
