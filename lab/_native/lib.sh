# Shared by the native scenarios (sourced by their `run` scripts; this folder has no `run`, so
# it is not a scenario itself).

# run_for_core OUTDIR PROGRAM [ARGS...]: runs PROGRAM in OUTDIR with no limit on core size and
# leaves its core as OUTDIR/core. Where the kernel cannot write a core into OUTDIR (core_pattern
# pipes cores to systemd-coredump or apport, or names another folder), the program is run under
# gdb instead and gdb's generate-core-file writes the core at the fault; the output says which.
# INQUEST_LAB_GDB_CORE=1 takes the gdb way even where the kernel could write the core.
run_for_core() {
  local out=$1
  shift
  local pattern
  pattern=$(cat /proc/sys/kernel/core_pattern 2>/dev/null || echo '?')
  rm -f "$out"/core "$out"/core.*
  if [[ -z ${INQUEST_LAB_GDB_CORE:-} && $pattern != '|'* && $pattern != */* ]]; then
    local status=0
    (cd "$out" && ulimit -c unlimited && exec "$@") || status=$?
    local core
    core=$(cd "$out" && ls -t core core.* 2>/dev/null | head -n 1 || true)
    if [[ -n $core ]]; then
      [[ $core == core ]] || mv "$out/$core" "$out/core"
      echo "the program died with exit status $status; the kernel wrote $out/core" >&2
      return 0
    fi
  fi
  echo "the kernel wrote no core into $out (core_pattern: '$pattern');" \
    "running the program under gdb and writing the core with generate-core-file" >&2
  (cd "$out" && gdb -batch -nx -ex run -ex "generate-core-file $out/core" -ex kill --args "$@" \
    >&2)
  [[ -s $out/core ]]
}

# inquest_bin: the inquest binary that drives the scenario ($INQUEST, set by `inquest lab run`),
# else the one in PATH.
inquest_bin() {
  if [[ -n ${INQUEST:-} ]]; then echo "$INQUEST"; else command -v inquest; fi
}
