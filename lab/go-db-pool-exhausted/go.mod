module inquest.lab/dbpool

go 1.19
