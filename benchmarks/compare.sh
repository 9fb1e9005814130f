#!/usr/bin/env bash
# Rerun the quick benchmarks on BINARY and print current/baseline for each measure
# (benchmarks/baseline.json). Instruction counts (callgrind) are exact and do not depend on
# the load: a ratio above 1.00 is real extra work. Wall-clock figures are medians over
# --reps repetitions (default 5) and move with the load, which is printed beside them.
#
#   benchmarks/compare.sh BINARY [--reps N] [--baseline FILE]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] && [ "${1#-}" = "$1" ] || { sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
bin=$1; shift
reps=5; baseline=$here/baseline.json
while [ $# -gt 0 ]; do
    case $1 in
        --reps) reps=$2; shift 2 ;;
        --baseline) baseline=$2; shift 2 ;;
        *) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[ -f "$baseline" ] || { echo "compare.sh: no baseline at $baseline (run benchmarks/run.sh BINARY first)" >&2; exit 2; }
current=$(mktemp); trap 'rm -f "$current"' EXIT
"$here/run.sh" "$bin" --quick --reps "$reps" --out "$current"
python3 - "$baseline" "$current" <<'PY'
import json, sys
base, cur = (json.load(open(p)) for p in sys.argv[1:3])
b, c = base["quick"], cur["quick"]
rows = [
    ("callgrind: instructions, whole fixed run (60 runs)", ("callgrind_default20", "total_ir"), "Ir"),
    ("callgrind: instructions per run in Simulation.run", ("callgrind_default20", "simulation_ir_per_run"), "Ir"),
    ("default, --jobs 1: wall-clock median", ("default_jobs1", "wall_median_s"), "s"),
    ("default, --jobs 1: engine time per run (median)", ("default_jobs1", "engine_time_per_run_us"), "us"),
    ("default, --jobs 1: peak resident memory", ("default_jobs1", "max_rss_kb"), "kB"),
    ("default, all cores: wall-clock median", ("default_jobsN", "wall_median_s"), "s"),
    ("default, all cores: engine time per run (median)", ("default_jobsN", "engine_time_per_run_us"), "us"),
    ("default, all cores: peak resident memory", ("default_jobsN", "max_rss_kb"), "kB"),
]
print(f"baseline: {base['date']} ({base.get('git_commit', '?')[:10]}), load {b['load_before'][0]:.2f}")
print(f"current:  {cur['date']} ({cur.get('git_commit', '?')[:10]}), load {c['load_before'][0]:.2f} -> {c['load_after'][0]:.2f}")
print(f"{'measure':<52} {'baseline':>14} {'current':>14} {'current/baseline':>17}")
for name, (sec, key), unit in rows:
    x, y = b[sec][key], c[sec][key]
    fmt = (lambda v: f"{v:,.0f} {unit}") if unit in ("Ir", "kB") else (lambda v: f"{v:.4g} {unit}")
    print(f"{name:<52} {fmt(x):>14} {fmt(y):>14} {y / x:>17.3f}")
PY
