# Shared by the comparison scripts in bench/ (sourced, not run). Needs $runs (runs per command)
# and $data (a scratch folder); fills the arrays wall[NAME] (best seconds) and rss[NAME] (KiB).
#
#   run NAME CMD...   runs CMD $runs times under /usr/bin/time, prints its best wall time and
#                     its largest peak RSS. Output goes to a real file, not /dev/null: ripgrep
#                     notices /dev/null and stops at the first match.
#   ratio A B         A / B with two decimals
#   bench_need PKG... installs the Debian packages of the list that are missing
declare -gA wall rss
run() {
  local name=$1
  shift
  local best="" maxrss=0
  for _ in $(seq "$runs"); do
    if ! /usr/bin/time -f '%e %M' -o "$data/time.tmp" "$@" >"$data/out.tmp" 2>/dev/null; then
      echo "  $name: failed"
      return 0
    fi
    local out t m
    out=$(tail -1 "$data/time.tmp")
    t=${out% *}
    m=${out#* }
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
    [ "$m" -gt "$maxrss" ] && maxrss=$m
  done
  wall[$name]=$best
  rss[$name]=$maxrss
  printf '  %-44s %8.2f s  %7d MiB\n' "$name" "$best" $((maxrss / 1024))
}
ratio() { awk "BEGIN{printf \"%.2f\", $1 / $2}"; }
bench_need() {
  local need=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
  done
  if [ ${#need[@]} -gt 0 ]; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
  fi
}
