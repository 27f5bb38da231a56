#! stderr
lab
