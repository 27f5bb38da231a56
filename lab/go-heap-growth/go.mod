module inquest.lab/heapgrowth

go 1.19

require inquest.dev/dumps v0.0.0

// The dump handler library of this repository (handlers/go).
replace inquest.dev/dumps => ../../handlers/go
