"""Helpers for the project's analysis notebooks (notebooks/NN-name.py): where inputs and
outputs live, the figure style (Okabe-Ito colours, 8-9 pt fonts, column-width sizes), small
statistics, and running the CLI. Results are read with :func:`bystander.read_results`.

Environment (all optional):
  BYSTANDER_WORK   results root: inputs are read from WORK/<experiment>/, figures written to
                   WORK/figures/ and tables to WORK/*.csv (default: the repository's Results/)
  BYSTANDER_BIN    the bystander binary (default: `bystander` on PATH, else
                   .build/release/bystander in the repository)
  BYSTANDER_SMALL  1: tiny designs for the headless test (scripts/notebooks.sh test)
"""
from __future__ import annotations

import math
import os
import subprocess
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .cli import REPOSITORY, binary
from .results import Results, read_results


REPO = REPOSITORY or Path.cwd()
SMALL = os.environ.get("BYSTANDER_SMALL", "0") == "1"
WORK = Path(os.environ.get("BYSTANDER_WORK") or (REPO / "Results")).resolve()
FIGURES = WORK / "figures"
TABLES = WORK


def run_cli(*args: str, cwd: Path | None = None) -> str:
    """Run the CLI; raise with its error message if it fails. Returns standard output."""
    cmd = [binary(), *map(str, args)]
    p = subprocess.run(cmd, cwd=cwd or REPO, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited with {p.returncode}:\n{p.stderr.strip()}")
    return p.stdout


# ----------------------------------------------------------------------------- regimes, style

REGIMES = ["buck_passing", "individual_duty", "capacity_based"]
REGIME_LABEL = {"buck_passing": "buck-passing", "individual_duty": "individual duty", "capacity_based": "capacity-based"}

# Okabe & Ito (2008), a palette distinguishable with the common colour-vision deficiencies.
OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7",
}
REGIME_COLOR = {"buck_passing": OKABE_ITO["vermillion"], "individual_duty": OKABE_ITO["blue"], "capacity_based": OKABE_ITO["bluish_green"]}
REGIME_MARKER = {"buck_passing": "o", "individual_duty": "s", "capacity_based": "^"}
REGIME_LINESTYLE = {"buck_passing": "-", "individual_duty": "--", "capacity_based": ":"}
PERMANENT = ["CHN", "FRA", "GBR", "RUS", "USA"]
MEMBER_COLOR = dict(zip(PERMANENT, [OKABE_ITO[k] for k in ["orange", "sky_blue", "bluish_green", "vermillion", "blue"]]))

COLUMN_IN = 3.5   # single journal column
DOUBLE_IN = 7.2   # two columns


def setup_style() -> None:
    """Publication style: 8 pt text, 7 pt ticks, thin spines, no top/right spines, SVG text kept as text."""
    mpl.rcParams.update({
        "font.family": "DejaVu Sans",
        "font.size": 8, "axes.titlesize": 8, "axes.labelsize": 8,
        "xtick.labelsize": 7, "ytick.labelsize": 7, "legend.fontsize": 7, "legend.title_fontsize": 7,
        "axes.linewidth": 0.6, "xtick.major.width": 0.6, "ytick.major.width": 0.6,
        "xtick.major.size": 3, "ytick.major.size": 3, "lines.linewidth": 1.2, "lines.markersize": 4,
        "axes.spines.top": False, "axes.spines.right": False,
        "legend.frameon": False, "figure.dpi": 110, "savefig.dpi": 300, "savefig.bbox": "tight",
        "savefig.pad_inches": 0.02, "svg.fonttype": "none", "svg.hashsalt": "bystander",
        "axes.prop_cycle": mpl.cycler(color=[OKABE_ITO[k] for k in ["vermillion", "blue", "bluish_green", "orange", "sky_blue", "reddish_purple", "black"]]),
        "figure.constrained_layout.use": True,
    })


def savefig(fig, stem: str) -> list[Path]:
    """Write FIGURES/stem.png (300 dpi) and FIGURES/stem.svg; reproducible (no dates)."""
    FIGURES.mkdir(parents=True, exist_ok=True)
    paths = [FIGURES / f"{stem}.png", FIGURES / f"{stem}.svg"]
    fig.savefig(paths[0], metadata={"Software": None})
    fig.savefig(paths[1], metadata={"Date": None, "Creator": None})
    print("wrote", *(str(p.relative_to(WORK)) if p.is_relative_to(WORK) else str(p) for p in paths))
    return paths


def write_table(df: pd.DataFrame, name: str) -> Path:
    """Write a small table as TABLES/name (CSV, 6 significant digits)."""
    TABLES.mkdir(parents=True, exist_ok=True)
    path = TABLES / name
    df.to_csv(path, index=False, float_format="%.6g")
    print("wrote", path.relative_to(WORK) if path.is_relative_to(WORK) else path, f"({len(df)} rows)")
    return path


def panel_label(ax, text: str) -> None:
    ax.text(-0.02, 1.02, text, transform=ax.transAxes, ha="right", va="bottom", fontweight="bold", fontsize=9)


# ----------------------------------------------------------------------------- reading results

def require(folder: Path, command: str, files=("runs.csv",)) -> Results:
    """The results in `folder` (see :func:`bystander.read_results`), or an error naming the
    command that writes them."""
    folder = Path(folder)
    missing = [f for f in ("manifest.json", *files) if not (folder / f).exists()]
    if missing:
        raise FileNotFoundError(f"{folder} lacks {', '.join(missing)}: run `{command}` first "
                                f"(or `bash scripts/notebooks.sh figures .build/release/bystander`)")
    return read_results(folder)


def parse_vetoes(text) -> dict[str, int]:
    """'CHN=1;RUS=3' (as the case library records observed vetoes) -> {'CHN': 1, 'RUS': 3}; empty -> {}."""
    if not isinstance(text, str) or not text.strip():
        return {}
    out = {}
    for part in text.split(";"):
        k, _, v = part.partition("=")
        out[k.strip()] = int(v)
    return out


# ----------------------------------------------------------------------------- statistics

def wilson(k: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion (95% by default)."""
    if n == 0:
        return (math.nan, math.nan)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    # The bounds are exactly 0 when k = 0 and exactly 1 when k = n; rounding would otherwise leave
    # them a hair inside the estimate (1 - 1e-16 for 10 of 10), a negative error bar for matplotlib.
    return (0.0 if k == 0 else max(0.0, centre - half), 1.0 if k == n else min(1.0, centre + half))


def mean_ci(x) -> tuple[float, float, float, int]:
    """Mean and its normal-approximation 95% interval over the non-missing values."""
    x = pd.Series(x, dtype=float).dropna().to_numpy()
    n = len(x)
    if n == 0:
        return (math.nan, math.nan, math.nan, 0)
    m = float(x.mean())
    half = 1.959964 * float(x.std(ddof=1)) / math.sqrt(n) if n > 1 else math.nan
    return (m, m - half, m + half, n)


def summarise(df: pd.DataFrame, by: list[str], outcome: str) -> pd.DataFrame:
    """Mean with 95% interval of one outcome per group."""
    rows = []
    for key, g in df.groupby(by, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        m, lo, hi, n = mean_ci(g[outcome])
        rows.append(dict(zip(by, key)) | {"outcome": outcome, "n": n, "mean": m, "ci95_low": lo, "ci95_high": hi})
    return pd.DataFrame(rows)


def ecdf(x) -> tuple[np.ndarray, np.ndarray]:
    x = np.sort(pd.Series(x, dtype=float).dropna().to_numpy())
    return x, np.arange(1, len(x) + 1) / max(1, len(x))
