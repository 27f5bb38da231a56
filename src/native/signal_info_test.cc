#include "native/signal_info.h"

#include <gtest/gtest.h>
#include <signal.h>

namespace inquest {
namespace {

TEST(SignalInfoTest, NamesAndCodes) {
  EXPECT_EQ(DescribeSignal(SIGSEGV), "SIGSEGV");
  EXPECT_EQ(DescribeSignal(SIGABRT), "SIGABRT");
  EXPECT_EQ(DescribeSignalCode(SIGSEGV, SEGV_MAPERR), "SEGV_MAPERR (address not mapped)");
  EXPECT_EQ(DescribeSignalCode(SIGABRT, SI_TKILL),
            "SI_TKILL (sent by tgkill or raise, e.g. abort())");
  EXPECT_EQ(DescribeSignalCode(SIGFPE, FPE_INTDIV), "FPE_INTDIV (integer divide by zero)");
  EXPECT_EQ(DescribeSignalCode(SIGSEGV, 99), "si_code 99");
  EXPECT_TRUE(HasFaultAddress(SIGSEGV, SEGV_MAPERR));
  EXPECT_FALSE(HasFaultAddress(SIGSEGV, SI_USER));
  EXPECT_FALSE(HasFaultAddress(SIGABRT, SI_TKILL));
}

TEST(SignalInfoTest, FaultMeanings) {
  EXPECT_EQ(FaultMeaning(SIGSEGV, SEGV_MAPERR, 0, 0, false, false),
            "access of address 0x0: a null pointer");
  EXPECT_EQ(FaultMeaning(SIGSEGV, SEGV_MAPERR, 8, 0, false, false),
            "access of address 0x8: a null pointer plus offset 8");
  EXPECT_NE(FaultMeaning(SIGSEGV, SEGV_MAPERR, 0x7ffc0000fff0, 0x7ffc00010100, false, false)
                .find("stack overflow"),
            std::string::npos);
  EXPECT_NE(FaultMeaning(SIGSEGV, SEGV_ACCERR, 0x401000, 0, true, false).find("read-only"),
            std::string::npos);
  EXPECT_NE(FaultMeaning(SIGSEGV, SEGV_MAPERR, 0x5555dead0000, 0x7ffc0000, false, false)
                .find("no mapping"),
            std::string::npos);
  EXPECT_NE(FaultMeaning(SIGSEGV, SI_KERNEL, 0, 0, false, false).find("non-canonical"),
            std::string::npos);
  EXPECT_EQ(FaultMeaning(SIGABRT, SI_TKILL, 0, 0, false, false), "");
}

}  // namespace
}  // namespace inquest
