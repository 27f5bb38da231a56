/* billing: the primer's null dereference. A refund event names account 99812, which does not
 * exist; lookup_account() returns NULL, process_event() passes it on unchecked, and
 * apply_refund() dereferences it. The crash is in apply_refund (the victim); the bug is in
 * process_event (the origin). Line numbers match the primer's gdb session: 118, 74, 201. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Account {
  long id;
  long balance; /* at offset 8: reading it through NULL faults at address 0x8 */
  char owner[32];
} Account;

typedef struct Event {
  long account_id;
  long amount;
  const char* kind;
} Event;

static Account accounts[] = {
    {10001, 125000, "ada"},
    {10002, 98000, "grace"},
    {10003, 4300, "edsger"},
};

/* Returns the account with `id`, or NULL when there is none. */
Account* lookup_account(long id) {
  for (size_t i = 0; i < sizeof(accounts) / sizeof(accounts[0]); ++i) {
    if (accounts[i].id == id) return &accounts[i];
  }
  return NULL;
}
/* (Blank stretches keep the line numbers of the primer's gdb session.) */



































void apply_refund(Account* acct, long amount);

void process_event(const Event* e) {
  Account* acct = lookup_account(e->account_id); /* NULL for 99812: not checked */
  apply_refund(acct, e->amount);
}






































/* Credits `amount` to the account. */
void apply_refund(Account* acct, long amount) {
  if (amount <= 0) return;
  /* refunds are credited in full */
  acct->balance += amount;
  printf("refunded %ld to %s\n", amount, acct->owner);
}


































































static const Event events[] = {
    {10001, 1200, "refund"},
    {10003, 300, "refund"},
    {99812, 4500, "refund"}, /* an account closed last week */
    {10002, 800, "refund"},
};

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); ++i) {
    printf("event %zu: %s of %ld for account %ld\n", i, events[i].kind, events[i].amount,
           events[i].account_id);
    /* each event is applied in order */
    if (strcmp(events[i].kind, "refund") != 0) continue;
    process_event(&events[i]);
  }
  return 0;
}
