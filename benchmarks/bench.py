#!/usr/bin/env python3
"""Benchmarks of the bystander simulator (called by benchmarks/run.sh and compare.sh).

    bench.py BINARY [--quick] [--out FILE] [--reps N]

Standard library only. Measures, on the default experiment (Experiments/default.yaml):
wall-clock time and runs per second with --jobs 1 and with all cores, the engine's own
runs per second (manifest.json, which excludes start-up, summaries and hashing), peak
resident memory (/usr/bin/time -v), and callgrind instruction counts of a fixed small run
(benchmarks/configs/callgrind.yaml: the default experiment with 20 replicates, --jobs 1),
which do not depend on the machine's load. The full mode adds the scaling of cost with the
number of states and weeks (benchmarks/configs/scale-*.yaml), sweeps of 10,000 and
1,000,000 runs (throughput, peak memory overall and while runs are being simulated), and
the top functions of the profile.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CONFIGS = os.path.join(HERE, "configs")
DEFAULT = os.path.join(ROOT, "Experiments", "default.yaml")
SIM_SYMBOL = "10SimulationV3run"  # mangled BystanderCore.Simulation.run()


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def load():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


def machine():
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem_kb = int(line.split()[1])
    def out(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip().splitlines()[0]
        except Exception:
            return ""
    return {"nproc": os.cpu_count(), "cpu_model": cpu, "memory_gib": round(mem_kb / 1048576, 1),
            "kernel": platform.release(), "swift": out(["swift", "--version"]), "valgrind": out(["valgrind", "--version"]),
            "python": platform.python_version()}


def parse_time_v(path):
    r = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("Maximum resident set size"):
                r["max_rss_kb"] = int(line.split(":")[1])
            elif line.startswith("User time"):
                r["user_s"] = float(line.split(":")[1])
            elif line.startswith("System time"):
                r["sys_s"] = float(line.split(":")[1])
            elif line.startswith("Exit status"):
                r["exit"] = int(line.split(":")[1])
    return r


def engine(out_dir):
    with open(os.path.join(out_dir, "manifest.json")) as f:
        m = json.load(f)
    return m["runs"], m["elapsed_seconds_this_session"]


def timed(binary, command, config, jobs, extra=(), sample=False):
    """One run of the CLI under /usr/bin/time -v: wall, peak RSS, engine time; with
    sample=True also the peak RSS while runs.csv is still growing (the simulation phase)."""
    tmp = tempfile.mkdtemp(prefix="bench-")
    out = os.path.join(tmp, "out")
    tfile = os.path.join(tmp, "time.txt")
    cmd = ["/usr/bin/time", "-v", "-o", tfile, binary, command, config, "--output", out, "--force",
           "--jobs", str(jobs), "--progress", "quiet", *extra]
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    trace = []
    if sample:
        child = None
        runs_csv = os.path.join(out, "runs.csv")
        while p.poll() is None:
            if child is None:
                try:
                    with open(f"/proc/{p.pid}/task/{p.pid}/children") as f:
                        kids = f.read().split()
                    child = kids[0] if kids else None
                except OSError:
                    pass
            if child:
                try:
                    with open(f"/proc/{child}/status") as f:
                        rss = next(int(l.split()[1]) for l in f if l.startswith("VmRSS"))
                    size = os.path.getsize(runs_csv) if os.path.exists(runs_csv) else 0
                    trace.append((time.perf_counter() - start, rss, size))
                except (OSError, StopIteration):
                    pass
            time.sleep(0.2)
    _, err = p.communicate()
    wall = time.perf_counter() - start
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}):\n{err}")
    r = {"wall_s": wall, **parse_time_v(tfile)}
    r["runs"], r["engine_s"] = engine(out)
    if os.path.exists(os.path.join(out, "runs.csv")):
        r["runs_csv_bytes"] = os.path.getsize(os.path.join(out, "runs.csv"))
    if trace:
        final = trace[-1][2]
        last_growth = max((t for (t, _, s) in trace if s < final), default=0.0)
        r["rss_trace_samples"] = len(trace)
        r["simulation_phase_s"] = last_growth
        r["peak_rss_simulation_kb"] = max((rss for (t, rss, _) in trace if t <= last_growth), default=0)
        r["peak_rss_after_simulation_kb"] = max((rss for (t, rss, _) in trace if t > last_growth), default=0)
    shutil.rmtree(tmp, ignore_errors=True)
    return r


def repeat(binary, config, jobs, reps, command="run"):
    rows = [timed(binary, command, config, jobs) for _ in range(reps)]
    walls = [r["wall_s"] for r in rows]
    engines = [r["engine_s"] for r in rows]
    runs = rows[0]["runs"]
    return {
        "runs": runs, "jobs": jobs, "repetitions": reps,
        "wall_median_s": statistics.median(walls), "wall_min_s": min(walls), "wall_max_s": max(walls),
        "runs_per_s": runs / statistics.median(walls),
        "time_per_run_ms": 1000 * statistics.median(walls) / runs,
        "engine_median_s": statistics.median(engines),
        "engine_runs_per_s": runs / statistics.median(engines),
        "engine_time_per_run_us": 1e6 * statistics.median(engines) / runs,
        "cpu_s_median": statistics.median(r["user_s"] + r["sys_s"] for r in rows),
        "max_rss_kb": max(r["max_rss_kb"] for r in rows),
    }


def demangle(names):
    try:
        p = subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(names), capture_output=True, text=True, timeout=120)
        out = p.stdout.splitlines()
        if len(out) == len(names):
            return out
    except Exception:
        pass
    return names


def callgrind(binary, config, top=0):
    """Instruction counts (Ir) of one --jobs 1 run under callgrind: the whole process and the
    inclusive cost of Simulation.run(); optionally the top functions by self cost."""
    tmp = tempfile.mkdtemp(prefix="cg-")
    cg = os.path.join(tmp, "callgrind.out")
    # Valgrind 3.19 cannot read the DWARF 5 debug information Swift 6 emits: profile a copy
    # without it (same code; the symbol table keeps the function names).
    exe = os.path.join(tmp, "bystander")
    shutil.copy(binary, exe)
    subprocess.run(["objcopy", "--strip-debug", exe], check=True)
    cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={cg}", exe, "run", config,
           "--output", os.path.join(tmp, "out"), "--force", "--jobs", "1", "--progress", "quiet"]
    start = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"callgrind failed:\n{p.stderr[-2000:]}")
    runs, _ = engine(os.path.join(tmp, "out"))
    total = 0
    with open(cg) as f:
        for line in f:
            if line.startswith("totals:") or line.startswith("summary:"):
                total = int(line.split()[1])
    ann = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", cg], capture_output=True, text=True).stdout
    sim = 0
    for line in ann.splitlines():
        if SIM_SYMBOL in line and "Simulation.swift" in line or re.search(r"\$s13BystanderCore10SimulationV3run[A-Za-z0-9_]*KF\b", line):
            n = int(line.split()[0].replace(",", ""))
            sim = max(sim, n)
    r = {"runs": runs, "total_ir": total, "simulation_ir": sim, "simulation_ir_per_run": sim / runs if runs else 0,
         "valgrind_wall_s": time.perf_counter() - start}
    if top:
        selfann = subprocess.run(["callgrind_annotate", "--threshold=99", cg], capture_output=True, text=True).stdout
        rows = []
        for line in selfann.splitlines():
            m = re.match(r"\s*([\d,]+)\s+\(\s*([\d.]+)%\)\s+(\S+):(\S+)", line) or re.match(r"\s*([\d,]+)\s+\(\s*([\d.]+)%\)\s+(.*?):(.+)$", line)
            if m and len(rows) < top:
                rows.append({"ir": int(m.group(1).replace(",", "")), "percent": float(m.group(2)),
                             "file": os.path.basename(m.group(3)), "symbol": m.group(4).split(" [")[0]})
        for row, name in zip(rows, demangle([r_["symbol"] for r_ in rows])):
            row["function"] = name
        r["top_self"] = rows
        incl = []
        for line in ann.splitlines():
            m = re.match(r"\s*([\d,]+)\s+\(\s*([\d.]+)%\)\s+(.*?):(.+)$", line)
            if m and len(incl) < top:
                incl.append({"ir": int(m.group(1).replace(",", "")), "percent": float(m.group(2)),
                             "symbol": m.group(4).split(" [")[0]})
        for row, name in zip(incl, demangle([r_["symbol"] for r_ in incl])):
            row["function"] = name
        r["top_inclusive"] = incl
        keep = os.environ.get("BENCH_KEEP_CALLGRIND")
        if keep:
            shutil.copy(cg, keep)
    shutil.rmtree(tmp, ignore_errors=True)
    return r


def quick(binary, reps):
    ncpu = os.cpu_count() or 1
    res = {"load_before": load()}
    log("callgrind: benchmarks/configs/callgrind.yaml (60 runs, --jobs 1)")
    res["callgrind_default20"] = callgrind(binary, os.path.join(CONFIGS, "callgrind.yaml"))
    log(f"default experiment, --jobs 1, {reps} repetitions")
    res["default_jobs1"] = repeat(binary, DEFAULT, 1, reps)
    log(f"default experiment, --jobs {ncpu}, {reps} repetitions")
    res["default_jobsN"] = repeat(binary, DEFAULT, ncpu, reps)
    res["speedup_jobsN"] = res["default_jobs1"]["wall_median_s"] / res["default_jobsN"]["wall_median_s"]
    res["engine_speedup_jobsN"] = res["default_jobsN"]["engine_runs_per_s"] / res["default_jobs1"]["engine_runs_per_s"]
    res["load_after"] = load()
    return res


SCALE = [("states", 50, 104), ("states", 193, 104), ("states", 1000, 104), ("states", 10000, 104),
         ("weeks", 193, 52), ("weeks", 193, 520)]


def linear_fit(xs, ys):
    mx, my = statistics.mean(xs), statistics.mean(ys)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    a = my - b * mx
    return a, b, [(y - (a + b * x)) / y for x, y in zip(xs, ys)]


def fit_scaling(scaling):
    """Instruction counts per run (Simulation.run) against states at 104 weeks: cost = a + b N,
    so b / 104 is the cost of one state-week; and against weeks at 193 states, as ratios."""
    by_states = sorted((r for r in scaling if r["weeks"] == 104), key=lambda r: r["states"])
    a, b, res = linear_fit([r["states"] for r in by_states], [r["simulation_ir_per_run"] for r in by_states])
    by_weeks = sorted((r for r in scaling if r["states"] == 193), key=lambda r: r["weeks"])
    base = next(r for r in by_weeks if r["weeks"] == 104)["simulation_ir_per_run"]
    return {"states_at_104_weeks": {"a_ir_per_run": a, "b_ir_per_state": b, "b_ir_per_state_week": b / 104,
                                    "relative_residuals": dict(zip([r["states"] for r in by_states], res))},
            "weeks_at_193_states": {str(r["weeks"]): {"ir_per_run_relative_to_104_weeks": r["simulation_ir_per_run"] / base,
                                                      "weeks_relative_to_104": r["weeks"] / 104} for r in by_weeks}}


def full(binary, reps):
    res = {}
    res["load_before"] = load()
    log("callgrind profile of the fixed run")
    res["profile"] = callgrind(binary, os.path.join(CONFIGS, "callgrind.yaml"), top=25)
    scaling = []
    for kind, n, h in SCALE:
        cfg = os.path.join(CONFIGS, f"scale-n{n}-w{h}.yaml")
        log(f"scaling: {os.path.basename(cfg)}")
        row = {"config": os.path.relpath(cfg, ROOT), "states": n, "weeks": h}
        row.update({f"wall_{k}": v for k, v in repeat(binary, cfg, 1, reps).items()
                    if k in ("wall_median_s", "engine_median_s", "engine_time_per_run_us", "runs", "max_rss_kb", "time_per_run_ms")})
        cg = callgrind(binary, cfg)
        row["simulation_ir_per_run"] = cg["simulation_ir_per_run"]
        row["total_ir"] = cg["total_ir"]
        row["simulation_ir_per_state_week"] = cg["simulation_ir_per_run"] / (n * h)
        row["engine_ns_per_state_week"] = 1000 * row["wall_engine_time_per_run_us"] / (n * h)
        scaling.append(row)
    res["scaling"] = scaling
    res["scaling_fit_ir"] = fit_scaling(scaling)
    ncpu = os.cpu_count() or 1
    sweeps = {}
    for name in ("sweep-10k", "sweep-1m", "sweep-1m-points"):
        cfg = os.path.join(CONFIGS, f"{name}.yaml")
        log(f"{name}: bystander sweep --jobs {ncpu} (measured once)")
        la = load()
        r = timed(binary, "sweep", cfg, ncpu, sample=True)
        r["config"] = os.path.relpath(cfg, ROOT)
        r["load_before"] = la
        r["runs_per_s"] = r["runs"] / r["wall_s"]
        r["engine_runs_per_s"] = r["runs"] / r["engine_s"]
        sweeps[name] = r
    res["sweeps"] = sweeps
    res["load_after"] = load()
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out")
    ap.add_argument("--reps", type=int, default=5)
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    doc = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
           "binary": binary, "machine": machine(), "mode": "quick" if a.quick else "full"}
    try:
        doc["git_commit"] = subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    except Exception:
        pass
    doc["quick"] = quick(binary, a.reps)
    if not a.quick:
        doc["full"] = full(binary, max(3, a.reps // 2 + 1))
    text = json.dumps(doc, indent=2)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text + "\n")
        log(f"wrote {a.out}")
    else:
        print(text)
    q = doc["quick"]
    log(f"default experiment: --jobs 1 {q['default_jobs1']['runs_per_s']:.0f} runs/s (engine {q['default_jobs1']['engine_runs_per_s']:.0f}), "
        f"--jobs {os.cpu_count()} {q['default_jobsN']['runs_per_s']:.0f} runs/s (engine {q['default_jobsN']['engine_runs_per_s']:.0f}); "
        f"callgrind {q['callgrind_default20']['total_ir']:,} Ir total, {q['callgrind_default20']['simulation_ir_per_run']:,.0f} Ir per run")


if __name__ == "__main__":
    main()
