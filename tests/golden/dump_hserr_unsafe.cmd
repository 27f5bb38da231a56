# A crash in the VM's Unsafe_GetByte called from application code (krashpad dataset70).
dump ../shared/fixtures/dumps/hs_err/krashpad-dataset70.txt
