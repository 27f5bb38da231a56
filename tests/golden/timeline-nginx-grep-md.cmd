timeline ../shared/fixtures/logs/access/nginx_shop_1k.log --grep-re "\" (404|500) " --format md
