# One request of the example incident across three services: each step with its attributes
# (the matched id not repeated), the 4 s wait marked slow, and on stderr only the files that
# hold the id.
#! stderr
timeline examples/checkout-stampede/pods examples/checkout-stampede/edge --request 7af3c2
