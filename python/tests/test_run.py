"""run: overrides reach the CLI, errors come back as exceptions, nothing is left behind."""
from __future__ import annotations

from pathlib import Path

import pytest

import bystander
from conftest import SMALL

REPO = Path(__file__).resolve().parents[2]


def test_overrides_by_keyword_and_path(tmp_path, cli):
    r = bystander.run(REPO / "Experiments/default.yaml", output=tmp_path / "out", replicates=6, horizon_weeks=30,
                      duties__enforcement=2.5, set={"world.states.RUS.links.alignment": 0.9})
    resolved = r.manifest["resolved_config"]
    assert r.manifest["replicates"] == 6 and len(r.runs) == 6 * 3
    assert resolved["duties"]["enforcement"] == 2.5
    assert resolved["world"]["states"]["RUS"]["links"]["alignment"] == 0.9
    assert r.design == [] and list(r.summary.columns[:2]) == ["point", "regime"]
    assert r.votes is not None
    assert not list((REPO / "Experiments").glob(".bystander-python-*")), "the temporary config was left behind"


def test_a_bad_value_raises_with_the_key(tmp_path, cli):
    with pytest.raises(bystander.BystanderError) as e:
        bystander.run(SMALL, output=tmp_path / "out", set={"duties.enforcement": -1})
    assert e.value.status == 2
    assert "duties.enforcement" in str(e.value)


def test_same_config_same_results(tmp_path, cli):
    a = bystander.run(SMALL, output=tmp_path / "a", replicates=4)
    b = bystander.run(SMALL, output=tmp_path / "b", replicates=4, jobs=1)
    assert (a.folder / "runs.csv").read_bytes() == (b.folder / "runs.csv").read_bytes()
