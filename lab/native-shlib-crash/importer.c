/* importer: reads CSV lines with libcsvparse.so. To size its buffers it first asks how many
 * fields a line has by passing a NULL array, an API the library never had. The crash is in the
 * shared library; the bug is in the caller. */
#include <stdio.h>
#include <string.h>

int parse_fields(char* line, char** fields, int max_fields);

static int count_fields(char* line) {
  return parse_fields(line, NULL, 16); /* wrong: the library writes into `fields` */
}

int main(void) {
  char line[] = "2026-05-29,refund,99812,4500";
  char copy[sizeof(line)];
  memcpy(copy, line, sizeof(line));
  printf("line has %d fields\n", count_fields(copy));
  return 0;
}
