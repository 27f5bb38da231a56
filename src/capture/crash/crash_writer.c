/* Buffered output and number formatting for the crash handler (async-signal-safe). */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "crash_internal.h"

void inq_flush(struct inq_writer* w) {
  size_t off = 0;
  while (!w->failed && off < w->len) {
    ssize_t n = write(w->fd, w->buf + off, w->len - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      w->failed = 1;
      break;
    }
    off += (size_t)n;
  }
  w->len = 0;
}

void inq_put(struct inq_writer* w, const char* s, size_t n) {
  while (n > 0) {
    if (w->len == sizeof(w->buf)) inq_flush(w);
    size_t room = sizeof(w->buf) - w->len;
    size_t take = n < room ? n : room;
    memcpy(w->buf + w->len, s, take);
    w->len += take;
    s += take;
    n -= take;
  }
}

void inq_puts(struct inq_writer* w, const char* s) { inq_put(w, s, strlen(s)); }

size_t inq_format_dec(char* out, uint64_t v) {
  char tmp[24];
  size_t n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  for (size_t i = 0; i < n; ++i) out[i] = tmp[n - 1 - i];
  return n;
}

void inq_put_dec(struct inq_writer* w, int64_t v) {
  char out[24];
  size_t n = 0;
  uint64_t u = (uint64_t)v;
  if (v < 0) {
    out[n++] = '-';
    u = 0 - u;
  }
  n += inq_format_dec(out + n, u);
  inq_put(w, out, n);
}

void inq_put_hex(struct inq_writer* w, uint64_t v) {
  static const char kDigits[] = "0123456789abcdef";
  char tmp[16];
  size_t n = 0;
  do {
    tmp[n++] = kDigits[v & 0xf];
    v >>= 4;
  } while (v != 0);
  char out[18] = {'0', 'x'};
  for (size_t i = 0; i < n; ++i) out[2 + i] = tmp[n - 1 - i];
  inq_put(w, out, n + 2);
}

uint64_t inq_parse_hex(const char** p, const char* end) {
  uint64_t v = 0;
  const char* s = *p;
  for (; s < end; ++s) {
    char c = *s;
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      break;
    }
    v = (v << 4) | (uint64_t)d;
  }
  *p = s;
  return v;
}
