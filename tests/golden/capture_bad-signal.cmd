#! stderr
capture --pid 1 --python-signal NOPE --out /nonexistent/x
