#! stderr
# A GC crash log cut off before its end (krashpad dataset31): the verdict, and the cut said.
dump ../shared/fixtures/dumps/hs_err/krashpad-dataset31.txt
