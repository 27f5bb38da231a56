timeline ../shared/fixtures/logs/loghub/OpenStack_2k.log --since 2017-05-16T00:05:00Z --until 2017-05-16T00:05:10Z --service nova-compute
