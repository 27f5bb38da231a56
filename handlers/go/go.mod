module inquest.dev/dumps

go 1.19
