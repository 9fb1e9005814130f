"""read_results and sweep: tidy frames that agree with runs.csv and with the CLI's own numbers."""
from __future__ import annotations

import shutil
import subprocess
from io import StringIO

import numpy as np
import pandas as pd
import pytest

import bystander
from conftest import PATRON


def test_design_columns_follow_point_in_every_table(patron):
    assert patron.design == [PATRON]
    for name in ("runs", "summary", "comparison", "members", "votes"):
        df = getattr(patron, name)
        assert list(df.columns[:2]) == ["point", PATRON], name
        assert set(df[PATRON]) == {0, 0.9} or (name == "members" and set(df[PATRON]) == {0.9}), name
    assert patron.points.to_dict("list") == {"point": [0, 1], PATRON: [0, 0.9]}


def test_summary_means_are_those_of_the_runs(patron):
    mine = patron.runs.groupby(["point", "regime"])["deaths_total"].mean()
    theirs = patron.summary.query("outcome == 'deaths_total'").set_index(["point", "regime"])["mean"]
    pd.testing.assert_series_equal(theirs.sort_index(), mine.sort_index(), check_names=False, rtol=1e-9)


def test_members_is_vetoes_by_in_long_form(patron):
    parsed = bystander.vetoes_long(patron.runs, patron.design)
    key = ["point", "regime", "replicate", "member"]
    a = patron.members.sort_values(key).reset_index(drop=True)
    b = parsed.sort_values(key).reset_index(drop=True)
    assert len(a) > 0, "the patron should veto in some run"
    pd.testing.assert_frame_equal(a[key + ["vetoes"]], b[key + ["vetoes"]], check_dtype=False)
    assert patron.members["member"].isin(["CHN", "FRA", "GBR", "RUS", "USA"]).all()


def test_contrast_matches_the_cli(patron, cli):
    mine = patron.contrast("deaths_total", a=1, b=0)
    assert len(mine) == 16 * 2
    out = subprocess.run([cli, "compare", str(patron.folder), "--contrast", "1-0", "--format", "csv"],
                         capture_output=True, text=True, check=True).stdout
    theirs = pd.read_csv(StringIO(out)).query("outcome == 'deaths_total'")
    for regime, g in mine.groupby("regime"):
        row = theirs.query("kind == 'regime' and regime == @regime").iloc[0]
        assert g["difference"].mean() == pytest.approx(row["mean_difference"])
    did = theirs.query("kind == 'interaction' and regime == 'individual_duty'").iloc[0]
    ind = mine[mine["regime"] == "individual_duty"]
    assert ind["regime_minus_reference"].mean() == pytest.approx(did["mean_difference"])


def test_contrast_needs_common_random_numbers(tmp_path):
    from conftest import SMALL
    r = bystander.sweep(SMALL, parameters={PATRON: [0, 0.9]}, output=tmp_path / "out", replicates=4)
    with pytest.raises(ValueError, match="common_random_numbers"):
        r.contrast("deaths_total", 1, 0)


def test_older_folders_and_optional_tables(patron, tmp_path):
    """Folders without design columns in summary.csv get them joined in; states.csv and
    attribution.csv are read when present."""
    copy = tmp_path / "copy"
    shutil.copytree(patron.folder, copy)
    summary = pd.read_csv(copy / "summary.csv").drop(columns=[PATRON])
    summary.to_csv(copy / "summary.csv", index=False)
    (copy / "members.csv").unlink()
    pd.DataFrame({"point": [0, 1], "regime": ["buck_passing"] * 2, "replicate": [0, 0], "state": ["RUS"] * 2,
                  "burden": [1.0, 2.0]}).to_csv(copy / "states.csv", index=False)
    r = bystander.read_results(copy)
    assert list(r.summary.columns[:2]) == ["point", PATRON]
    pd.testing.assert_frame_equal(r.summary, patron.summary)
    assert len(r.members) == len(patron.members)
    assert r.states is not None and list(r.states[PATRON]) == [0, 0.9]
    assert r.attribution is None and r.timeseries is None


def test_committed_results_without_runs(patron, tmp_path):
    """Committed results keep summary.csv, comparison.csv and members.csv but not runs.csv."""
    copy = tmp_path / "committed"
    shutil.copytree(patron.folder, copy)
    for name in ("runs.csv", "votes.csv"):
        (copy / name).unlink()
    r = bystander.read_results(copy)
    assert r.runs is None and r.votes is None
    pd.testing.assert_frame_equal(r.comparison, patron.comparison)
    pd.testing.assert_frame_equal(r.points, patron.points)
    with pytest.raises(ValueError, match="runs.csv"):
        r.contrast("deaths_total", 1, 0)


def test_read_results_refuses_a_folder_without_results(tmp_path):
    with pytest.raises(FileNotFoundError, match="manifest.json"):
        bystander.read_results(tmp_path)
