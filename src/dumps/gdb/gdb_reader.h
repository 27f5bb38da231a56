// The gdb transcript reader of `inquest dump`: `bt`, `bt full`, `thread apply all bt [full]`,
// with the signal, and the walk from a null argument in frame 0 down to where it was born.
#ifndef INQUEST_DUMPS_GDB_GDB_READER_H_
#define INQUEST_DUMPS_GDB_GDB_READER_H_

#include <string_view>

#include "dumps/dump.h"

namespace inquest {

DumpReader GdbTranscriptReader();

// 0..1: how sure we are that `head` starts a gdb backtrace transcript.
double ProbeGdbTranscript(std::string_view head);

}  // namespace inquest

#endif  // INQUEST_DUMPS_GDB_GDB_READER_H_
