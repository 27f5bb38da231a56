#! stderr
dump tests/golden/changes-git.log
