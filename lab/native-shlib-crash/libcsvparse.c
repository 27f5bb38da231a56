/* libcsvparse: a small CSV field splitter in a shared library. parse_fields() writes a
 * pointer to each field into `fields`, but trusts the caller's `max_fields` instead of checking
 * it against the line; the caller passes a NULL array for "count only", which the library never
 * supported, so the first write faults inside libcsvparse.so. */
#include <stddef.h>

int parse_fields(char* line, char** fields, int max_fields) {
  int n = 0;
  char* start = line;
  for (char* p = line;; ++p) {
    if (*p == ',' || *p == '\0') {
      int last = *p == '\0';
      *p = '\0';
      if (n < max_fields) fields[n] = start; /* fields == NULL: SIGSEGV here */
      ++n;
      start = p + 1;
      if (last) break;
    }
  }
  return n;
}
