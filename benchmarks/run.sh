#!/usr/bin/env bash
# Benchmarks of the bystander simulator (see docs/PERFORMANCE.md).
#
#   benchmarks/run.sh BINARY            full: writes benchmarks/baseline.json (about 6 minutes)
#   benchmarks/run.sh BINARY --quick    the quick measures only (about 30 s), JSON on stdout
#   options: --out FILE (where the JSON goes), --reps N (repetitions of timed runs, default 5)
#
# BINARY is a release build, e.g.
#   swift build --scratch-path .build-bench -c release --product bystander
#   benchmarks/run.sh .build-bench/release/bystander
# Needs python3, /usr/bin/time, valgrind (callgrind) and objcopy. Wall-clock figures depend on
# the machine's load (recorded in the JSON); callgrind instruction counts do not.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -lt 1 ] || [ "${1#-}" != "$1" ]; then
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2
fi
bin=$1; shift
[ -x "$bin" ] || { echo "run.sh: $bin is not an executable" >&2; exit 2; }
for tool in python3 valgrind callgrind_annotate objcopy; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (apt-get install valgrind binutils python3)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
quick=0; out=0
for a in "$@"; do case $a in --quick) quick=1 ;; --out|--out=*) out=1 ;; esac; done
if [ $quick -eq 0 ] && [ $out -eq 0 ]; then set -- "$@" --out "$here/baseline.json"; fi
exec python3 "$here/bench.py" "$bin" "$@"
