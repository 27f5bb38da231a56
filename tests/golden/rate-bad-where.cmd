#! stderr
rate ../shared/fixtures/logs/loghub/OpenStack_2k.log --where nonsense
