#! stderr

