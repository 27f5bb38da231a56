module inquest.bench/goroutinegen

go 1.19
