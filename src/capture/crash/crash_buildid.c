/* Build-ids of the mapped ELF files, read from memory at crash time (async-signal-safe).
 * Only addresses that /proc/self/maps lists as readable are touched. */
#define _GNU_SOURCE
#include <elf.h>
#include <link.h>
#include <string.h>

#include "crash_internal.h"

/* The GNU build-id note: name "GNU\0", type NT_GNU_BUILD_ID; ids are 20 bytes (SHA-1) in
 * practice, 64 bounds what is written from a corrupt note. */
#define INQ_MAX_BUILD_ID_BYTES 64

struct inq_map {
  uint64_t start, end, offset;
  int readable;
  const char* path; /* points into the maps text; '/' first for a file */
};

/* Parses one line of /proc/self/maps ("start-end perms offset dev inode path"). */
static int parse_map_line(const char* line, const char* end, struct inq_map* m) {
  const char* p = line;
  m->start = inq_parse_hex(&p, end);
  if (p >= end || *p != '-') return 0;
  ++p;
  m->end = inq_parse_hex(&p, end);
  if (p >= end || *p != ' ') return 0;
  ++p;
  m->readable = p < end && *p == 'r';
  while (p < end && *p != ' ') ++p;
  while (p < end && *p == ' ') ++p;
  m->offset = inq_parse_hex(&p, end);
  m->path = NULL;
  for (const char* q = p; q < end; ++q) {
    if (*q == '/' || *q == '[') {
      m->path = q;
      break;
    }
  }
  return 1;
}

/* Whether [addr, addr+len) lies inside one readable mapping of `maps`. */
static int readable(const char* maps, size_t maps_len, uint64_t addr, uint64_t len) {
  if (addr + len < addr) return 0;
  const char* end = maps + maps_len;
  for (const char* line = maps; line < end;) {
    const char* nl = memchr(line, '\n', (size_t)(end - line));
    const char* line_end = nl ? nl : end;
    struct inq_map m;
    if (parse_map_line(line, line_end, &m) && m.readable && addr >= m.start &&
        addr + len <= m.end) {
      return 1;
    }
    line = line_end + 1;
  }
  return 0;
}

/* Writes the build-id of the ELF image whose header is at `base`, if it has one. */
static void write_one(struct inq_writer* w, const char* maps, size_t maps_len, uint64_t base) {
  if (!readable(maps, maps_len, base, sizeof(ElfW(Ehdr)))) return;
  const ElfW(Ehdr)* eh = (const ElfW(Ehdr)*)(uintptr_t)base;
  if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_phentsize != sizeof(ElfW(Phdr))) return;
  uint64_t ph_addr = base + eh->e_phoff;
  uint64_t ph_bytes = (uint64_t)eh->e_phnum * sizeof(ElfW(Phdr));
  if (!readable(maps, maps_len, ph_addr, ph_bytes)) return;
  const ElfW(Phdr)* ph = (const ElfW(Phdr)*)(uintptr_t)ph_addr;
  /* The load bias: the segment at file offset 0 is mapped at `base`. */
  uint64_t bias = 0;
  int have_bias = 0;
  for (int i = 0; i < eh->e_phnum; ++i) {
    if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0) {
      bias = base - (ph[i].p_vaddr & ~(uint64_t)(ph[i].p_align > 1 ? ph[i].p_align - 1 : 0));
      have_bias = 1;
      break;
    }
  }
  if (!have_bias) return;
  for (int i = 0; i < eh->e_phnum; ++i) {
    if (ph[i].p_type != PT_NOTE) continue;
    uint64_t addr = bias + ph[i].p_vaddr;
    uint64_t size = ph[i].p_memsz;
    if (!readable(maps, maps_len, addr, size)) continue;
    const unsigned char* p = (const unsigned char*)(uintptr_t)addr;
    const unsigned char* end = p + size;
    while ((size_t)(end - p) >= sizeof(ElfW(Nhdr))) {
      const ElfW(Nhdr)* nh = (const ElfW(Nhdr)*)p;
      uint64_t name_sz = (nh->n_namesz + 3u) & ~3u;
      uint64_t desc_sz = (nh->n_descsz + 3u) & ~3u;
      const unsigned char* name = p + sizeof(ElfW(Nhdr));
      if (name_sz > (uint64_t)(end - name) || desc_sz > (uint64_t)(end - name) - name_sz) break;
      const unsigned char* desc = name + name_sz;
      if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 && memcmp(name, "GNU", 4) == 0 &&
          nh->n_descsz > 0 && nh->n_descsz <= INQ_MAX_BUILD_ID_BYTES) {
        static const char kDigits[] = "0123456789abcdef";
        char hex[2 * INQ_MAX_BUILD_ID_BYTES];
        for (uint32_t k = 0; k < nh->n_descsz; ++k) {
          hex[2 * k] = kDigits[desc[k] >> 4];
          hex[2 * k + 1] = kDigits[desc[k] & 0xf];
        }
        inq_puts(w, "build_id ");
        inq_put_hex(w, base);
        inq_puts(w, " ");
        inq_put(w, hex, 2 * nh->n_descsz);
        inq_puts(w, "\n");
        return;
      }
      p = desc + desc_sz;
    }
  }
}

void inq_write_build_ids(struct inq_writer* w, const char* maps, size_t maps_len) {
  const char* end = maps + maps_len;
  for (const char* line = maps; line < end;) {
    const char* nl = memchr(line, '\n', (size_t)(end - line));
    const char* line_end = nl ? nl : end;
    struct inq_map m;
    if (parse_map_line(line, line_end, &m) && m.readable && m.offset == 0 && m.path &&
        *m.path == '/') {
      write_one(w, maps, maps_len, m.start);
    }
    line = line_end + 1;
  }
}
