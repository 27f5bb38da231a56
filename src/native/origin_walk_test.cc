#include "native/origin_walk.h"

#include <gtest/gtest.h>

namespace inquest {
namespace {

const std::vector<std::string> kSource = {
    "void process_event(const struct event *e) {",         // 1
    "  struct account *acct = lookup_account(e->id, 3);",  // 2
    "  if (acct == NULL) log_miss(e);",                    // 3
    "  acct->next = 0;",                                   // 4
    "  *acct = other;",                                    // 5
    "  acct = (struct account *)find(",                    // 6
    "      e->id);",                                       // 7
    "  if (x == acct) return;",                            // 8
    "  apply_refund(acct, e->amount);",                    // 9
};

TEST(OriginWalkTest, FindsDeclarationsAndAssignmentsNotUsesOrComparisons) {
  SourceAssignment a = FindAssignment(kSource, "acct", 1, 5);
  EXPECT_EQ(a.line, 2);
  EXPECT_EQ(a.callee, "lookup_account");
  EXPECT_EQ(a.args, (std::vector<std::string>{"e->id", "3"}));
  // Line 4 assigns a member, line 5 what acct points to, line 8 compares: none is acct.
  SourceAssignment b = FindAssignment(kSource, "acct", 1, 9);
  EXPECT_EQ(b.line, 6);  // a cast and a statement over two lines
  EXPECT_EQ(b.callee, "find");
  EXPECT_EQ(b.args, (std::vector<std::string>{"e->id"}));
  EXPECT_EQ(FindAssignment(kSource, "missing", 1, 9).line, 0);
  EXPECT_EQ(FindAssignment(kSource, "next", 1, 9).line, 0);  // a member, not a variable
}

TEST(OriginWalkTest, FindsNullChecks) {
  EXPECT_EQ(FindNullCheck(kSource, "acct", 3, 9), 3);
  EXPECT_EQ(FindNullCheck(kSource, "acct", 4, 9), 0);
  EXPECT_EQ(FindNullCheck({"if (!acct) return;"}, "acct", 1, 1), 1);
  EXPECT_EQ(FindNullCheck({"if (!acct2) return;"}, "acct", 1, 1), 0);
  EXPECT_EQ(FindNullCheck({"assert(acct != nullptr);"}, "acct", 1, 1), 1);
}

CoreReport NullReport() {
  CoreReport r;
  r.signo = 11;
  r.has_fault_address = true;
  r.fault_address = 8;
  r.fault_meaning = "access of address 0x8: a null pointer plus offset 8";
  CoreThread& t = r.threads.emplace_back();
  t.crashing = true;
  CoreFrame victim;
  victim.function = "apply_refund";
  victim.file = "/nonexistent/billing.c";
  victim.line = 118;
  victim.variables.push_back({"acct", "struct account *", "0x0", true, true, true, 0, 117, {}});
  CoreFrame caller;
  caller.function = "process_event";
  caller.file = "/nonexistent/billing.c";
  caller.line = 74;
  caller.variables.push_back({"acct", "struct account *", "0x0", false, true, true, 0, 73, {}});
  t.frames = {victim, caller};
  return r;
}

TEST(OriginWalkTest, WithoutSourceSaysWhatItCannotShow) {
  CoreWalk w = WalkToOrigin(NullReport(), {});
  EXPECT_TRUE(w.attempted);
  EXPECT_FALSE(w.concluded);
  EXPECT_NE(w.summary.find("acct=0x0 in apply_refund (billing.c:118)"), std::string::npos);
  EXPECT_NE(w.summary.find("not available"), std::string::npos) << w.summary;
}

TEST(OriginWalkTest, FarAddressOrOtherSignalIsNotWalked) {
  CoreReport r = NullReport();
  r.fault_address = 0xdeadbeef;
  EXPECT_FALSE(WalkToOrigin(r, {}).attempted);
  r = NullReport();
  r.signo = 8;
  EXPECT_FALSE(WalkToOrigin(r, {}).attempted);
}

TEST(OriginWalkTest, NoNullVariableIsHonest) {
  CoreReport r = NullReport();
  for (CoreFrame& f : r.threads[0].frames) f.variables.clear();
  CoreWalk w = WalkToOrigin(r, {});
  EXPECT_TRUE(w.attempted);
  EXPECT_FALSE(w.concluded);
  EXPECT_NE(w.summary.find("no pointer variable"), std::string::npos);
}

}  // namespace
}  // namespace inquest
