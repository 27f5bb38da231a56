#include "analyze/evidence_probes.h"

#include <elf.h>

#include <cstring>

#include "dumps/dump.h"
#include "heap/hprof_reader.h"
#include "native/core_findings.h"
#include "profile/profile_read.h"
#include "profile/tracemalloc_snapshot.h"
#include "traces/span_set.h"

namespace inquest {
std::vector<KindProbe> DedicatedProbes() {
  std::vector<KindProbe> probes;
  probes.push_back({EvidenceKind::kTrace, [](std::string_view head) {
                      TraceFormat format = TraceFormat::kUnknown;
                      double score = ProbeTraceFile(head, &format);
                      return LogGuess{std::string(TraceFormatName(format)), score};
                    }});
  probes.push_back({EvidenceKind::kDump, [](std::string_view head) {
                      LogGuess best;
                      for (const DumpReader& r : DumpReaders()) {
                        double s = r.probe(head);
                        if (s > best.score) best = {std::string(r.name), s};
                      }
                      return best;
                    }});
  probes.push_back({EvidenceKind::kCore, [](std::string_view head) {
                      return LogGuess{"elf-core", ProbeCore(head)};
                    }});
  probes.push_back({EvidenceKind::kHeap, [](std::string_view head) {
                      return LogGuess{"hprof", heap::LooksLikeHprof(head) ? 1.0 : 0.0};
                    }});
  probes.push_back({EvidenceKind::kProfile, [](std::string_view head) {
                      if (profile::LooksLikeTracemallocSnapshot(head))
                        return LogGuess{"tracemalloc", 1.0};
                      return LogGuess{"pprof", profile::LooksLikeProfile(head) ? 1.0 : 0.0};
                    }});
  return probes;
}

bool LooksLikeElfProgram(std::string_view head) {
  if (head.size() < sizeof(Elf64_Ehdr) || std::memcmp(head.data(), ELFMAG, SELFMAG) != 0)
    return false;
  uint16_t type = 0;  // e_type sits at the same offset in 32- and 64-bit headers
  std::memcpy(&type, head.data() + offsetof(Elf64_Ehdr, e_type), sizeof(type));
  return type == ET_EXEC || type == ET_DYN;
}

}  // namespace inquest
