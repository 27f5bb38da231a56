module inquest.lab/heapgrowth

go 1.19
