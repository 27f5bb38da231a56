"""An image service that crashes the interpreter: it hands a null pointer to C through ctypes.

faulthandler.enable(file=...) is what the primer recommends for crashes: on SIGSEGV it writes
"Fatal Python error: Segmentation fault" and every thread's Python stack before the process
dies, so the crash leaves a Python-level trace next to the core.
"""
import ctypes
import faulthandler
import sys
import threading


def read_header(address):
    # ctypes.string_at(0): strlen() through a null pointer in C.
    return ctypes.string_at(address)


def load_thumbnail(cache, key):
    address = cache.get(key, 0)  # a missing entry gives 0, the null pointer
    return read_header(address)


def idle(stop):
    stop.wait()


def main(dump_path):
    dump = open(dump_path, "w")
    faulthandler.enable(file=dump, all_threads=True)
    stop = threading.Event()
    threading.Thread(target=idle, args=(stop,), name="janitor", daemon=True).start()
    load_thumbnail({}, "sku-42")


if __name__ == "__main__":
    main(sys.argv[1])
