"""Shared fixtures: the CLI binary and a small patron sweep run once per session."""
from __future__ import annotations

import pytest

import bystander

# A small world and crisis, quick to run: a state-led crisis that starts escalating.
SMALL = {
    "name": "pytest",
    "seed": 7,
    "replicates": 16,
    "horizon_weeks": 52,
    "regimes": ["buck_passing", "individual_duty"],
    "crisis": {"initial_phase": "escalating", "perpetrator": "state"},
}
PATRON = "world.states.RUS.links.alignment"


@pytest.fixture(scope="session")
def cli() -> str:
    try:
        return bystander.binary()
    except FileNotFoundError as e:
        pytest.skip(str(e))


@pytest.fixture(scope="session")
def patron(cli, tmp_path_factory) -> bystander.Results:
    """Two points on common random numbers: no patron on the Council, then RUS as one."""
    return bystander.sweep(SMALL, parameters={PATRON: [0, 0.9]}, common_random_numbers=True, votes=True,
                           output=tmp_path_factory.mktemp("patron") / "out")
