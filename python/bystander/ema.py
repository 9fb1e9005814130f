"""The EMA Workbench connector: the simulator as an ``ema_workbench`` model, so the workbench's
experiments, PRIM, CART, feature scoring and SALib analyses run on it without glue code.

Uncertainties and levers are named by config path (``duties.enforcement``,
``world.states.RUS.links.alignment``); each experiment runs the config with those values under
each regime (``replicates`` runs each, on common random numbers) and reports, per regime and
outcome, the mean over replicates as ``<outcome>.<regime>``, and for every regime after the
first the mean paired difference from it as ``<outcome>.<regime>-<reference>``.

Example:
    >>> from ema_workbench import RealParameter, perform_experiments
    >>> from ema_workbench.analysis import prim
    >>> model = BystanderModel("patron", "Experiments/default.yaml", replicates=20,
    ...                        outcomes=["deaths_total"])
    >>> model.uncertainties = [RealParameter("world.states.RUS.links.alignment", 0, 1),
    ...                        RealParameter("duties.enforcement", 0, 4)]
    >>> experiments, outcomes = perform_experiments(model, scenarios=64)
    >>> y = outcomes["deaths_total.individual_duty-buck_passing"] < 0
    >>> box = prim.Prim(experiments[model.parameter_names], y, threshold=0.6).find_box()
"""
from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ema_workbench import Model, ScalarOutcome

from .cli import config_with, run

__all__ = ["BystanderModel", "outcome_names"]

HEADLINE = ("deaths_total", "response_weeks", "burden_gini")


def outcome_names(regimes: Sequence[str], outcomes: Sequence[str]) -> list[str]:
    """The scalar outcomes a :class:`BystanderModel` reports, in order."""
    names = [f"{o}.{r}" for o in outcomes for r in regimes]
    names += [f"{o}.{r}-{regimes[0]}" for o in outcomes for r in regimes[1:]]
    return names


class BystanderModel(Model):
    """An ``ema_workbench.Model`` that runs the bystander CLI, one ``bystander run`` per experiment.

    Args:
        name: the model's name (letters and digits, as the workbench requires).
        config: the base config (a YAML file or a mapping); uncertainties, levers and constants
            override its keys by path.
        replicates: runs per regime and experiment (the same seeds in every experiment, so
            experiments are compared on common random numbers).
        outcomes: runs.csv columns to report (means over the runs with a value; NaN if none).
        regimes: the regimes to run (default: the config's).
        jobs: worker threads per run.
    """

    def __init__(self, name: str, config: str | Path | Mapping[str, Any], *, replicates: int = 20,
                 outcomes: Sequence[str] = HEADLINE, regimes: Sequence[str] | None = None, jobs: int | None = None):
        super().__init__(name, function=self._evaluate)
        base = config_with(config, {})
        self.config = config
        self.base_directory = Path(config).resolve().parent if not isinstance(config, Mapping) else Path.cwd()
        self.replicates = replicates
        self.outcome_columns = list(outcomes)
        self.regimes = list(regimes or base.get("regimes") or ["buck_passing", "individual_duty", "capacity_based"])
        self.jobs = jobs
        self.outcomes = [ScalarOutcome(n) for n in outcome_names(self.regimes, self.outcome_columns)]

    @property
    def parameter_names(self) -> list[str]:
        """The names of the uncertainties and levers (the columns of the experiments frame to analyse)."""
        return [p.name for p in [*self.uncertainties, *self.levers]]

    def _evaluate(self, **values: Any) -> dict[str, float]:
        overrides = {k: (v.item() if hasattr(v, "item") else v) for k, v in values.items()}
        overrides |= {"replicates": self.replicates, "regimes": self.regimes}
        with tempfile.TemporaryDirectory(prefix="bystander-ema-") as out:
            config = self.config if isinstance(self.config, Mapping) else Path(self.config)
            result = run(config, output=Path(out) / "results", jobs=self.jobs, votes=False, set=overrides)
        runs = result.runs
        reference = self.regimes[0]
        out: dict[str, float] = {}
        for o in self.outcome_columns:
            by_regime = runs.pivot(index="replicate", columns="regime", values=o)
            for r in self.regimes:
                out[f"{o}.{r}"] = float(by_regime[r].mean())
            for r in self.regimes[1:]:
                out[f"{o}.{r}-{reference}"] = float((by_regime[r] - by_regime[reference]).mean())
        return out
