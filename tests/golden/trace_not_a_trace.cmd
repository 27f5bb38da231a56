#! stderr
trace README.md
