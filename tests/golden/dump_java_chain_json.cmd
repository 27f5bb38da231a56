# Five threads each blocked behind the next (dumpling's blocking-chain): the chain, as JSON.
dump ../shared/fixtures/dumps/java/dumpling/jstack-blocking-chain.log --format json
