"""An independent implementation of the bystander model in Mesa 3, for docking and speed
comparison with the Swift simulator (Axtell et al. 1996, "Aligning simulation models").

Written from docs/MODEL.md (the ODD description) and, where the document is unclear, from
the Swift sources it describes. It does not try to reproduce the Swift random streams: it
draws from numpy's Generator (PCG64) in whatever order is natural here, so the two
implementations can only agree in distribution.

Structure (Mesa 3 idioms):
- `StateAgent(mesa.Agent)`: one state, with its capacities, links and the per-state
  quantities of the scenario (capacity, leverage, attention, concern, cost divisor), its
  duties, and its decisions (`decide`, `consider_pledge`, `vote`).
- `BystanderModel(mesa.Model)`: the crisis, information, the Security Council, missions and
  effects; `step()` is one week in the documented order (crisis dynamics, information,
  duties, bystander decisions, Council, missions, effects, record).
- `mesa.DataCollector`: weekly model reporters (optional) and a table `outcomes` with the
  run's outcomes, in the column names of runs.csv.

Usage:
    python bystander_mesa.py CONFIG [--replicates N] [--regimes a,b] [--seed S]
                             [--world per_replicate|fixed] [--out runs.csv]
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import time
from dataclasses import dataclass, field

import mesa
import numpy as np
import yaml

GROUPS = ["africa", "asia_pacific", "eastern_europe", "latin_america_caribbean", "western_europe_others"]
GROUP_MEMBERS = [54, 54, 23, 33, 29]  # UN members by electoral group (193)
RISK_FACTORS = ["armed_conflict", "record_of_violations", "weak_state_structures", "motives_or_incentives",
                "capacity_to_commit", "absence_of_mitigating_factors", "enabling_circumstances", "triggering_factors"]
DUTY_NAMES = ["respect", "protect", "not_obstruct", "assist"]
REGIMES = ["buck_passing", "individual_duty", "capacity_based"]
PHASES = ["latent", "escalating", "atrocity", "ended"]
LATENT, ESCALATING, ATROCITY, ENDED = 0, 1, 2, 3
MANDATES = ["none", "observe", "protect", "enforce"]
NONE, OBSERVE, PROTECT, ENFORCE = 0, 1, 2, 3

# The permanent members with their COW NMC 2016 capacities (relative to the median state).
DEFAULT_NAMED = [
    ("CHN", "asia_pacific", 286.0, 649.0, 262.0),
    ("FRA", "western_europe_others", 93.0, 27.0, 15.0),
    ("GBR", "western_europe_others", 103.0, 30.0, 15.0),
    ("RUS", "eastern_europe", 92.0, 151.0, 41.0),
    ("USA", "western_europe_others", 1190.0, 377.0, 151.0),
]

# Every config key with its default, as `bystander params` lists them (world.states.* apart).
DEFAULTS = {
    "name": "experiment", "description": "", "seed": 1, "replicates": 100, "horizon_weeks": 104,
    "output": "Results/experiment", "regimes": list(REGIMES),
    "world.source": "synthetic", "world.capabilities": "", "world.distances": "", "world.year": 2016,
    "world.default_states": True, "world.count": 193,
    "world.capacity.log_sd": 2.0, "world.capacity.correlation": 0.8,
    "world.distance.same_region_km": 2500.0, "world.distance.other_region_km": 7500.0, "world.distance.log_sd": 0.4,
    "world.neighbours.count": 5, "world.neighbours.distance_km": 600.0,
    "world.background.alignment_mean": 0.05, "world.background.alignment_concentration": 4.0,
    "world.background.tie_share": 0.0, "world.background.cost_sensitivity_log_sd": 0.3,
    "world.troops.propensity_base": 0.6, "world.troops.developed_discount": 0.7,
    "crisis.territorial_state": "TER", "crisis.territorial_group": "africa", "crisis.perpetrator": "state",
    "crisis.intent": "instrumental",
    "crisis.initial_phase": "latent", "crisis.population_at_risk": 500000.0,
    "crisis.risk_factors.armed_conflict": 0.7, "crisis.risk_factors.record_of_violations": 0.6,
    "crisis.risk_factors.weak_state_structures": 0.6, "crisis.risk_factors.motives_or_incentives": 0.7,
    "crisis.risk_factors.capacity_to_commit": 0.7, "crisis.risk_factors.absence_of_mitigating_factors": 0.6,
    "crisis.risk_factors.enabling_circumstances": 0.6, "crisis.risk_factors.triggering_factors": 0.5,
    "crisis.onset.hazard_max": 0.05, "crisis.onset.risk_exponent": 3.0, "crisis.onset.escalation_rate": 0.2,
    "crisis.onset.escalation_intensity": 0.1, "crisis.onset.assistance_risk_reduction": 0.02,
    "crisis.deaths.kill_rate": 0.0025, "crisis.deaths.destruction_factor": 192.0, "crisis.deaths.distribution": "negative_binomial", "crisis.deaths.dispersion": 2.0,
    "crisis.strength.initial": 1.0, "crisis.strength.max": 10.0, "crisis.strength.drift": 0.0,
    "crisis.strength.support_growth": 0.03, "crisis.strength.sanction_erosion": 0.05,
    "crisis.strength.force_erosion": 0.15, "crisis.strength.end_threshold": 0.2,
    "crisis.settlement.base": 0.002, "crisis.settlement.pressure": 0.031,
    "crisis.territorial.protection_max": 0.4, "crisis.territorial.deference": 0.5,
    "information.reporting_delay_weeks": 2, "information.signal_noise_sd": 0.5, "information.watch_risk": 0.5,
    "information.warning_deaths": 100.0, "information.emergency_deaths": 1000.0,
    "information.salience_decay": 0.85, "information.salience_scale": 2000.0,
    "information.level_salience": [0.0, 0.15, 0.25, 0.35], "information.attention_range_km": 5000.0,
    "information.attention_floor": 0.3, "information.awareness_threshold": 0.1,
    "bystanders.capable_threshold": 1.0, "bystanders.benefit_scale": 1.0, "bystanders.cost_capacity_exponent": 0.5,
    "bystanders.costs.restrain": 0.3, "bystanders.costs.sanction": 0.5, "bystanders.costs.assist": 0.2,
    "bystanders.costs.force": 2.0, "bystanders.costs.troop_week": 0.0005,
    "bystanders.leverage.capacity_exponent": 0.5, "bystanders.leverage.distance_km": 5000.0,
    "bystanders.leverage.link_floor": 0.1, "bystanders.leverage.scale": 1.0, "bystanders.leverage.max_restraint": 0.8,
    "bystanders.sanction_scale": 50.0, "bystanders.force_scale": 500.0, "bystanders.assist_scale": 20.0,
    "bystanders.supporter_cut_propensity": 0.05, "bystanders.un_deference": True, "bystanders.unilateral_force": False,
    "council.enabled": True, "council.permanent": ["CHN", "FRA", "GBR", "RUS", "USA"],
    "council.elected_seats.africa": 3, "council.elected_seats.asia_pacific": 2,
    "council.elected_seats.eastern_europe": 1, "council.elected_seats.latin_america_caribbean": 2,
    "council.elected_seats.western_europe_others": 2, "council.elected": [], "council.rotate_elected": True,
    "council.quota": 9, "council.veto_threshold": 1, "council.veto_restraint_pledges": ["FRA", "GBR"],
    "council.veto_restraint_mode": "strict", "council.pledge_cost": 1.0, "council.patience_weeks": 7,
    "council.redraft_weeks": 12, "council.required_death_drop": 0.5, "council.tabling_threshold": 0.05,
    "council.vote.benefit_weight": 2.0, "council.vote.alignment_weight": 4.65, "council.vote.cost_weight": 0.3,
    "council.vote.abstain_band": 0.3, "council.vote.noise_sd": 0.3,
    "council.level_intrusiveness": [0.1, 0.4, 0.7, 1.0],
    "council.effects.statement_salience_boost": 0.1, "council.effects.sanctions": 0.5,
    "council.effects.embargo_leakage": 0.5,
    "missions.protect_troops": 8000.0, "missions.enforce_troops": 12000.0, "missions.deployment_lag_weeks": 13,
    "missions.expected_deployment_weeks": 26.0, "missions.contingent_size": 800.0, "missions.protection_max": 0.584,
    "missions.troop_scale": 1700.0, "missions.observe_factor": 0.25, "missions.enforce_erosion": 0.1,
    "missions.host_consent.state_perpetrator": 0.3, "missions.host_consent.non_state_perpetrator": 0.9,
    "missions.casualty_rate": 2e-05, "missions.withdrawal_sensitivity": 0.2,
    "missions.initial.troops": 0.0, "missions.initial.mandate": "none", "missions.initial.contributors": [],
    "duties.enabled": list(DUTY_NAMES), "duties.enforcement": 1.0, "duties.salience_floor": 0.2,
    "duties.governance_threshold": 0.5, "duties.substantial_support": 0.3, "duties.tie_threshold": 0.5,
    "duties.past_support_threshold": 0.1, "duties.diligence": 1.0, "duties.obstruction_cost": 2.0,
    "duties.burden_cap": 0.2,
    "capacity_regime.k": 5, "capacity_regime.duties": ["protect", "assist"],
    "sweep.method": "grid", "sweep.points": 0, "sweep.file": "", "sweep.common_random_numbers": False,
}
STATE_KEYS = ["group", "capacity.military", "capacity.economic", "capacity.diplomatic", "distance_km", "contiguous",
              "links.support", "links.alignment", "links.governance", "links.tie", "links.past_support",
              "cost_sensitivity", "troop_propensity"]

OUTCOME_COLUMNS = [
    "onset_week", "atrocity_start_week", "end_week", "end_reason", "deaths_total", "deaths_escalating",
    "deaths_atrocity", "atrocity_weeks", "first_action_week", "response_weeks", "first_resolution_week",
    "first_resolution_level", "max_level_adopted", "drafts_tabled", "drafts_adopted", "drafts_vetoed", "vetoes_by",
    "troops_authorised", "troops_deployed_peak", "troop_weeks", "burden_total", "burden_gini", "burden_top_share",
    "breaches_respect", "breaches_protect", "breaches_not_obstruct", "breaches_assist", "buck_passing_index",
    "responsibility_gap_weeks", "population_remaining",
]


# --------------------------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------------------------

class ConfigError(ValueError):
    pass


def _flatten(node, prefix, out, states):
    for key, value in node.items():
        path = f"{prefix}{key}"
        if path == "world.states":
            states.update(value or {})
        elif path in ("sweep.parameters", "observed"):
            continue
        elif isinstance(value, dict):
            _flatten(value, path + ".", out, states)
        else:
            out[path] = value


@dataclass
class StateSpec:
    """A state named in the config (fields left None are drawn like a background state's)."""
    iso: str
    group: int | None = None
    military: float | None = None
    economic: float | None = None
    diplomatic: float | None = None
    distance_km: float | None = None
    contiguous: bool | None = None
    support: float = 0.0
    alignment: float = 0.0
    governance: float = 0.0
    tie: float = 0.0
    past_support: float = 0.0
    cost_sensitivity: float | None = None
    troop_propensity: float | None = None


class Config:
    """A YAML experiment config read over the defaults of every key."""

    def __init__(self, source: str | dict, overrides: dict | None = None):
        if isinstance(source, str):
            with open(source, encoding="utf-8") as f:
                doc = yaml.safe_load(f) or {}
        else:
            doc = source
        flat, states = {}, {}
        _flatten(doc, "", flat, states)
        flat.update(overrides or {})
        unknown = [k for k in flat if k not in DEFAULTS]
        if unknown:
            raise ConfigError(f"unknown config keys: {', '.join(unknown)}")
        self.values = dict(DEFAULTS)
        self.values.update(flat)
        if self.values["world.source"] != "synthetic":
            raise ConfigError("the Mesa peer builds synthetic worlds only (world.source: synthetic)")
        self.named = self._named_states(states)

    def __getitem__(self, key):
        return self.values[key]

    def _named_states(self, states: dict) -> list[StateSpec]:
        named: list[StateSpec] = []
        if self.values["world.default_states"]:
            for iso, group, mil, econ, dip in DEFAULT_NAMED:
                named.append(StateSpec(iso, GROUPS.index(group), mil, econ, dip))
        for iso, entry in states.items():
            spec = next((s for s in named if s.iso == iso), None)
            if spec is None:
                spec = StateSpec(iso)
                named.append(spec)
            flat: dict = {}
            _flatten(entry or {}, "", flat, {})
            for k, v in flat.items():
                if k not in STATE_KEYS:
                    raise ConfigError(f"world.states.{iso}.{k}: unknown key")
                if k == "group":
                    spec.group = GROUPS.index(v)
                elif k.startswith("capacity."):
                    setattr(spec, k.split(".")[1], float(v))
                elif k.startswith("links."):
                    setattr(spec, k.split(".")[1], float(v))
                elif k == "contiguous":
                    spec.contiguous = bool(v)
                else:
                    setattr(spec, k, float(v))
        return named


# --------------------------------------------------------------------------------------------
# The synthetic world
# --------------------------------------------------------------------------------------------

def apportion(weights, total):
    """Largest-remainder apportionment; ties in the remainder go to the lower index."""
    s = sum(weights)
    if s <= 0 or total <= 0:
        return [0] * len(weights)
    quotas = [w / s * total for w in weights]
    seats = [int(q) for q in quotas]
    left = total - sum(seats)
    order = sorted(range(len(weights)), key=lambda g: (-(quotas[g] - seats[g]), g))
    for g in order:
        if left <= 0:
            break
        seats[g] += 1
        left -= 1
    return seats


@dataclass
class World:
    """The states of one world as columns (index 0 is the territorial state)."""
    iso: list
    group: np.ndarray
    military: np.ndarray
    economic: np.ndarray
    diplomatic: np.ndarray
    distance: np.ndarray
    contiguous: np.ndarray
    support: np.ndarray
    alignment: np.ndarray
    governance: np.ndarray
    tie: np.ndarray
    past_support: np.ndarray
    cost_sensitivity: np.ndarray
    troop_propensity: np.ndarray
    pledged: np.ndarray
    permanent: list = field(default_factory=list)
    elected_by_year: list = field(default_factory=list)

    @property
    def count(self):
        return len(self.iso)

    def council_members(self, week):
        if not self.elected_by_year:
            return list(self.permanent)
        return self.permanent + self.elected_by_year[min(week // 52, len(self.elected_by_year) - 1)]


def build_world(cfg: Config, rng: np.random.Generator) -> World:
    """The synthetic world of docs/MODEL.md, 'Initialisation'."""
    total = int(cfg["world.count"])
    terr_iso = cfg["crisis.territorial_state"]
    named = cfg.named
    if len({s.iso for s in named}) != len(named):
        raise ConfigError("a named state is given twice")
    terr = next((s for s in named if s.iso == terr_iso), None) or StateSpec(terr_iso)
    if any((terr.support, terr.alignment, terr.governance, terr.tie, terr.past_support)):
        raise ConfigError("the territorial state cannot be linked to itself")
    specs = [StateSpec(**vars(terr))] + [StateSpec(**vars(s)) for s in named if s.iso != terr_iso]
    if specs[0].group is None:
        specs[0].group = GROUPS.index(cfg["crisis.territorial_group"])
    if len(specs) > total:
        raise ConfigError("world.count is smaller than the named states plus the territorial state")
    targets = [m / 193.0 * total for m in GROUP_MEMBERS]
    for s in specs:
        if s.group is not None:
            targets[s.group] -= 1
    counts = apportion([max(0.0, x) for x in targets], total - len(specs))
    named_count = len(specs)
    serial = 1
    for g in range(5):
        for _ in range(counts[g]):
            specs.append(StateSpec(f"S{serial:03d}", group=g))
            serial += 1
    for s in specs:
        if s.group is None:
            s.group = int(rng.integers(5))
    n = len(specs)
    crisis_group = specs[0].group
    group = np.array([s.group for s in specs])

    # Capacities: three correlated lognormal components with median 1.
    rho = cfg["world.capacity.correlation"]
    sd = cfg["world.capacity.log_sd"]
    common = rng.standard_normal(n)
    own = rng.standard_normal((3, n))
    drawn = np.exp(sd * (math.sqrt(rho) * common + math.sqrt(1 - rho) * own))

    def given_or(drawn_values, attr):
        return np.array([getattr(s, attr) if getattr(s, attr) is not None else drawn_values[i] for i, s in enumerate(specs)], dtype=float)

    military = given_or(drawn[0], "military")
    economic = given_or(drawn[1], "economic")
    diplomatic = given_or(drawn[2], "diplomatic")
    medians = np.where(group == crisis_group, cfg["world.distance.same_region_km"], cfg["world.distance.other_region_km"])
    with np.errstate(divide="ignore"):
        distance = given_or(rng.lognormal(np.log(medians), cfg["world.distance.log_sd"]), "distance_km")
    distance[0] = 0.0
    contiguous = np.array([bool(s.contiguous) for s in specs])
    m, c = cfg["world.background.alignment_mean"], cfg["world.background.alignment_concentration"]
    bg_alignment = rng.beta(m * c, (1 - m) * c, n) if m > 0 else np.zeros(n)
    tie_draw = rng.random(n)
    support = np.zeros(n); alignment = np.zeros(n); governance = np.zeros(n); tie = np.zeros(n); past = np.zeros(n)
    for i, s in enumerate(specs):
        if i < named_count:
            support[i], alignment[i], governance[i], tie[i], past[i] = s.support, s.alignment, s.governance, s.tie, s.past_support
        else:
            alignment[i] = bg_alignment[i]
            if s.group == crisis_group and tie_draw[i] < cfg["world.background.tie_share"]:
                tie[i] = 0.5
    cost_sensitivity = given_or(rng.lognormal(0.0, cfg["world.background.cost_sensitivity_log_sd"], n), "cost_sensitivity")

    # Neighbours: the nearest states of the crisis group whose contiguity is not given.
    candidates = [i for i in range(1, n) if group[i] == crisis_group and specs[i].contiguous is None]
    candidates.sort(key=lambda i: (distance[i], i))
    for i in candidates[: int(cfg["world.neighbours.count"])]:
        contiguous[i] = True
        if specs[i].distance_km is None:
            distance[i] = min(distance[i], cfg["world.neighbours.distance_km"])

    # Troop propensity falls with economic rank.
    order = sorted(range(n), key=lambda i: (economic[i], i))
    troop = np.zeros(n)
    for rank, i in enumerate(order):
        if specs[i].troop_propensity is not None:
            troop[i] = specs[i].troop_propensity
        else:
            pct = rank / (n - 1) if n > 1 else 0.0
            troop[i] = cfg["world.troops.propensity_base"] * (1 - cfg["world.troops.developed_discount"] * pct)

    iso = [s.iso for s in specs]
    index = {s: i for i, s in enumerate(iso)}
    world = World(iso, group, military, economic, diplomatic, distance, contiguous, support, alignment, governance,
                  tie, past, cost_sensitivity, troop, np.zeros(n, dtype=bool))
    _seat_council(world, cfg, rng, index)
    for k, code in enumerate(cfg["missions.initial.contributors"]):
        if code not in index:
            raise ConfigError(f"missions.initial.contributors[{k}]: {code} is not a state of the world")
    return world


def _seat_council(world: World, cfg: Config, rng, index):
    try:
        world.permanent = [index[c] for c in cfg["council.permanent"]]
        for c in cfg["council.veto_restraint_pledges"]:
            world.pledged[index[c]] = True
    except KeyError as e:
        raise ConfigError(f"{e.args[0]} is not a state of the world") from None
    if not cfg["council.enabled"]:
        world.elected_by_year = []
        return
    horizon = int(cfg["horizon_weeks"])
    years = max(1, (horizon + 51) // 52)
    permanent = set(world.permanent)

    def eligible(g, excluding):
        return [i for i in range(world.count)
                if world.group[i] == g and i != 0 and i not in permanent and i not in excluding]

    if cfg["council.elected"]:
        first = [index[c] for c in cfg["council.elected"]]
    else:
        first = []
        for g, key in enumerate(GROUPS):
            seats = int(cfg[f"council.elected_seats.{key}"])
            pool = eligible(g, set())
            if len(pool) < seats:
                raise ConfigError(f"council.elected_seats.{key}: not enough eligible states")
            first += [int(x) for x in rng.choice(pool, size=seats, replace=False)]
    world.elected_by_year = [first]
    for y in range(1, years):
        seats = list(world.elected_by_year[-1])
        if cfg["council.rotate_elected"]:
            sitting = set(seats)
            for s in range(len(seats)):
                if s % 2 == y % 2:
                    pool = eligible(world.group[seats[s]], sitting | set(seats))
                    if pool:
                        seats[s] = int(pool[rng.integers(len(pool))])
        world.elected_by_year.append(seats)


# --------------------------------------------------------------------------------------------
# Decision primitives
# --------------------------------------------------------------------------------------------

def act_probability(cost, benefit, n):
    """Diekmann's Volunteer's Dilemma: each of n acts with 1 - (c/b)^(1/(n-1))."""
    if benefit <= 0 or cost >= benefit:
        return 0.0
    if cost <= 0 or n <= 1:
        return 1.0
    return 1.0 - (cost / benefit) ** (1.0 / (n - 1))


def gini(values):
    v = np.sort(np.asarray(values, dtype=float))
    n, total = len(v), float(v.sum())
    if n <= 1 or total <= 0:
        return 0.0
    return 2.0 * float(np.dot(np.arange(1, n + 1), v)) / (n * total) - (n + 1) / n


# --------------------------------------------------------------------------------------------
# Agents
# --------------------------------------------------------------------------------------------

class StateAgent(mesa.Agent):
    """A state. Bystanders (every state but the territorial one) decide each week."""

    def __init__(self, model: "BystanderModel", index: int, world: World):
        super().__init__(model)
        p = model.p
        i = index
        self.index = i
        self.iso = world.iso[i]
        self.military, self.economic = float(world.military[i]), float(world.economic[i])
        self.support, self.alignment = float(world.support[i]), float(world.alignment[i])
        self.governance, self.tie = float(world.governance[i]), float(world.tie[i])
        self.cost_sensitivity = float(world.cost_sensitivity[i])
        self.troop_propensity = float(world.troop_propensity[i])
        self.pledged = bool(world.pledged[i])
        # Scenario quantities (constant within a run).
        c = float(np.cbrt(world.military[i] * world.economic[i] * world.diplomatic[i]))
        self.capacity = c
        link = p["link_floor"] + (1 - p["link_floor"]) * max(self.support, self.alignment, self.governance, self.tie)
        d = float(world.distance[i])
        self.leverage = c ** p["lev_exp"] * link * math.exp(-d / p["lev_km"])
        proximity = 1.0 if world.contiguous[i] else math.exp(-d / p["attention_km"])
        self.attention = min(1.0, max(p["attention_floor"], proximity, self.tie))
        self.capable = c >= p["capable_threshold"] and i != 0
        self.kappa = max(1e-9, c ** p["cost_exp"]) / max(1e-9, self.cost_sensitivity)
        self.concern = (1 - self.alignment) * (1 + self.tie + (0.5 if world.contiguous[i] else 0.0))
        if i == 0 and model.cfg["crisis.perpetrator"] == "state":
            self.concern = 0.0  # a perpetrating state has no concern for its victims
        self.past_support = float(world.past_support[i])
        self.duties: frozenset = frozenset()
        # Dynamic state.
        self.support_cut = False
        self.burden = 0.0

    def aware(self):
        return self.model.salience * self.attention >= self.model.p["awareness"]

    def decide(self):
        """This week's actions in the documented order: cut support, restrain, sanction,
        assist, force. Contributions are summed on the model and act next week."""
        m = self.model
        p = m.p
        rng = m.rng
        sal = m.salience
        held = self.duties
        aware = sal * self.attention >= p["awareness"]
        benefit = p["benefit_scale"] * sal * self.concern
        capable_aware = self.capable and aware
        acted = False
        if aware:
            m.aware_count += 1
        # (a) Cut support (duty to respect).
        if self.support > 0 and not self.support_cut and m.respect_binds:
            base = p["cut_propensity"] * sal * (1 - self.alignment)
            if "respect" in held:
                m.bound += 1
                if rng.random() < m.compliance(base):
                    self.support_cut = True
                else:
                    m.out["breaches_respect"] += 1
            elif rng.random() < base:
                self.support_cut = True
            if self.support_cut:
                acted = True
        # (b) Restrain through leverage (duty to protect).
        if m.restrain_open:
            if "protect" in held and m.protect_binds:
                effort = self.comply(p["restrain_cost"], m.required_restraint(self), benefit)
                if effort is None:
                    m.out["breaches_protect"] += 1
                else:
                    m.leverage_sum += self.leverage * effort
                    acted = True
            elif capable_aware:
                m.pool_state_weeks += 1
                if self.volunteer(p["restrain_cost"], benefit):
                    m.leverage_sum += self.leverage
                    acted = True
                else:
                    m.deferred_state_weeks += 1
        # (c) Unilateral targeted sanctions.
        if m.restrain_open and capable_aware and self.volunteer(p["sanction_cost"], benefit):
            m.sanction_sum += self.economic
            acted = True
        # (d) Prevention assistance (duty to assist), before mass killing.
        if m.phase != ATROCITY:
            if "assist" in held and m.assist_binds:
                effort = self.comply(p["assist_cost"], 1.0, benefit)
                if effort is None:
                    m.out["breaches_assist"] += 1
                else:
                    m.assist_sum += self.capacity * effort
                    acted = True
            elif capable_aware and self.volunteer(p["assist_cost"], benefit):
                m.assist_sum += self.capacity
                acted = True
        # (e) Force, once authorised (or under the counterfactual switch).
        if m.force_open and capable_aware and self.volunteer(p["force_cost"], benefit):
            m.force_sum += self.military
            acted = True
        if acted:
            m.acting += 1

    def volunteer(self, nominal_cost, benefit):
        """A volunteer in this week's pool: acts at full effort with the VD probability."""
        if self.model.rng.random() < act_probability(nominal_cost / self.kappa, benefit, self.model.pool):
            self.burden += nominal_cost
            return True
        return False

    def comply(self, nominal_cost, owed, benefit):
        """A bound duty holder: undiluted (n = 1) base lifted by enforcement; the effort given
        (capped by capacity), or None for a breach."""
        m = self.model
        m.bound += 1
        base = act_probability(nominal_cost / self.kappa, benefit, 1)
        if m.rng.random() >= m.compliance(base):
            return None
        effort = min(owed, m.p["burden_cap"] * self.capacity / nominal_cost if nominal_cost > 0 else math.inf, 1.0)
        self.burden += nominal_cost * effort
        return effort

    def consider_pledge(self, volunteers):
        """Force generation: pledge a contingent to a mission short of troops?"""
        m = self.model
        p = m.p
        holder = "assist" in self.duties
        if not (holder or self.aware()):
            return None
        cost = p["troop_week_cost"] * p["contingent_size"] * p["expected_weeks"] / self.kappa
        benefit = p["benefit_scale"] * m.salience * self.concern
        base = self.troop_propensity * act_probability(cost, benefit, volunteers)
        u = m.rng.random()
        if holder:
            m.bound += 1
            if u < m.compliance(base):
                return True
            m.out["breaches_assist"] += 1
            return False
        return u < base

    def vote(self, level, permanent):
        """A Council member's vote on a draft of the given rung: 'yes', 'no' or 'abstain'."""
        m = self.model
        p = m.p
        x = p["intrusiveness"][level - 1]
        alignment = 1.0 if (self.index == 0 and m.territorial_is_perpetrator) else self.alignment
        value = (p["vote_benefit"] * m.salience * self.concern - p["vote_alignment"] * alignment * x
                 - p["vote_cost"] * x * self.cost_sensitivity + m.rng.normal(0.0, p["vote_noise"]))
        holds = "not_obstruct" in self.duties
        pledged = permanent and self.pledged
        no_bar = -p["abstain_band"]
        if holds:
            no_bar -= p["enforcement"] * p["obstruction_cost"]
        if pledged and p["veto_mode"] == "cost":
            no_bar -= p["pledge_cost"]
        vote = "yes" if value > p["abstain_band"] else "no" if value < no_bar else "abstain"
        if vote == "no" and pledged and p["veto_mode"] == "strict":
            vote = "abstain"
        if vote == "no" and holds:
            m.out["breaches_not_obstruct"] += 1
        return vote


# --------------------------------------------------------------------------------------------
# Regimes: who holds which duty (computed once per run)
# --------------------------------------------------------------------------------------------

def assign_duties(model: "BystanderModel", regime: str):
    p = model.cfg
    for a in model.states:
        a.duties = frozenset()
    bystanders = model.bystanders
    if regime == "buck_passing":
        return
    if regime == "individual_duty":
        enabled = set(p["duties.enabled"])
        w = model.world
        members = set(w.permanent) | {i for year in w.elected_by_year for i in year}
        for a in bystanders:
            held = set()
            if a.support > 0:
                held.add("respect")
            if a.governance >= p["duties.governance_threshold"] or a.support >= p["duties.substantial_support"]:
                held.add("protect")
            if a.index in members:
                held.add("not_obstruct")
            if a.past_support >= p["duties.past_support_threshold"] or a.tie >= p["duties.tie_threshold"]:
                held.add("assist")
            a.duties = frozenset(held & enabled)
        return
    if regime == "capacity_based":
        ranked = sorted(bystanders, key=lambda a: (-a.leverage, a.index))
        duties = frozenset(p["capacity_regime.duties"])
        for a in ranked[: int(p["capacity_regime.k"])]:
            a.duties = duties
        return
    raise ConfigError(f"unknown regime {regime}")


# --------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------

@dataclass
class Contingent:
    state: StateAgent | None  # None: an anonymous initial contingent
    troops: float
    arrival: int


class BystanderModel(mesa.Model):
    """One crisis over the horizon under one allocation regime; step() is one week."""

    def __init__(self, cfg: Config, world: World, regime: str, rng=None, record_weeks=False):
        super().__init__(rng=rng)
        self.cfg = cfg
        self.world = world
        self.regime = regime
        self.p = self._parameters(cfg)
        self.horizon = int(cfg["horizon_weeks"])
        self.states = [StateAgent(self, i, world) for i in range(world.count)]
        self.bystanders = self.states[1:]
        assign_duties(self, regime)
        p = self.p
        # Crisis.
        self.phase = PHASES.index(cfg["crisis.initial_phase"])
        self.strength = min(cfg["crisis.strength.initial"], cfg["crisis.strength.max"])
        self.population = float(cfg["crisis.population_at_risk"])
        factors = [cfg[f"crisis.risk_factors.{k}"] for k in RISK_FACTORS]
        self.initial_risk = sum(factors) / len(factors)
        self.risk = self.initial_risk
        self.true_deaths = [0.0] * self.horizon
        self.territorial_is_perpetrator = cfg["crisis.perpetrator"] == "state"
        # Intent to destroy a group multiplies the kill rate (docs/MODEL.md, crisis dynamics).
        self.kill_rate = cfg["crisis.deaths.kill_rate"] * (
            cfg["crisis.deaths.destruction_factor"] if cfg["crisis.intent"] == "destruction" else 1.0)
        # Information.
        self.reported_smoothed = 0.0
        self.salience = 0.0
        self.level = 0
        self.salience_boost = 0.0
        # Effects carried to next week.
        self.support_inflow = self.restraint = self.sanction_level = self.force_level = 0.0
        self.mission_force = self.protection = self.pressure = self.assistance = 0.0
        self.engaged_share = 0.0
        # Council.
        self.on_agenda = False
        self.adopted_level = 0
        self.last_draft_week = None
        self.last_draft_failed = False
        self.last_level = 0
        self.reported_at_draft = 0.0
        self.council_sanctions = self.embargo = self.force_authorised = False
        self.consent = None
        self.veto_counts = {i: 0 for i in world.permanent}
        # Missions.
        self.mandate = MANDATES.index(cfg["missions.initial.mandate"])
        self.authorised = 0.0
        self.contingents: list[Contingent] = []
        initial = float(cfg["missions.initial.troops"])
        if initial > 0 and self.mandate != NONE:
            self.authorised = initial
            index = {a.iso: a for a in self.states}
            contributors = [index[c] for c in cfg["missions.initial.contributors"] if c in index]
            if contributors:
                share = initial / len(contributors)
                self.contingents = [Contingent(a, share, 0) for a in contributors]
            else:
                self.contingents = [Contingent(None, initial, 0)]
        # Outcomes.
        self.out = {k: None for k in OUTCOME_COLUMNS}
        self.out.update({k: 0 for k in ["deaths_total", "deaths_escalating", "deaths_atrocity", "atrocity_weeks",
                                        "max_level_adopted", "drafts_tabled", "drafts_adopted", "drafts_vetoed",
                                        "troops_deployed_peak", "troop_weeks", "breaches_respect", "breaches_protect",
                                        "breaches_not_obstruct", "breaches_assist", "responsibility_gap_weeks"]})
        self.out["end_reason"] = "none"
        self.out["troops_authorised"] = self.authorised
        if self.phase != LATENT:
            self.out["onset_week"] = 0
        if self.phase == ATROCITY:
            self.out["atrocity_start_week"] = 0
        self.pool_state_weeks = self.deferred_state_weeks = 0
        self.week = 0
        self.deaths = self.deployed = 0.0
        self.acting = self.aware_count = self.bound = 0
        reporters = {"phase": "phase", "deaths": "deaths", "salience": "salience", "warning_level": "level",
                     "troops_deployed": "deployed", "acting_states": "acting"} if record_weeks else {}
        self.record_weeks = record_weeks
        self.datacollector = mesa.DataCollector(model_reporters=reporters, tables={"outcomes": OUTCOME_COLUMNS})

    @staticmethod
    def _parameters(cfg):
        """The parameters the weekly loop reads, under short names."""
        return {
            "link_floor": cfg["bystanders.leverage.link_floor"], "lev_exp": cfg["bystanders.leverage.capacity_exponent"],
            "lev_km": cfg["bystanders.leverage.distance_km"], "attention_km": cfg["information.attention_range_km"],
            "attention_floor": cfg["information.attention_floor"], "capable_threshold": cfg["bystanders.capable_threshold"],
            "cost_exp": cfg["bystanders.cost_capacity_exponent"], "awareness": cfg["information.awareness_threshold"],
            "benefit_scale": cfg["bystanders.benefit_scale"], "cut_propensity": cfg["bystanders.supporter_cut_propensity"],
            "restrain_cost": cfg["bystanders.costs.restrain"], "sanction_cost": cfg["bystanders.costs.sanction"],
            "assist_cost": cfg["bystanders.costs.assist"], "force_cost": cfg["bystanders.costs.force"],
            "troop_week_cost": cfg["bystanders.costs.troop_week"], "burden_cap": cfg["duties.burden_cap"],
            "enforcement": cfg["duties.enforcement"], "salience_floor": cfg["duties.salience_floor"],
            "diligence": cfg["duties.diligence"], "obstruction_cost": cfg["duties.obstruction_cost"],
            "contingent_size": cfg["missions.contingent_size"], "expected_weeks": cfg["missions.expected_deployment_weeks"],
            "intrusiveness": cfg["council.level_intrusiveness"], "vote_benefit": cfg["council.vote.benefit_weight"],
            "vote_alignment": cfg["council.vote.alignment_weight"], "vote_cost": cfg["council.vote.cost_weight"],
            "vote_noise": cfg["council.vote.noise_sd"], "abstain_band": cfg["council.vote.abstain_band"],
            "veto_mode": cfg["council.veto_restraint_mode"], "pledge_cost": cfg["council.pledge_cost"],
        }

    # ---- helpers -------------------------------------------------------------------------

    def compliance(self, base):
        """q = 1 - (1 - base) exp(-enforcement (salience_floor + salience))."""
        return 1.0 - (1.0 - base) * math.exp(-self.p["enforcement"] * (self.p["salience_floor"] + self.salience))

    def required_restraint(self, agent):
        if self.regime == "individual_duty":
            return min(1.0, self.p["diligence"] * max(agent.governance, agent.support))
        return 1.0  # capacity_based: full effort is owed

    def _count(self, mean):
        cfg = self.cfg
        if not (math.isfinite(mean) and mean > 0):
            return 0.0
        if cfg["crisis.deaths.distribution"] == "poisson":
            return float(self.rng.poisson(mean))
        k = cfg["crisis.deaths.dispersion"]
        return float(self.rng.poisson(self.rng.gamma(k, mean / k)))

    # ---- the week --------------------------------------------------------------------------

    def step(self):
        t = self.week
        self.crisis_dynamics(t)
        self.update_information(t)
        self.bind_duties()
        self.bystander_decisions(t)
        self.council_session(t)
        self.missions(t)
        self.effects()
        self.record(t)
        self.week += 1

    def crisis_dynamics(self, t):
        cfg, out, rng = self.cfg, self.out, self.rng
        u_onset, u_escalate, u_settle = rng.random(3)
        self.risk = max(0.0, self.risk * (1 - cfg["crisis.onset.assistance_risk_reduction"] * self.assistance))
        if self.phase == LATENT and u_onset < cfg["crisis.onset.hazard_max"] * self.risk ** cfg["crisis.onset.risk_exponent"]:
            self.phase = ESCALATING
            out["onset_week"] = t
        elif self.phase == ESCALATING and u_escalate < cfg["crisis.onset.escalation_rate"] * (
                min(1.0, self.risk / self.initial_risk) if self.initial_risk > 0 else 0.0):
            self.phase = ATROCITY
            out["atrocity_start_week"] = t
        deaths = 0.0
        self.effective_strength = self.strength * (1 - self.restraint)
        if self.phase in (ESCALATING, ATROCITY):
            intensity = 1.0 if self.phase == ATROCITY else cfg["crisis.onset.escalation_intensity"]
            mean = min(self.population, intensity * self.kill_rate * self.population
                       * self.effective_strength * (1 - self.protection))
            deaths = min(self._count(mean), math.floor(self.population))
            self.population -= deaths
            if self.phase == ATROCITY:
                out["deaths_atrocity"] += deaths
                out["atrocity_weeks"] += 1
            else:
                out["deaths_escalating"] += deaths
            out["deaths_total"] += deaths
            growth = (cfg["crisis.strength.drift"] + cfg["crisis.strength.support_growth"] * self.support_inflow
                      - cfg["crisis.strength.sanction_erosion"] * self.sanction_level
                      - cfg["crisis.strength.force_erosion"] * self.force_level
                      - cfg["missions.enforce_erosion"] * self.mission_force)
            self.strength = min(cfg["crisis.strength.max"], self.strength * math.exp(growth))
            if self.strength < cfg["crisis.strength.end_threshold"]:
                self.phase, out["end_reason"] = ENDED, "defeated"
            elif self.population < 1:
                self.phase, out["end_reason"] = ENDED, "exhausted"
            elif u_settle < cfg["crisis.settlement.base"] + cfg["crisis.settlement.pressure"] * self.pressure:
                self.phase, out["end_reason"] = ENDED, "settled"
            if self.phase == ENDED:
                out["end_week"] = t
        self.deaths = deaths
        self.true_deaths[t] = deaths

    def update_information(self, t):
        cfg = self.cfg
        noise = self.rng.lognormal(0.0, cfg["information.signal_noise_sd"])
        delay = cfg["information.reporting_delay_weeks"]
        self.reported = self.true_deaths[t - delay] * noise if t >= delay else 0.0
        w = self.reported_smoothed = 0.5 * self.reported_smoothed + 0.5 * self.reported
        if w >= cfg["information.emergency_deaths"]:
            self.level = 3
        elif w >= cfg["information.warning_deaths"]:
            self.level = 2
        elif w > 0 or (self.phase != ENDED and self.risk >= cfg["information.watch_risk"]):
            self.level = 1
        else:
            self.level = 0
        target = min(1.0, cfg["information.level_salience"][self.level]
                     + (1 - math.exp(-w / cfg["information.salience_scale"])) + self.salience_boost)
        decay = cfg["information.salience_decay"]
        self.salience = decay * self.salience + (1 - decay) * target
        self.salience_boost = 0.0

    def bind_duties(self):
        self.active = self.phase != ENDED
        self.respect_binds = self.active and self.level >= 2
        self.protect_binds = self.active and self.level >= 2 and self.phase != LATENT
        self.assist_binds = self.active and self.level >= 1 and self.phase != ATROCITY

    def bystander_decisions(self, t):
        self.leverage_sum = self.sanction_sum = self.force_sum = self.assist_sum = 0.0
        self.acting = self.aware_count = self.bound = 0
        if not (self.active and self.level >= 1):
            self.engaged_share = 0.0
            return
        un = self.cfg["bystanders.un_deference"] and (
            self.on_agenda or any(k.arrival <= t for k in self.contingents))
        threshold = self.p["awareness"]
        capable_aware = sum(1 for a in self.bystanders if a.capable and self.salience * a.attention >= threshold)
        self.pool = capable_aware + (1 if un else 0)
        self.restrain_open = self.level >= 2 and self.phase != LATENT
        self.force_open = self.phase == ATROCITY and (self.cfg["bystanders.unilateral_force"] or self.force_authorised)
        for agent in self.bystanders:  # index order (synchronous: all see the same information)
            agent.decide()
        self.engaged_share = min(1.0, self.acting / capable_aware) if capable_aware > 0 else 0.0

    def council_session(self, t):
        cfg, out = self.cfg, self.out
        if not cfg["council.enabled"]:
            return
        if not self.on_agenda and self.level >= 2 and self.active:
            self.on_agenda = True
        if not (self.on_agenda and self.active and self.adopted_level < 4):
            return
        if self.last_draft_week is None:
            due = True
        elif self.last_draft_failed:
            due = t - self.last_draft_week >= cfg["council.redraft_weeks"]
        else:
            due = (t - self.last_draft_week >= cfg["council.patience_weeks"]
                   and self.reported_smoothed >= (1 - cfg["council.required_death_drop"]) * self.reported_at_draft)
        if not due:
            return
        level = self.last_level if self.last_draft_failed else self.adopted_level + 1
        if level == 3:
            if self.consent is None:
                prob = cfg["missions.host_consent.state_perpetrator"] if self.territorial_is_perpetrator \
                    else cfg["missions.host_consent.non_state_perpetrator"]
                self.consent = self.rng.random() < prob
            if not self.consent:
                level = 4
        members = self.world.council_members(t)
        candidates = [i for i in members if i != 0]
        if candidates:
            pen = max(candidates, key=lambda i: (self.states[i].concern * self.states[i].attention, -i))
        else:
            pen = members[0]
        if self.salience * self.states[pen].concern < cfg["council.tabling_threshold"]:
            return
        n_permanent = len(self.world.permanent)
        votes = [self.states[m].vote(level, seat < n_permanent) for seat, m in enumerate(members)]
        yes = votes.count("yes")
        permanent_no = sum(1 for v in votes[:n_permanent] if v == "no")
        quota, threshold = cfg["council.quota"], cfg["council.veto_threshold"]
        adopted = yes >= quota and (threshold == 0 or permanent_no < threshold)
        out["drafts_tabled"] += 1
        if adopted:
            out["drafts_adopted"] += 1
            self.adopted_level = max(self.adopted_level, level)
            out["max_level_adopted"] = self.adopted_level
            if out["first_resolution_week"] is None:
                out["first_resolution_week"], out["first_resolution_level"] = t, level
            if level == 1:
                self.salience_boost = cfg["council.effects.statement_salience_boost"]
            elif level == 2:
                self.council_sanctions = self.embargo = True
            elif level == 3:
                self.mandate = max(self.mandate, PROTECT)
                self.authorised = max(self.authorised, cfg["missions.protect_troops"])
            else:
                self.mandate = ENFORCE
                self.authorised = max(self.authorised, cfg["missions.enforce_troops"])
                self.force_authorised = self.council_sanctions = self.embargo = True
            out["troops_authorised"] = max(out["troops_authorised"], self.authorised)
        elif yes >= quota and threshold > 0 and permanent_no >= threshold:
            out["drafts_vetoed"] += 1
            for seat, m in enumerate(members[:n_permanent]):
                if votes[seat] == "no":
                    self.veto_counts[m] += 1
        self.last_draft_week, self.last_level, self.last_draft_failed = t, level, not adopted
        self.reported_at_draft = self.reported_smoothed

    def missions(self, t):
        cfg, rng = self.cfg, self.rng
        pledged = False
        if self.mandate >= PROTECT and self.active:
            gap = self.authorised - sum(k.troops for k in self.contingents)
            if gap > 0:
                eligible = [a for a in self.bystanders if a.alignment < 0.5]
                volunteers = sum(1 for a in eligible if a.aware())
                size = cfg["missions.contingent_size"]
                for agent in eligible:
                    if gap <= 0:
                        break
                    if agent.consider_pledge(volunteers):
                        troops = min(gap, size)
                        self.contingents.append(Contingent(agent, troops, t + cfg["missions.deployment_lag_weeks"]))
                        gap -= troops
                        pledged = True
            withdrawn = set()
            for k in self.contingents:
                if k.arrival <= t and k.state is not None:
                    mean = cfg["missions.casualty_rate"] * k.troops * self.effective_strength
                    casualties = rng.poisson(mean) if mean > 0 else 0
                    if casualties > 0 and rng.random() < 1 - math.exp(
                            -cfg["missions.withdrawal_sensitivity"] * k.state.cost_sensitivity * casualties):
                        withdrawn.add(k.state.index)
            if withdrawn:
                self.contingents = [k for k in self.contingents if k.state is None or k.state.index not in withdrawn]
        if not self.active:
            self.contingents = []  # missions draw down once the crisis has ended
        deployed = 0.0
        cost = self.p["troop_week_cost"]
        for k in self.contingents:
            if k.arrival <= t:
                deployed += k.troops
                if k.state is not None:
                    k.state.burden += cost * k.troops
        self.deployed = deployed
        self.out["troops_deployed_peak"] = max(self.out["troops_deployed_peak"], deployed)
        self.out["troop_weeks"] += deployed
        if pledged:
            self.acting += 1

    def effects(self):
        cfg = self.cfg
        leak = cfg["council.effects.embargo_leakage"] if self.embargo else 1.0
        self.support_inflow = sum(a.support * leak for a in self.bystanders if a.support > 0 and not a.support_cut)
        self.restraint = cfg["bystanders.leverage.max_restraint"] * (1 - math.exp(-self.leverage_sum / cfg["bystanders.leverage.scale"]))
        unilateral = 1 - math.exp(-self.sanction_sum / cfg["bystanders.sanction_scale"])
        self.sanction_level = 1 - (1 - unilateral) * (1 - (cfg["council.effects.sanctions"] if self.council_sanctions else 0.0))
        self.force_level = 1 - math.exp(-self.force_sum / cfg["bystanders.force_scale"])
        scale = cfg["missions.troop_scale"]
        self.mission_force = self.deployed / (self.deployed + scale) if self.mandate == ENFORCE else 0.0
        mission_protection = cfg["missions.protection_max"] * (1 - math.exp(-self.deployed / scale)) * (
            cfg["missions.observe_factor"] if self.mandate == OBSERVE else 1.0)
        territorial = 0.0 if self.territorial_is_perpetrator else cfg["crisis.territorial.protection_max"] * (
            1 - cfg["crisis.territorial.deference"] * self.engaged_share)
        self.protection = 1 - (1 - territorial) * (1 - mission_protection)
        self.pressure = 1 - (1 - self.restraint) * (1 - self.sanction_level) * (1 - self.force_level)
        self.assistance = 1 - math.exp(-self.assist_sum / cfg["bystanders.assist_scale"])

    def record(self, t):
        out = self.out
        if self.acting > 0 and out["first_action_week"] is None:
            out["first_action_week"] = t
        if self.acting > 0 and out["response_weeks"] is None and out["onset_week"] is not None:
            out["response_weeks"] = t - out["onset_week"]
        if self.phase == ATROCITY and self.acting == 0 and self.deployed == 0:
            out["responsibility_gap_weeks"] += 1
        if self.record_weeks:
            self.datacollector.collect(self)

    # ---- a whole run ---------------------------------------------------------------------

    def run(self):
        for _ in range(self.horizon):
            self.step()
        out = self.out
        burden = [a.burden for a in self.states]
        total = float(sum(burden))
        out["burden_total"] = total
        out["burden_gini"] = gini(burden)
        out["burden_top_share"] = max(burden) / total if total > 0 else 0.0
        out["buck_passing_index"] = (self.deferred_state_weeks / self.pool_state_weeks) if self.pool_state_weeks > 0 else None
        out["vetoes_by"] = ";".join(sorted(f"{self.states[i].iso}={c}" for i, c in self.veto_counts.items() if c > 0))
        out["population_remaining"] = self.population
        self.datacollector.add_table_row("outcomes", dict(out))
        return out


# --------------------------------------------------------------------------------------------
# Experiments
# --------------------------------------------------------------------------------------------

def run_experiment(cfg: Config, replicates: int, regimes=None, seed=None, world_mode="per_replicate",
                   record_weeks=False):
    """Rows (dicts) of runs in the order replicate, regime. world_mode 'per_replicate' draws a
    new world for every replicate (all regimes of a replicate share it); 'fixed' draws one."""
    regimes = regimes or list(cfg["regimes"])
    root = int(cfg["seed"] if seed is None else seed)
    rows = []
    world = build_world(cfg, np.random.default_rng([root, 0x574F524C44])) if world_mode == "fixed" else None
    for r in range(replicates):
        w = world if world is not None else build_world(cfg, np.random.default_rng([root, 0x574F524C44, r]))
        for regime in regimes:
            model = BystanderModel(cfg, w, regime, rng=np.random.default_rng([root, r]), record_weeks=record_weeks)
            out = model.run()
            rows.append({"regime": regime, "replicate": r, **out})
    return rows


def write_rows(rows, path):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["regime", "replicate"] + OUTCOME_COLUMNS)
        w.writeheader()
        for row in rows:
            w.writerow({k: ("" if v is None else v) for k, v in row.items()})


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("config")
    ap.add_argument("--replicates", type=int)
    ap.add_argument("--regimes")
    ap.add_argument("--seed", type=int)
    ap.add_argument("--world", choices=["per_replicate", "fixed"], default="per_replicate")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override a config key (YAML value)")
    ap.add_argument("--out", default="-")
    a = ap.parse_args(argv)
    overrides = {k: yaml.safe_load(v) for k, v in (s.split("=", 1) for s in a.set)}
    cfg = Config(a.config, overrides)
    start = time.perf_counter()
    rows = run_experiment(cfg, a.replicates or cfg["replicates"], a.regimes.split(",") if a.regimes else None,
                          a.seed, a.world)
    elapsed = time.perf_counter() - start
    if a.out == "-":
        write_rows(rows, "/dev/stdout")
    else:
        write_rows(rows, a.out)
    print(f"{len(rows)} runs in {elapsed:.2f} s ({len(rows) / elapsed:.1f} runs/s)", file=sys.stderr)


if __name__ == "__main__":
    main()
