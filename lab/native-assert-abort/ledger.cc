// ledger: an assertion abort in C++. Postings are added to a ledger whose invariant is that
// debits and credits balance; a posting with a sign error breaks it and assert() aborts the
// process (SIGABRT) in Ledger::Close(). The core shows the failed check in frame 0's callers
// and the ledger's totals in Close's frame.
#include <cassert>
#include <cstdio>
#include <string>
#include <vector>

struct Posting {
  std::string account;
  long cents;  // positive: debit, negative: credit
};

class Ledger {
 public:
  void Post(const Posting& p) { postings_.push_back(p); }

  // Every batch must sum to zero: that is double-entry bookkeeping.
  long Close() const {
    long sum = 0;
    for (const Posting& p : postings_) sum += p.cents;
    assert(sum == 0 && "ledger out of balance");
    return static_cast<long>(postings_.size());
  }

 private:
  std::vector<Posting> postings_;
};

int main() {
  Ledger ledger;
  ledger.Post({"cash", 4500});
  ledger.Post({"refunds", -4500});
  ledger.Post({"fees", 250});
  ledger.Post({"cash", 250});  // sign error: should be -250
  std::printf("closing a batch of 4 postings\n");
  std::fflush(stdout);
  std::printf("closed %ld postings\n", ledger.Close());
  return 0;
}
