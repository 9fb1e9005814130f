"""Speed of the Swift simulator against the Mesa peer, single-threaded, on the same config.

    speed.py --swift BINARY CONFIG [--rounds R] [--mesa-replicates N]

Interleaved rounds (Swift, Mesa, Swift, Mesa, ...) so that a change in the machine's load
affects both alike. Swift: `bystander run CONFIG --jobs 1 --progress quiet --no-votes`,
timed end to end (process start to exit: start-up, config, runs, summaries, manifest) and by
its engine (manifest.json: the runs and their output). Mesa: the config's replicates (or
--mesa-replicates, default at most 100) under every regime with one world, as the Swift run
has, timed in-process from world building to the last outcome. Prints runs per second of
each, their ratio, and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bystander_mesa as bm  # noqa: E402


def swift_once(binary, config, tmp):
    out = os.path.join(tmp, "swift")
    start = time.perf_counter()
    subprocess.run([binary, "run", config, "--output", out, "--force", "--jobs", "1", "--progress", "quiet", "--no-votes"],
                   check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    with open(os.path.join(out, "manifest.json")) as f:
        m = json.load(f)
    shutil.rmtree(out, ignore_errors=True)
    return m["runs"], wall, m["elapsed_seconds_this_session"]


def mesa_once(cfg, replicates, seed):
    start = time.perf_counter()
    world = bm.build_world(cfg, np.random.default_rng([seed, 0x574F524C44]))
    runs = 0
    for r in range(replicates):
        for regime in cfg["regimes"]:
            bm.BystanderModel(cfg, world, regime, rng=np.random.default_rng([seed, r])).run()
            runs += 1
    return runs, time.perf_counter() - start


def main(argv=None):
    ap = argparse.ArgumentParser(description="Runs per second: Swift against Mesa, single-threaded.")
    ap.add_argument("--swift", required=True)
    ap.add_argument("config")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--mesa-replicates", type=int)
    ap.add_argument("--json", help="also write the figures to this file")
    a = ap.parse_args(argv)
    cfg = bm.Config(a.config)
    reps = a.mesa_replicates or min(int(cfg["replicates"]), 100)
    binary = os.path.abspath(a.swift)
    load_before = os.getloadavg()
    sw_wall, sw_engine, me = [], [], []
    with tempfile.TemporaryDirectory(prefix="speed-") as tmp:
        for k in range(a.rounds):
            runs, wall, eng = swift_once(binary, a.config, tmp)
            sw_wall.append(runs / wall)
            sw_engine.append(runs / eng)
            mruns, mwall = mesa_once(cfg, reps, 1000 + k)
            me.append(mruns / mwall)
            print(f"round {k + 1}: Swift {runs / wall:8.1f} runs/s end to end ({runs / eng:8.1f} engine); "
                  f"Mesa {mruns / mwall:6.1f} runs/s ({mruns} runs)", flush=True)
    load_after = os.getloadavg()
    s_wall, s_eng, m = statistics.median(sw_wall), statistics.median(sw_engine), statistics.median(me)
    print(f"\n{a.config}: medians over {a.rounds} interleaved rounds, single-threaded")
    print(f"  Swift (bystander run, end to end): {s_wall:10.1f} runs/s  ({1000 / s_wall:.3f} ms per run)")
    print(f"  Swift (engine only)              : {s_eng:10.1f} runs/s  ({1000 / s_eng:.3f} ms per run)")
    print(f"  Mesa {bm.mesa.__version__:<28}: {m:10.1f} runs/s  ({1000 / m:.3f} ms per run)")
    print(f"  ratio Swift/Mesa: {s_wall / m:.1f}x end to end, {s_eng / m:.1f}x engine")
    print(f"  load average before {load_before[0]:.2f}, after {load_after[0]:.2f} ({os.cpu_count()} cores)")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"config": a.config, "rounds": a.rounds, "swift_runs_per_s_end_to_end": s_wall,
                       "swift_runs_per_s_engine": s_eng, "mesa_runs_per_s": m, "mesa_version": bm.mesa.__version__,
                       "ratio_end_to_end": s_wall / m, "ratio_engine": s_eng / m,
                       "load_before": load_before, "load_after": load_after,
                       "swift_rounds_end_to_end": sw_wall, "swift_rounds_engine": sw_engine, "mesa_rounds": me}, f, indent=2)


if __name__ == "__main__":
    main()
