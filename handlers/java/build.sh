#!/usr/bin/env bash
# build.sh OUTDIR: compiles the agent with the JDK's javac (no other dependency) and writes
# OUTDIR/inquest-agent.jar, whose manifest names dev.inquest.dumps.Agent as Premain-Class
# (-javaagent) and Agent-Class (attach). Exit 77 when javac or jar is missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUTDIR}
for tool in javac jar; do
  command -v $tool >/dev/null || { echo "$tool not found (Debian: apt-get install default-jdk-headless)" >&2; exit 77; }
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/inquest-agent-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
# --release 11: the jar runs on JDK 11 and later. javac warns that sun.misc.Signal
# (jdk.unsupported) is an internal API; its output is shown only when it fails.
if ! javac --release 11 -d "$work/classes" $(find "$here/src" -name '*.java' | sort) \
    >"$work/javac.log" 2>&1; then
  cat "$work/javac.log" >&2
  exit 1
fi
cat >"$work/MANIFEST.MF" <<'MF'
Premain-Class: dev.inquest.dumps.Agent
Agent-Class: dev.inquest.dumps.Agent
Implementation-Title: inquest-dumps-java
Implementation-Version: 1
MF
jar --create --file "$out/inquest-agent.jar.tmp" --manifest "$work/MANIFEST.MF" -C "$work/classes" .
mv "$out/inquest-agent.jar.tmp" "$out/inquest-agent.jar"
echo "$out/inquest-agent.jar" >&2
