# docs/formats.md's worked example: a [formats.billing] regex format and a [fields] key name
# from inquest.toml, one request rebuilt across it and a JSON-lines log.
#! stderr
timeline --config docs/formats-example/inquest.toml docs/formats-example/logs --request 7af3c2
