/* The pieces of the crash handler that run at crash time, shared by crash.c and the writers.
 * Every function here is async-signal-safe: no allocation, no locks, no stdio. */
#ifndef INQUEST_CRASH_INTERNAL_H_
#define INQUEST_CRASH_INTERNAL_H_

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes buffered before a write(2); one page is enough to make the writes few. */
#define INQ_WRITER_BYTES 4096

/* Output to one file descriptor through a fixed buffer. Errors are sticky: after a failed
 * write(2) the rest is dropped (nothing better can be done at crash time). */
struct inq_writer {
  int fd;
  int failed;
  size_t len;
  char buf[INQ_WRITER_BYTES];
};

void inq_put(struct inq_writer* w, const char* s, size_t n);
void inq_puts(struct inq_writer* w, const char* s);
void inq_put_dec(struct inq_writer* w, int64_t v);
void inq_put_hex(struct inq_writer* w, uint64_t v); /* "0x" and lower-case digits */
void inq_flush(struct inq_writer* w);

/* Decimal digits of `v` into `out` (at least 21 bytes); returns the length, no terminator. */
size_t inq_format_dec(char* out, uint64_t v);

/* Parses a lower-case or upper-case hex number at *p, advancing *p past it. */
uint64_t inq_parse_hex(const char** p, const char* end);

/* Writes "build_id START HEX" for every mapping of `maps` (the text of /proc/self/maps) that
 * starts an ELF file with a GNU build-id note, reading the headers from memory only where
 * `maps` says they are readable. */
void inq_write_build_ids(struct inq_writer* w, const char* maps, size_t maps_len);

/* Writes the whole crash file for signal `sig` to `w`: header and registers of `ucontext`
 * (flushed before unwinding), the return addresses of the calling thread (unwound into
 * `frames`, room for `frame_cap`), maps and build-ids. `maps` is a preallocated buffer of
 * `maps_cap` bytes. */
void inq_write_crash(struct inq_writer* w, int sig, const siginfo_t* info, const void* ucontext,
                     void** frames, int frame_cap, char* maps, size_t maps_cap);

#endif /* INQUEST_CRASH_INTERNAL_H_ */
