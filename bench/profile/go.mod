module inquest.bench/genprofile

go 1.19
