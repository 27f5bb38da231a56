"""A report job whose native extension aborts: the worker calls os.abort() (as a failed C
assertion would) while two other threads wait. faulthandler writes every thread's Python stack
to the file given, then the process dies of SIGABRT and the kernel writes its core."""
import faulthandler
import os
import sys
import threading

log = open(sys.argv[1], "w")
faulthandler.enable(file=log, all_threads=True)
ready = threading.Barrier(3)
done = threading.Event()


def wait_for_rows():
    ready.wait()
    done.wait()


def check_totals(rows):
    if sum(rows) != 0:
        os.abort()  # the extension's assert(total == 0)


def reconcile():
    ready.wait()
    check_totals([1, 2, 3])


threading.Thread(target=wait_for_rows, name="rows").start()
threading.Thread(target=reconcile, name="reconcile").start()
ready.wait()
done.wait()
