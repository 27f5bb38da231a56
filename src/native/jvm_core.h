// HotSpot's view of a dead JVM, from a core: every Java thread (name, Java id, Thread.State,
// daemon, the VM's own state of the thread, its LWP and its JavaThread address, which jstack
// prints as "tid") read from the JVM's memory through the layout its own gHotSpotVMStructs
// tables publish (hotspot_vmstructs.h), never from offsets kept per release.
//
// What comes from where:
// - the thread list: ThreadsSMRSupport::_java_thread_list (JDK 10 and later), else the linked
//   Threads::_thread_list (JDK 8 and 9);
// - LWP, VM state, last Java frame: JavaThread/OSThread/JavaFrameAnchor fields of the tables;
// - name, id, daemon and Thread.State: fields of the java.lang.Thread object, whose offsets the
//   JVM computed at start-up and keeps in static variables (java_lang_Thread::_name_offset,
//   ...) found in libjvm.so's symbol table. Without that table (a stripped libjvm.so) the
//   threads are still listed, unnamed, and a problem says why.
//
// Java frames are not read here (the interpreter and JIT frame layouts are not in the
// tables): they come from jhsdb (analyze/jvm_frames.h).
//
// Hostile input: every read goes through `read`; lists are bounded (kMaxJvmThreads) and the
// linked list is checked for cycles; strings are capped.
//
//   RuntimeView v = ReadJvmView(dwfl, read);
//   v.runtime == "HotSpot"; v.threads[0].name == "main"; v.threads[0].state == "WAITING"
#ifndef INQUEST_NATIVE_JVM_CORE_H_
#define INQUEST_NATIVE_JVM_CORE_H_

#include <elfutils/libdwfl.h>

#include "native/hotspot_vmstructs.h"
#include "native/runtime_memory.h"
#include "stacks/runtime_stack.h"

namespace inquest {

inline constexpr size_t kMaxJvmThreads = 100'000;
inline constexpr size_t kMaxJvmNameChars = 1024;

// Offsets of java.lang.Thread and java.lang.String fields, as the JVM computed them; -1 when
// the symbol holding one is absent.
struct JavaObjectOffsets {
  int thread_name = -1, thread_tid = -1, thread_status = -1, thread_daemon = -1;
  int thread_holder = -1;  // JDK 19+: status and daemon live in a FieldHolder object
  int string_value = -1, string_coder = -1;  // no coder (JDK 8): Thread.name is a char[]
};

// How the JVM lays out references and arrays (from its flags and version).
struct JavaHeapShape {
  bool compressed_oops = true;
  uint64_t narrow_base = 0;
  int narrow_shift = 0;
  uint64_t array_length = 12;  // offset of an array's length
  uint64_t byte_data = 16;     // offset of a byte[]'s first element
};

// Walks the threads with `tables`. `objects` and `shape` say how to read the Thread objects.
RuntimeView ReadJvmThreads(const HotSpotTables& tables, const JavaObjectOffsets& objects,
                           const JavaHeapShape& shape, const ReadMemoryFn& read);

// Finds libjvm.so among the modules `dwfl` reported (by gHotSpotVMStructs), reads its tables,
// and walks the threads. `runtime` is "" when the process ran no HotSpot JVM.
RuntimeView ReadJvmView(Dwfl* dwfl, const ReadMemoryFn& read);

// java.lang.Thread.State from the threadStatus field (JVMTI bits, as
// jdk.internal.misc.VM.toThreadState maps them).
std::string_view JavaThreadStatusName(int status);

}  // namespace inquest

#endif  // INQUEST_NATIVE_JVM_CORE_H_
