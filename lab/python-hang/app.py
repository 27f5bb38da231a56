"""A report job that hangs: two workers take the same two locks in opposite order.

faulthandler.dump_traceback_later is the watchdog the primer recommends for a hang: if the job
has not finished in time, every thread's Python stack goes to the dump file and the process
exits.
"""
import faulthandler
import sys
import threading
import time

inventory_lock = threading.Lock()
ledger_lock = threading.Lock()


def reconcile_inventory():
    with inventory_lock:
        time.sleep(0.2)  # both workers now hold their first lock
        with ledger_lock:
            pass


def post_ledger():
    with ledger_lock:
        time.sleep(0.2)
        with inventory_lock:
            pass


def main(dump_path, seconds):
    dump = open(dump_path, "w")
    faulthandler.dump_traceback_later(seconds, exit=True, file=dump)
    workers = [threading.Thread(target=reconcile_inventory, name="inventory"),
               threading.Thread(target=post_ledger, name="ledger")]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    faulthandler.cancel_dump_traceback_later()
    print("finished")


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]))
