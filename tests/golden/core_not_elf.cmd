#! stderr
core README.md
