rate ../shared/fixtures/logs/access/nginx_shop_1k.log --by 10s --where "status>=300" --format md
