module inquest.lab/goleak

go 1.19
