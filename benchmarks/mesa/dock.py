"""Docking the Swift simulator with the Mesa peer (Axtell, Axelrod, Epstein & Cohen 1996).

    dock.py --swift BINARY CONFIG [--replicates N] [--small] [--alpha A] [--jobs J]
            [--outcomes a,b,...] [--keep DIR]

Both implementations run the same YAML config. The Swift runs go through the CLI
(`bystander run CONFIG --output DIR`, then runs.csv is read); the Mesa runs through
bystander_mesa.py. For each regime, the distributions of deaths_total, onset_week and
drafts_vetoed (by default) are compared with the two-sample Kolmogorov-Smirnov test
(scipy.stats.ks_2samp) and the k-sample Anderson-Darling test (scipy.stats.anderson_ksamp,
midrank variant for ties). A missing week (the event did not happen) is coded as the horizon,
so the probability that it happens is part of the distribution compared.

Worlds. The Swift simulator builds one synthetic world per root seed and keeps it for every
replicate; the Mesa peer cannot build that same world (it draws from numpy, not GSL). So
docking is over the joint distribution of world and crisis: every Swift run is a separate
invocation with its own root seed (one replicate each), and every Mesa replicate draws a
fresh world. The runs are then independent draws on both sides, as the tests assume.

Significance: family-wise alpha (default 0.01), Bonferroni-corrected over every test
(regimes x outcomes x 2 tests). A comparison (regime, outcome) passes when neither test
rejects. Anderson-Darling p-values from scipy's table are floored at 0.001; when a p-value
hits the floor it is recomputed by permutation (9,999 resamples). The closing line reads
`docking: N passed, N failed`; the exit status is 1 if any comparison failed.

--small: 200 runs per regime on a 52-week horizon (for the test suite, well under 90 s on
two cores).
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import copy
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
import yaml
from scipy import stats

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bystander_mesa as bm  # noqa: E402

DEFAULT_OUTCOMES = ["deaths_total", "onset_week", "drafts_vetoed"]
WEEK_OUTCOMES = {"onset_week", "atrocity_start_week", "end_week", "first_action_week", "response_weeks",
                 "first_resolution_week"}


def load_doc(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f) or {}


def prepared(doc, small_horizon=None):
    """The config both sides run: the experiment's own, without its sweep and output."""
    d = copy.deepcopy(doc)
    d.pop("sweep", None)
    d.pop("observed", None)
    if small_horizon is not None:
        d["horizon_weeks"] = small_horizon
    return d


def swift_runs(binary, doc, n, seed0, workdir, jobs):
    """n independent Swift runs per regime: one invocation (and world) per root seed."""
    def one(k):
        d = dict(doc)
        d["seed"] = seed0 + k
        d["replicates"] = 1
        cfg = os.path.join(workdir, f"swift-{k}.yaml")
        out = os.path.join(workdir, f"swift-{k}")
        with open(cfg, "w") as f:
            yaml.safe_dump(d, f, sort_keys=False)
        r = subprocess.run([binary, "run", cfg, "--output", out, "--force", "--jobs", "1", "--quiet", "--no-votes"],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"bystander run failed ({r.returncode}) on {cfg}:\n{r.stderr}")
        with open(os.path.join(out, "runs.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        shutil.rmtree(out, ignore_errors=True)
        os.remove(cfg)
        return rows
    rows = []
    with cf.ThreadPoolExecutor(max_workers=jobs) as ex:
        for part in ex.map(one, range(n)):
            rows.extend(part)
    return rows


def _mesa_chunk(args):
    doc, start, count, seed = args
    cfg = bm.Config(doc)
    rows = []
    for r in range(start, start + count):
        world = bm.build_world(cfg, np.random.default_rng([seed, 0x574F524C44, r]))
        for regime in cfg["regimes"]:
            model = bm.BystanderModel(cfg, world, regime, rng=np.random.default_rng([seed, r]))
            rows.append({"regime": regime, "replicate": r, **model.run()})
    return rows


def mesa_runs(doc, n, seed, jobs):
    chunks = max(1, min(jobs * 4, n))
    bounds = [(n * c // chunks, n * (c + 1) // chunks) for c in range(chunks)]
    tasks = [(doc, a, b - a, seed) for a, b in bounds if b > a]
    rows = []
    if jobs <= 1:
        for t in tasks:
            rows.extend(_mesa_chunk(t))
        return rows
    with cf.ProcessPoolExecutor(max_workers=jobs) as ex:
        for part in ex.map(_mesa_chunk, tasks):
            rows.extend(part)
    return rows


def values(rows, regime, outcome, horizon):
    out = []
    for r in rows:
        if r["regime"] != regime:
            continue
        v = r[outcome]
        if v is None or v == "":
            if outcome in WEEK_OUTCOMES:
                out.append(float(horizon))
            else:
                continue
        else:
            out.append(float(v))
    return np.array(out)


def compare(a, b):
    """KS and AD statistics and p-values (AD refined by permutation at its table's floor)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ks_2samp falls back to the asymptotic p-value on ties
        ks = stats.ks_2samp(a, b)
    if len(np.unique(np.concatenate([a, b]))) < 2:
        return ks.statistic, 1.0, 0.0, 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ad = stats.anderson_ksamp([a, b], variant="midrank")
        ad_p = float(ad.pvalue)
        if ad_p <= 0.001:
            perm = stats.anderson_ksamp([a, b], variant="midrank",
                                        method=stats.PermutationMethod(n_resamples=9999, rng=np.random.default_rng(7)))
            ad_p = float(perm.pvalue)
    return float(ks.statistic), float(ks.pvalue), float(ad.statistic), ad_p


def check_defaults(binary):
    """Warn when the Mesa peer's defaults drift from `bystander params`."""
    r = subprocess.run([binary, "params", "--format", "csv"], capture_output=True, text=True)
    if r.returncode != 0:
        return ["cannot run `bystander params`"]
    problems = []
    for row in csv.DictReader(r.stdout.splitlines()):
        key, default = row["key"], row["default"]
        if key.startswith("world.states.") or key in ("name", "description", "output"):
            continue
        if key not in bm.DEFAULTS:
            problems.append(f"{key}: missing in the Mesa peer")
            continue
        mine = bm.DEFAULTS[key]
        theirs = yaml.safe_load(default) if default != '""' else ""
        if isinstance(theirs, str):
            try:
                theirs = float(theirs)  # YAML 1.1 reads 2e-05 as a string
            except ValueError:
                pass
        if isinstance(mine, bool) or isinstance(theirs, bool):
            same = mine == theirs
        elif isinstance(mine, (int, float)) and isinstance(theirs, (int, float)):
            same = abs(float(mine) - float(theirs)) <= 1e-12 * max(1.0, abs(float(mine)))
        else:
            same = mine == theirs
        if not same:
            problems.append(f"{key}: Swift {default}, Mesa {mine!r}")
    return problems


def main(argv=None):
    ap = argparse.ArgumentParser(description="Dock the Swift simulator with the Mesa peer.")
    ap.add_argument("--swift", required=True, help="the bystander binary")
    ap.add_argument("config")
    ap.add_argument("--replicates", type=int, help="runs per regime on each side (default 500; --small: 200)")
    ap.add_argument("--small", action="store_true", help="quick mode for the test suite: 200 runs per regime, 52 weeks")
    ap.add_argument("--horizon", type=int, help="override horizon_weeks on both sides")
    ap.add_argument("--alpha", type=float, default=0.01, help="family-wise significance level (Bonferroni)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--outcomes", default=",".join(DEFAULT_OUTCOMES))
    ap.add_argument("--seed", type=int, help="first Swift root seed and the Mesa seed (default: the config's seed)")
    ap.add_argument("--keep", help="write both sides' runs to DIR/swift-runs.csv and DIR/mesa-runs.csv")
    a = ap.parse_args(argv)

    n = a.replicates or (200 if a.small else 500)
    horizon_override = a.horizon or (52 if a.small else None)
    doc = prepared(load_doc(a.config), horizon_override)
    cfg = bm.Config(doc)
    horizon = int(cfg["horizon_weeks"])
    regimes = list(cfg["regimes"])
    outcomes = a.outcomes.split(",")
    binary = os.path.abspath(a.swift)
    seed = a.seed if a.seed is not None else int(cfg["seed"])

    for p in check_defaults(binary):
        print(f"warning: default differs: {p}", file=sys.stderr)

    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dock-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None) as tmp:
        # Swift invocations wait on I/O and child processes much of the time: overlap them.
        swift = swift_runs(binary, doc, n, seed, tmp, max(1, 2 * a.jobs))
    t1 = time.perf_counter()
    mesa = mesa_runs(doc, n, seed, a.jobs)
    t2 = time.perf_counter()
    if a.keep:
        os.makedirs(a.keep, exist_ok=True)
        with open(os.path.join(a.keep, "swift-runs.csv"), "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(swift[0].keys()))
            w.writeheader(); w.writerows(swift)
        bm.write_rows(mesa, os.path.join(a.keep, "mesa-runs.csv"))

    tests = len(regimes) * len(outcomes) * 2
    per_test = a.alpha / tests
    print(f"docking {a.config}: {n} runs per regime and side, horizon {horizon} weeks, one world per run "
          f"(Swift {t1 - t0:.1f} s, Mesa {t2 - t1:.1f} s)")
    header = f"{'regime':<16} {'outcome':<22} {'swift mean':>11} {'mesa mean':>11} {'KS D':>7} {'KS p':>9} {'AD':>8} {'AD p':>9}  result"
    print(header)
    print("-" * len(header))
    passed = failed = 0
    for regime in regimes:
        for outcome in outcomes:
            x = values(swift, regime, outcome, horizon)
            y = values(mesa, regime, outcome, horizon)
            d, kp, ad, ap_ = compare(x, y)
            ok = kp >= per_test and ap_ >= per_test
            passed += ok
            failed += not ok
            print(f"{regime:<16} {outcome:<22} {x.mean():>11.4g} {y.mean():>11.4g} {d:>7.3f} {kp:>9.3g} {ad:>8.2f} {ap_:>9.3g}  "
                  f"{'ok' if ok else 'DIFFERENT'}")
    print(f"significance: family-wise alpha {a.alpha} (Bonferroni over {tests} tests: each at {per_test:.2g}); "
          f"missing weeks coded as {horizon}")
    print(f"docking: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
