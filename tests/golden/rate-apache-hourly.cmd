rate ../shared/fixtures/logs/access/apache_combined_10k.log --by 1h
