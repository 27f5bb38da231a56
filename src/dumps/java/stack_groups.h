// Groups of Java threads with identical stacks, the first step of reading any thread dump: when
// 200 threads share one stack, that stack is the story.
#ifndef INQUEST_DUMPS_JAVA_STACK_GROUPS_H_
#define INQUEST_DUMPS_JAVA_STACK_GROUPS_H_

#include <vector>

#include "dumps/dump.h"
#include "dumps/java/thread_dump.h"

namespace inquest {

struct StackGroup {
  JavaThreadState state = JavaThreadState::kUnknown;
  std::vector<int> threads;  // indices into the dump's threads; the first one's frames are shown
};

// Threads with the same state and frames form a group (kExact also requires the same lock
// lines; Java frames carry no argument values, so kIgnoreArgs and kIgnoreWaitTime group alike).
// Threads without frames (VM and GC threads) are grouped by state alone. Linear in the number
// of frames (one hash per stack); groups are ordered by size, then by first appearance.
std::vector<StackGroup> GroupJavaStacks(const JavaThreadDump& dump, StackSimilarity similarity);

// Whether a frame is the JDK's or the JVM's own code rather than the application's.
bool IsJdkFrame(std::string_view frame);

}  // namespace inquest

#endif  // INQUEST_DUMPS_JAVA_STACK_GROUPS_H_
