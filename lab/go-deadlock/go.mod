module inquest.lab/godeadlock

go 1.19
