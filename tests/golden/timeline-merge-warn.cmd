timeline ../shared/fixtures/logs/loghub/OpenStack_2k.log ../shared/fixtures/logs/logfmt/lnav_logfmt.log --level warn
