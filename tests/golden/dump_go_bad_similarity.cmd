#! stderr
dump tests/golden/dump_go_deadlock.txt --similarity fuzzy
