#! stderr
# A mistyped subcommand: usage error with a did-you-mean.
actions reviw
