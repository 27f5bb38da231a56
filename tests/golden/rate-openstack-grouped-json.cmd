rate ../shared/fixtures/logs/loghub/OpenStack_2k.log --by 1m --group-by service --format json
