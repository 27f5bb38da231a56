/* deadlock: two threads take two mutexes in opposite orders. The transfer thread locks
 * `accounts` then `audit`; the auditor locks `audit` then `accounts`. Each gets its first lock,
 * waits for the other's, and the process hangs at 0% CPU: a hang, captured live with
 * `inquest capture` (a /proc snapshot and a core, without killing it first). */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t accounts_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t audit_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold_one;

static void* transfer_worker(void* arg) {
  (void)arg;
  pthread_mutex_lock(&accounts_lock);
  pthread_barrier_wait(&both_hold_one); /* makes the bad interleaving certain */
  pthread_mutex_lock(&audit_lock);      /* waits for the auditor forever */
  pthread_mutex_unlock(&audit_lock);
  pthread_mutex_unlock(&accounts_lock);
  return NULL;
}

static void* audit_worker(void* arg) {
  (void)arg;
  pthread_mutex_lock(&audit_lock);
  pthread_barrier_wait(&both_hold_one);
  pthread_mutex_lock(&accounts_lock); /* waits for the transfer worker forever */
  pthread_mutex_unlock(&accounts_lock);
  pthread_mutex_unlock(&audit_lock);
  return NULL;
}

int main(void) {
  pthread_t transfer, audit;
  pthread_barrier_init(&both_hold_one, NULL, 2);
  pthread_create(&transfer, NULL, transfer_worker, NULL);
  pthread_create(&audit, NULL, audit_worker, NULL);
  printf("pid %d: transfer and audit threads started\n", (int)getpid());
  fflush(stdout);
  pthread_join(transfer, NULL);
  pthread_join(audit, NULL);
  return 0;
}
