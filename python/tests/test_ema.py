"""The EMA Workbench connector: experiments, PRIM and CART on the simulator without glue code."""
from __future__ import annotations

import numpy as np
import pytest

ema = pytest.importorskip("ema_workbench")
from ema_workbench import RealParameter, SequentialEvaluator, perform_experiments  # noqa: E402
from ema_workbench.analysis import cart, prim  # noqa: E402

import bystander  # noqa: E402
from bystander.ema import BystanderModel, outcome_names  # noqa: E402
from conftest import PATRON, SMALL  # noqa: E402


@pytest.fixture(scope="module")
def experiments(cli):
    model = BystanderModel("patron", SMALL, replicates=8, outcomes=["deaths_total", "drafts_vetoed"])
    model.uncertainties = [RealParameter(PATRON, 0, 1), RealParameter("duties.enforcement", 0, 4)]
    with SequentialEvaluator(model) as evaluator:
        x, y = perform_experiments(model, scenarios=24, evaluator=evaluator)
    return model, x, y


def test_outcomes_are_named_per_regime_and_contrast(experiments):
    model, x, y = experiments
    assert set(y) == set(outcome_names(["buck_passing", "individual_duty"], ["deaths_total", "drafts_vetoed"]))
    assert "deaths_total.individual_duty-buck_passing" in y
    d = y["deaths_total.individual_duty"] - y["deaths_total.buck_passing"]
    np.testing.assert_allclose(y["deaths_total.individual_duty-buck_passing"], d, rtol=1e-9, atol=1e-6)
    assert len(x) == 24 and set(model.parameter_names) <= set(x.columns)


def test_an_experiment_is_a_plain_run(experiments, tmp_path):
    """Experiment 0 gives what bystander.run gives at the same values."""
    model, x, y = experiments
    values = {p: float(x.loc[0, p]) for p in model.parameter_names}
    r = bystander.run(SMALL, output=tmp_path / "out", replicates=8, votes=False, set=values)
    mean = r.runs.groupby("regime")["deaths_total"].mean()
    assert y["deaths_total.buck_passing"][0] == pytest.approx(mean["buck_passing"])


def test_prim_and_cart_run_on_the_experiments(experiments):
    model, x, y = experiments
    vetoed = y["drafts_vetoed.buck_passing"]
    assert vetoed.max() > vetoed.min(), "the patron's alignment should change the vetoes"
    target = vetoed > np.median(vetoed)
    box = prim.Prim(x[model.parameter_names], target, threshold=0.6).find_box()
    stats = box.peeling_trajectory
    assert len(stats) > 1 and stats["coverage"].between(0, 1).all() and stats["density"].between(0, 1).all()
    # A box of high vetoes restricts the patron's alignment from below.
    limits = box.box_lims[-1]
    assert limits.loc[0, PATRON] > 0 or stats["density"].iloc[-1] >= 0.6
    tree = cart.CART(x[model.parameter_names], target, mass_min=0.1)
    tree.build_tree()
    assert len(tree.boxes) >= 1
