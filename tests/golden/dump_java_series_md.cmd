# TDA's test.log: three JMX-form dumps in one file, read as a series, in Markdown.
dump ../shared/fixtures/dumps/java/tda/test.log --format md
