"""Reading a results folder (of `bystander run`, `sweep` or `merge`) into tidy pandas frames."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = ["Results", "read_results", "vetoes_long"]

# Text columns of runs.csv; every other outcome column is numeric (empty: the event did not happen).
_TEXT_COLUMNS = {"regime": str, "end_reason": str, "vetoes_by": str, "error": str}


@dataclass
class Results:
    """The tables of one results folder, each a tidy pandas DataFrame (one row per observation).

    Every table that has a ``point`` column also carries the design columns (the sweep's
    parameter paths, e.g. ``duties.enforcement``) right after it, so no join is needed.

    Attributes:
        folder: the results folder.
        manifest: manifest.json (provenance: config, seeds, versions, hashes).
        design: the sweep's parameter paths, in design order (empty outside a sweep).
        points: one row per design point: ``point`` and the design columns.
        runs: runs.csv, one row per run (point x regime x replicate); failed runs dropped
            unless ``read_results(..., keep_failed=True)``. None for a folder without it
            (committed results keep only the summaries; rerun the command to get it).
        summary: summary.csv, one row per point x regime x outcome.
        comparison: comparison.csv, one row per point x regime x outcome: the paired
            difference from the reference regime.
        members: vetoes by permanent member in long form (members.csv, or derived from
            runs.csv's ``vetoes_by`` for older folders): point, design, regime, replicate,
            member, vetoes; a member absent from a run cast no vetoing vote in it. None
            when the folder has neither members.csv nor runs.csv.
        votes: votes.csv (every Council vote) or None when not recorded.
        timeseries: timeseries.csv or None.
        states: states.csv (per state and run) or None when the folder has none.
        attribution: attribution.csv or None when the folder has none.
    """

    folder: Path
    manifest: dict
    design: list[str]
    points: pd.DataFrame
    runs: pd.DataFrame | None
    summary: pd.DataFrame
    comparison: pd.DataFrame
    members: pd.DataFrame | None
    votes: pd.DataFrame | None = None
    timeseries: pd.DataFrame | None = None
    states: pd.DataFrame | None = None
    attribution: pd.DataFrame | None = None

    @property
    def regimes(self) -> list[str]:
        """The regimes in config order (the first is the reference of comparison.csv)."""
        return list(self.manifest.get("regimes") or self.summary["regime"].drop_duplicates())

    def contrast(self, outcome: str, a: int, b: int) -> pd.DataFrame:
        """Paired difference point ``a`` minus point ``b`` per regime and replicate.

        Needs a sweep run on common random numbers (the same seed for a replicate at every
        point); raises ValueError otherwise. Returns columns regime, replicate, a, b,
        difference, and regime_minus_reference (the difference in differences).
        """
        runs = self.runs
        if runs is None:
            raise ValueError(f"{self.folder} has no runs.csv: rerun the experiment to pair runs")
        left = runs[runs["point"] == a].set_index(["regime", "replicate"])
        right = runs[runs["point"] == b].set_index(["regime", "replicate"])
        if left.empty or right.empty:
            raise ValueError(f"{self.folder} has no point {a if left.empty else b}")
        both = left[["seed", outcome]].join(right[["seed", outcome]], lsuffix="_a", rsuffix="_b", how="inner")
        if (both["seed_a"] != both["seed_b"]).any():
            raise ValueError(f"points {a} and {b} were run on different seeds: set 'common_random_numbers: true' "
                             "in the sweep section to pair them")
        out = both.rename(columns={f"{outcome}_a": "a", f"{outcome}_b": "b"})[["a", "b"]].reset_index()
        out["difference"] = out["a"] - out["b"]
        reference = self.regimes[0]
        ref = out[out["regime"] == reference].set_index("replicate")["difference"]
        out["regime_minus_reference"] = out["difference"] - out["replicate"].map(ref)
        out.insert(0, "outcome", outcome)
        return out


def _read(path: Path, **kwargs) -> pd.DataFrame | None:
    return pd.read_csv(path, **kwargs) if path.exists() else None


def _with_design(df: pd.DataFrame | None, points: pd.DataFrame, design: list[str]) -> pd.DataFrame | None:
    """Put the design columns right after ``point`` (joining them in where the file lacks them)."""
    if df is None or not design or "point" not in df.columns:
        return df
    if not all(c in df.columns for c in design):
        df = df.drop(columns=[c for c in design if c in df.columns]).merge(points, on="point", how="left")
    rest = [c for c in df.columns if c != "point" and c not in design]
    return df[["point", *design, *rest]]


def vetoes_long(runs: pd.DataFrame, design: list[str] = ()) -> pd.DataFrame:
    """runs.csv's ``vetoes_by`` ("CHN=1;RUS=3") as a long table: one row per run and member."""
    keys = ["point", *design, "regime", "replicate"]
    text = runs.set_index(keys)["vetoes_by"].dropna().astype(str)
    text = text[text != ""]
    parts = text.str.split(";").explode().str.split("=", n=1, expand=True)
    if parts.empty:
        return pd.DataFrame(columns=[*keys, "member", "vetoes"])
    parts.columns = ["member", "vetoes"]
    parts["vetoes"] = parts["vetoes"].astype(int)
    return parts.reset_index()


def read_results(folder: str | Path, *, keep_failed: bool = False) -> Results:
    """Read a results folder into tidy frames (see :class:`Results`).

    Args:
        folder: a folder written by ``bystander run``, ``sweep`` or ``merge`` (it must hold
            manifest.json and runs.csv).
        keep_failed: keep failed runs in ``runs`` (their ``error`` column says why).

    Raises:
        FileNotFoundError: when the folder holds no finished results.
    """
    folder = Path(folder)
    for name in ("manifest.json", "summary.csv"):
        if not (folder / name).exists():
            raise FileNotFoundError(f"{folder} holds no {name}: is it the output folder of a finished bystander run?")
    manifest = json.loads((folder / "manifest.json").read_text())
    design = list(manifest.get("design", {}).get("parameters") or [])
    summary = pd.read_csv(folder / "summary.csv")
    runs = None
    if (folder / "runs.csv").exists():
        runs = pd.read_csv(folder / "runs.csv", dtype=_TEXT_COLUMNS, keep_default_na=False, na_values=[""])
        if not keep_failed:
            runs = runs[runs["error"].isna()].reset_index(drop=True)
    source = runs if runs is not None else summary
    if not all(c in source.columns for c in design):
        raise FileNotFoundError(f"{folder}: neither runs.csv nor summary.csv has the design columns {design}")
    points = source[["point", *design]].drop_duplicates("point").sort_values("point").reset_index(drop=True)
    members_file = folder / "members.csv"
    if members_file.exists():
        members = pd.read_csv(members_file, dtype={"regime": str, "member": str})
    else:
        members = vetoes_long(runs, design) if runs is not None else None
    tables = {name: _read(folder / f"{name}.csv") for name in ("votes", "timeseries", "states", "attribution")}
    return Results(
        folder=folder, manifest=manifest, design=design, points=points, runs=runs,
        summary=_with_design(summary, points, design),
        comparison=_with_design(pd.read_csv(folder / "comparison.csv"), points, design),
        members=_with_design(members, points, design),
        **{name: _with_design(df, points, design) for name, df in tables.items()},
    )
