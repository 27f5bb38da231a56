#! stderr
timelin x
