# A Jenkins JVM deadlocked on three monitors (dumpling's jstack-deadlock.log): our own
# wait-for graph finds the cycle; exit 1 because a deadlock was found.
dump ../shared/fixtures/dumps/java/dumpling/jstack-deadlock.log
