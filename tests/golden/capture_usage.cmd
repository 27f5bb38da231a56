#! stderr
capture
