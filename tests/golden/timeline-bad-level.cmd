#! stderr
timeline ../shared/fixtures/logs/loghub/OpenStack_2k.log --level loud
