"""Run the experiments the notebooks read, execute every notebook headless, check the outputs.

The notebooks are jupytext percent-format scripts (notebooks/NN-name.py); jupytext turns each
into a notebook, which is executed and written with its outputs to WORK/notebooks/NN-name.ipynb.

    python notebooks/tools/run_notebooks.py test      (called by scripts/notebooks.sh test)
    python notebooks/tools/run_notebooks.py figures   (called by scripts/notebooks.sh figures)

Reads BYSTANDER_BIN (the CLI) and BYSTANDER_WORK (results root: Results/ in figures mode, a
temporary folder in test mode). Test mode runs tiny copies of the configs (few replicates)
plus the fixture case in Tests/Fixtures/notebooks/, and BYSTANDER_SMALL=1 makes the notebooks
use tiny designs of their own. Closes with 'notebooks: N passed, N failed'.
"""
from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import time
import traceback
from pathlib import Path

import jupytext
import nbformat
import pandas as pd
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[2]
NB_DIR = ROOT / "notebooks"
FIXTURES = ROOT / "Tests/Fixtures/notebooks"
NOTEBOOKS = ["01-regime-comparison", "02-sweeps", "03-case-library", "04-sensitivity", "05-council"]

# name -> (config, subcommand, replicates in test mode, extra CLI options)
EXPERIMENTS = {
    "default": ("Experiments/default.yaml", "run", 24, []),
    "enforcement-veto": ("Experiments/sweeps/enforcement-veto.yaml", "sweep", 8, []),
    "buck-passing-signature": ("Experiments/sweeps/buck-passing-signature.yaml", "sweep", 24, []),
    "council-reforms": ("Experiments/sweeps/council-reforms.yaml", "sweep", 8, []),
    # No notebook reads it: the README's worked question (compare --contrast, read_results).
    "patron": ("Experiments/sweeps/patron.yaml", "sweep", 8, []),
    "duty-pull": ("Experiments/sweeps/duty-pull.yaml", "sweep", 8, []),
    "reputation": ("Experiments/sweeps/reputation.yaml", "sweep", 6, []),
    "duty-deference": ("Experiments/sweeps/duty-deference.yaml", "sweep", 8, []),
}
CASE_REPLICATES_SMALL = 12

# Figures each notebook must write (stems; .png and .svg). Case figures are checked separately.
FIGURES = {
    "01-regime-comparison": ["01-regime-ecdfs", "01-paired-differences"],
    "02-sweeps": ["02-enforcement-veto", "02-buck-passing-signature", "02-duty-pull", "02-duty-deference", "02-reputation"],
    "03-case-library": ["03-case-library-fit"],
    "04-sensitivity": ["04-sobol-indices"],
    "05-council": ["05-vetoes-by-member", "05-negative-votes-by-rung", "05-voting-power", "05-veto-reforms"],
}


def log(msg: str) -> None:
    print(msg, flush=True)


def small_config(config: Path, replicates: int, out_dir: Path) -> Path:
    """A copy of a config with fewer replicates; relative file paths made absolute."""
    text = config.read_text()
    text, n = re.subn(r"(?m)^replicates:\s*\d+\s*$", f"replicates: {replicates}", text)
    if n == 0:
        text = f"replicates: {replicates}\n" + text
    base = config.resolve().parent

    def absolute(m: re.Match) -> str:
        value = m.group(3).strip("'\"")
        return m.group(0) if not value or value.startswith("/") else f"{m.group(1)}{m.group(2)}{base / value}"
    text = re.sub(r"(?m)^(\s*(?:capabilities|distances|file):)(\s*)(\S+)\s*$", absolute, text)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / config.name
    path.write_text(text)
    return path


def inside(path: Path) -> str:
    """A path relative to the repository when it is inside it (as manifests record it after `make run`)."""
    path = Path(path).resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def run_experiment(bin_: str, sub: str, config: Path, output: Path, extra: list[str]) -> tuple[bool, str]:
    cmd = [bin_, sub, inside(config), "-o", inside(output), "--force", "-q", *extra]
    if os.environ.get("BYSTANDER_JOBS"):
        cmd += ["-j", os.environ["BYSTANDER_JOBS"]]
    t = time.time()
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    # Exit 3: some runs failed; their rows carry the message and the notebooks drop them.
    ok = p.returncode in (0, 3) and (output / "runs.csv").exists()
    log(f"  {'ran' if ok else 'FAILED'} bystander {sub} {inside(config)} -o {inside(output)} ({time.time() - t:.1f} s)"
        + ("" if p.returncode == 0 else f" [exit {p.returncode}] {p.stderr.strip()[-400:]}"))
    return ok, p.stderr


def prepare(bin_: str, work: Path, small: bool) -> list[str]:
    """Run every experiment the notebooks read into work/<name>/. Returns warnings."""
    warnings = []
    configs = work / "configs"
    for name, (cfg, sub, reps, extra) in EXPERIMENTS.items():
        config = ROOT / cfg
        if small:
            config = small_config(config, reps, configs)
        ok, err = run_experiment(bin_, sub, config, work / name, extra)
        if not ok:
            raise RuntimeError(f"experiment {name} failed:\n{err}")
    cases = sorted((ROOT / "Experiments/cases").glob("*.yaml"))
    if small:
        cases = sorted(FIXTURES.glob("cases/*.yaml")) + cases
    for case in cases:
        config = small_config(case, CASE_REPLICATES_SMALL, configs / "cases") if small else case
        ok, err = run_experiment(bin_, "run", config, work / "cases" / case.stem, [])
        if not ok:
            warnings.append(f"case {case.relative_to(ROOT)} did not run; notebook 03 skips it: {err.strip()[-300:]}")
    return warnings


def execute(name: str, out_dir: Path) -> tuple[bool, str]:
    """Execute notebooks/name.py (a jupytext percent script) and write it, with its outputs, as out_dir/name.ipynb."""
    nb = jupytext.read(NB_DIR / f"{name}.py")
    client = NotebookClient(nb, timeout=1200, kernel_name="python3", resources={"metadata": {"path": str(NB_DIR)}})
    ok, message = True, ""
    try:
        client.execute()
    except CellExecutionError as e:
        ok, message = False, str(e)
    except Exception as e:  # kernel died, timeout
        ok, message = False, f"{type(e).__name__}: {e}"
    out_dir.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out_dir / f"{name}.ipynb")
    return ok, message


# ----------------------------------------------------------------------------- checks

class CheckFailed(Exception):
    pass


def expect(cond: bool, message: str) -> None:
    if not cond:
        raise CheckFailed(message)


def check_clean(name: str) -> None:
    nb = jupytext.read(NB_DIR / f"{name}.py")
    expect(nb.cells and nb.cells[0].cell_type == "markdown", "the first cell is not markdown")
    first = nb.cells[0].source
    expect("**Question" in first and "bystander " in first, "the first cell does not state the question and the command")
    expect(len(nb.cells) > 2 and any(c.cell_type == "code" for c in nb.cells), "the script has no code cells (is it in jupytext percent format?)")


def check_figures(name: str, work: Path) -> None:
    for stem in FIGURES[name]:
        for ext in ("png", "svg"):
            f = work / "figures" / f"{stem}.{ext}"
            expect(f.exists() and f.stat().st_size > 1000, f"figure {f.name} missing or empty")


def table(work: Path, name: str) -> pd.DataFrame:
    f = work / name
    expect(f.exists(), f"table {name} missing")
    df = pd.read_csv(f)
    expect(len(df) > 0, f"table {name} is empty")
    return df


def check_01(work: Path, small: bool) -> None:
    df = table(work, "regime-comparison.csv")
    regimes = set(df["regime"]) | set(df["reference"].dropna())
    expect(regimes >= {"buck_passing", "individual_duty", "capacity_based"}, f"comparison table lacks a regime: {sorted(regimes)}")
    d = df[df["regime"] != df["reference"]].dropna(subset=["ci95_low", "ci95_high"])
    expect(((d["ci95_low"] <= d["mean_difference"] + 1e-9) & (d["mean_difference"] <= d["ci95_high"] + 1e-9)).all(),
           "a paired mean difference lies outside its interval")
    expect(set(df["outcome"]) >= {"deaths_total", "response_weeks", "burden_gini"}, "comparison table lacks a headline outcome")


def check_02(work: Path, small: bool) -> None:
    ev = table(work, "enforcement-veto.csv")
    expect(set(ev["regime"]) == {"buck_passing", "individual_duty", "capacity_based"}, "enforcement-veto table lacks a regime")
    expect(ev["duties.enforcement"].nunique() == 5 and ev["council.veto_restraint_pledges"].nunique() == 3, "enforcement-veto grid incomplete")
    sig = table(work, "buck-passing-signature.csv")
    expect(((sig["share_no_action"] >= 0) & (sig["share_no_action"] <= 1)).all(), "a share outside [0, 1]")
    expect(((sig["ci95_low"] <= sig["share_no_action"] + 1e-12) & (sig["share_no_action"] <= sig["ci95_high"] + 1e-12)).all(),
           "a share outside its binomial interval")
    expect((sig["n_capable"] == sig["world.count"] - 1).all(), "n_capable is not world.count - 1")
    vd = sig["volunteers_dilemma"].dropna()
    expect(((vd >= 0) & (vd <= 1)).all(), "Volunteer's-Dilemma curve outside [0, 1]")
    pull = table(work, "duty-pull.csv")
    expect(pull["duties.enforcement"].nunique() == 6 and pull["duties.internalisation"].nunique() == 4, "duty-pull grid incomplete")
    expect(((pull["ci95_low"] <= pull["mean_difference"] + 1e-9) & (pull["mean_difference"] <= pull["ci95_high"] + 1e-9)).all(),
           "a duty-pull difference outside its interval")
    rep = table(work, "reputation.csv")
    expect(rep["world.crises"].nunique() == 4, "reputation grid incomplete")


def check_03(work: Path, small: bool) -> None:
    df = table(work, "case-library.csv")
    if small:
        expect("notebook-fixture" in set(df["case"]), "the fixture case is missing from case-library.csv")
    expect(set(df["regime"]) >= {"buck_passing", "individual_duty", "capacity_based"}, "case table lacks a regime")
    s = df["share_consistent"].dropna()
    expect(((s >= 0) & (s <= 1)).all(), "share_consistent outside [0, 1]")
    for case in set(df["case"]):
        for ext in ("png", "svg"):
            expect((work / "figures" / f"03-case-{case}.{ext}").exists(), f"figure 03-case-{case}.{ext} missing")


def check_04(work: Path, small: bool) -> None:
    df = table(work, "sobol-indices.csv")
    expect(set(df["outcome"]) == {"deaths_total", "response_weeks"}, "Sobol table lacks an outcome")
    expect(4 <= df["parameter"].nunique() <= 6, "Sobol analysis should cover 4-6 parameters")
    for col in ["S1", "S1_conf", "ST", "ST_conf"]:
        expect(df[col].map(lambda x: math.isfinite(x)).all(), f"non-finite {col}")
    expect((df["S1"] - df["S1_conf"] <= 1).all(), "S1 - conf > 1")
    expect((df["ST"] + df["ST_conf"] >= 0).all(), "ST + conf < 0")
    expect((df["S1"] + df["S1_conf"] >= 0).all(), "S1 + conf < 0")
    expect((df["ST_conf"] >= 0).all() and (df["S1_conf"] >= 0).all(), "negative confidence half-width")


def check_05(work: Path, small: bool) -> None:
    cp = table(work, "council-power.csv")
    expect(set(cp["rule"]) >= {"charter", "no_veto", "double_veto"}, "council-power table lacks a rule")
    for rule, g in cp.groupby("rule"):
        for col in ["shapley_shubik", "banzhaf_normalised"]:
            expect(abs(g[col].sum() - 1) < 1e-4, f"{col} under {rule} does not sum to 1")
    nv = cp[cp["rule"] == "no_veto"]
    expect(nv["shapley_shubik"].max() - nv["shapley_shubik"].min() < 1e-9, "without a veto all seats should have equal power")
    ch = cp[cp["rule"] == "charter"]
    expect(ch[ch["permanent"]]["shapley_shubik"].min() > ch[~ch["permanent"]]["shapley_shubik"].max(), "permanent seats should outweigh elected ones")
    ref = table(work, "council-reforms.csv")
    expect(set(ref["regime"]) == {"buck_passing", "individual_duty", "capacity_based"}, "council-reforms table lacks a regime")
    noveto = ref[ref["council.veto_threshold"] == 0]
    expect((noveto["mean"][noveto["outcome"] == "drafts_vetoed"] == 0).all(), "drafts vetoed without a veto")
    vb = table(work, "vetoes-by-member.csv")
    expect(set(vb["member"]) == set(["CHN", "FRA", "GBR", "RUS", "USA"]), "vetoes-by-member lacks a permanent member")


CHECKS = {"01-regime-comparison": check_01, "02-sweeps": check_02, "03-case-library": check_03,
          "04-sensitivity": check_04, "05-council": check_05}


def main() -> int:
    mode = sys.argv[1] if len(sys.argv) > 1 else "test"
    small = mode == "test"
    bin_ = os.environ["BYSTANDER_BIN"]
    work = Path(os.environ["BYSTANDER_WORK"]).resolve()
    start = time.time()
    log(f"notebooks: {'small' if small else 'full'} mode, binary {bin_}, results in {work}")
    try:
        warnings = prepare(bin_, work, small)
    except Exception as e:
        log(f"notebooks: preparing the inputs failed: {e}")
        log(f"notebooks: 0 passed, {len(NOTEBOOKS)} failed")
        return 1
    for w in warnings:
        log(f"  warning: {w}")
    log(f"notebooks: inputs ready ({time.time() - start:.1f} s)")
    executed = work / "notebooks"
    passed, failed = [], []
    for name in NOTEBOOKS:
        t = time.time()
        problems = []
        try:
            check_clean(name)
        except CheckFailed as e:
            problems.append(f"{name}.py: {e}")
        except Exception as e:
            problems.append(f"{name}.py unreadable: {e}")
        ok, message = execute(name, executed)
        if not ok:
            problems.append(f"a cell raised:\n{message[-3000:]}")
        else:
            try:
                check_figures(name, work)
                CHECKS[name](work, small)
            except CheckFailed as e:
                problems.append(f"check: {e}")
            except Exception:
                problems.append("check raised:\n" + traceback.format_exc()[-2000:])
        status = "ok" if not problems else "FAILED"
        log(f"  {status:6s} {name} ({time.time() - t:.1f} s)")
        for p in problems:
            log("         " + p.replace("\n", "\n         "))
        (passed if not problems else failed).append(name)
    if not small:
        figs = sorted(p.name for p in (work / "figures").glob("*.png"))
        log(f"notebooks: {len(figs)} figures (PNG and SVG) in {os.path.relpath(work / 'figures', ROOT)}/, "
            f"executed notebooks in {os.path.relpath(executed, ROOT)}/")
    log(f"notebooks: total {time.time() - start:.1f} s")
    log(f"notebooks: {len(passed)} passed, {len(failed)} failed")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
