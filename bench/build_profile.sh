#!/usr/bin/env bash
# Where the build time goes: cold builds (ccache off) of what each scripts/dev command builds,
# each in a fresh folder, timed with /usr/bin/time, then the slowest translation units of each
# from Ninja's own log (.ninja_log: start and end of every step).
#
#   bench/build_profile.sh [OUT]          OUT defaults to /tmp/inquest-build-profile
#   UNITY=OFF bench/build_profile.sh      the same file by file (-DINQUEST_UNITY=OFF), to compare
#   SETS="demo main san" (default)        which builds to time:
#     demo  build/ as `scripts/dev demo` builds it: the inquest target only (GCC)
#     main  the rest of the main set: every target (tests, benchmarks) on top of demo's objects
#     san   build-san/ as `scripts/dev test` builds it: clang, ASan + UBSan + libFuzzer, all
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-/tmp/inquest-build-profile}
unity=${UNITY:-ON}
sets=${SETS:-demo main san}
export CCACHE_DISABLE=1

# slowest DIR N: the N slowest steps of the last build in DIR, in seconds.
slowest() {
  python3 - "$1/.ninja_log" "$2" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    if line.startswith('#'):
        continue
    start, end, _, out, _ = line.rstrip('\n').split('\t')
    rows[out] = (int(end) - int(start)) / 1000
total = sum(rows.values())
print(f"  {len(rows)} steps, {total:.0f} s of compiler time")
for secs, name in sorted(((v, k) for k, v in rows.items()), reverse=True)[:int(sys.argv[2])]:
    print(f"  {secs:7.1f} s  {name}")
PY
}

# timed LABEL CMD...: runs CMD, prints its wall time and peak memory.
timed() {
  local label=$1
  shift
  /usr/bin/time -f "$label: %e s wall, %U s user, %M KB peak" "$@" >/dev/null
}

rm -rf "$out"
mkdir -p "$out"
main_cfg=(-G Ninja -S "$root" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DINQUEST_UNITY="$unity")
for set in $sets; do
  case "$set" in
    demo)
      cmake "${main_cfg[@]}" -B "$out/main" >/dev/null
      timed "demo (inquest only)" ninja -C "$out/main" inquest
      slowest "$out/main" 10
      ;;
    main)
      [ -f "$out/main/build.ninja" ] || cmake "${main_cfg[@]}" -B "$out/main" >/dev/null
      timed "main (all targets, after demo)" ninja -C "$out/main"
      slowest "$out/main" 10
      ;;
    san)
      cmake "${main_cfg[@]}" -B "$out/san" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
        -DINQUEST_SANITIZE=ON -DINQUEST_FUZZ=ON -DINQUEST_BENCH=OFF >/dev/null
      timed "san (tests and fuzz targets)" ninja -C "$out/san"
      slowest "$out/san" 10
      ;;
    *) echo "unknown set $set" >&2; exit 2 ;;
  esac
done
