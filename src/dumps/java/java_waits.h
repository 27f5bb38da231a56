// What the threads of a Java thread dump wait for: each group of identical stacks matched
// against the wait-site table (dumps/wait_sites.h), counted with the application frame that
// called into the wait and the threads' common name ("http-nio-*-exec-*").
#ifndef INQUEST_DUMPS_JAVA_JAVA_WAITS_H_
#define INQUEST_DUMPS_JAVA_JAVA_WAITS_H_

#include <string>
#include <string_view>
#include <vector>

#include "dumps/java/stack_groups.h"
#include "dumps/java/thread_dump_report.h"
#include "dumps/wait_report.h"

namespace inquest {

// The wait sites of one dump; `groups` are its stack groups. Evidence names in.path and the
// line of each group's first thread.
std::vector<WaitSiteCount> TallyJavaWaits(const JavaDumpInput& in,
                                          const std::vector<StackGroup>& groups,
                                          const WaitSiteTable& table);

// "com.acme.Dao.load" from "com.acme.Dao.load(Dao.java:42)" (module prefixes dropped).
std::string_view JavaFrameName(std::string_view frame);

// The threads' names with every run of digits as '*' when they all share that shape
// ("pool-*-thread-*"), else empty.
std::string CommonThreadName(const std::vector<std::string_view>& names);

}  // namespace inquest

#endif  // INQUEST_DUMPS_JAVA_JAVA_WAITS_H_
