module inquest.lab/gopanic

go 1.19
