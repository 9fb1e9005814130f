# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (notebooks/.venv)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 03 · Case library: observed against simulated
#
# **Question.** For each historical case in `Experiments/cases/`, does the simulated
# distribution of outcomes under the regime closest to current law (buck-passing: collective
# responsibility, nobody holds a duty of their own) cover what was observed, and what do the
# counterfactual regimes (individual duty, capacity-based) give for the same crisis on the same
# random numbers?
#
# **Input.** `Results/cases/<case>/` for every case config, written by
#
# ```
# bystander run Experiments/cases/<case>.yaml      # e.g. Experiments/cases/rwanda-1994.yaml
# ```
#
# The observed values are the `observed:` mapping of each case config, read back from the
# config text in the results' `manifest.json`. The notebook works with whatever case folders
# exist (the headless test adds a fixture case, `notebook-fixture`, which is not historical).
#
# `bash scripts/notebooks.sh figures .build/release/bystander` runs the command(s) above and then
# this notebook, writing figures to `Results/figures/` and tables to `Results/`. Environment:
# `BYSTANDER_WORK` (results root, default `Results/`), `BYSTANDER_BIN` (the CLI),
# `BYSTANDER_SMALL=1` (tiny designs; what `scripts/notebooks.sh test` uses).

# %%
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import bystander
from bystander import notebook as bn

bn.setup_style()
print("results root:", bn.WORK, "(small mode)" if bn.SMALL else "")
import yaml

CASES = sorted(p.parent for p in (bn.WORK / "cases").glob("*/manifest.json"))
assert CASES, f"no case results in {bn.WORK / 'cases'}: run `bystander run Experiments/cases/<case>.yaml` first"
cases = {}
for folder in CASES:
    result = bystander.read_results(folder)
    m = result.manifest
    config = yaml.safe_load(m["config_text"]) or {}
    cases[folder.name] = {"runs": result.runs, "observed": config.get("observed") or {},
                          "horizon": config.get("horizon_weeks"), "replicates": m["replicates"]}
for name, c in cases.items():
    print(f"{name}: {c['replicates']} replicates per regime, horizon {c['horizon']} weeks, observed: {c['observed']}")

# %% [markdown]
# ## How an observation is compared
#
# - `[low, high]` for a column of `runs.csv`: a run is consistent if its value lies in the range
#   (inclusive). A run without a value (e.g. no resolution at all, for `first_resolution_week`)
#   is not consistent.
# - a single number: the run's value equals it.
# - `council_acted: true/false`: the Council adopted at least one resolution
#   (`max_level_adopted` ≥ 1), or none.
# - `vetoes_by: 'CHN=3;RUS=3'` (or `''` for none): the run's vetoes by member are exactly these.
# - anything else (notes, keys without a column) is listed but not compared.
#
# The share of consistent runs is a coarse check of coverage, not a likelihood: a case can be
# matched on each outcome separately by different runs.

# %%
LABELS = {"deaths_total": ("Deaths (thousands)", 1e-3), "deaths_atrocity": ("Deaths in the atrocity phase (thousands)", 1e-3),
          "atrocity_weeks": ("Atrocity phase (weeks)", 1.0), "first_resolution_week": ("First resolution (week)", 1.0),
          "first_action_week": ("First bystander action (week)", 1.0), "response_weeks": ("Time to first response (weeks)", 1.0),
          "max_level_adopted": ("Highest rung adopted (0-4)", 1.0), "drafts_vetoed": ("Drafts vetoed", 1.0),
          "drafts_adopted": ("Drafts adopted", 1.0), "troops_deployed_peak": ("Peak troops deployed", 1.0),
          "onset_week": ("Onset (week)", 1.0), "end_week": ("End (week)", 1.0)}
DERIVED = {"council_acted": lambda runs: runs["max_level_adopted"] >= 1}

def compare(runs, key, obs):
    """(kind, low, high, Series of bool 'consistent') or None if the key cannot be compared."""
    if key in DERIVED and isinstance(obs, bool):
        return "boolean", float(obs), float(obs), DERIVED[key](runs) == obs
    if key == "vetoes_by" and isinstance(obs, str):   # e.g. 'CHN=3;RUS=3': the same vetoes by the same members
        want = bn.parse_vetoes(obs)
        return "vetoes", np.nan, np.nan, runs["vetoes_by"].map(lambda v: bn.parse_vetoes(v) == want)
    if key not in runs.columns or not pd.api.types.is_numeric_dtype(runs[key]):
        return None
    x = runs[key]
    if isinstance(obs, list) and len(obs) == 2 and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in obs):
        lo, hi = float(min(obs)), float(max(obs))
        return "range", lo, hi, x.between(lo, hi) & x.notna()
    if isinstance(obs, (int, float)) and not isinstance(obs, bool):
        return "value", float(obs), float(obs), x == obs
    return None

rows, skipped = [], []
for name, c in cases.items():
    for key, obs in c["observed"].items():
        for r in bn.REGIMES:
            runs = c["runs"][c["runs"].regime == r]
            cmp = compare(runs, key, obs)
            if cmp is None:
                if r == bn.REGIMES[0]:
                    skipped.append(f"{name}: {key} = {obs!r}")
                continue
            kind, lo, hi, ok = cmp
            vals = runs[key].astype(float) if kind in ("range", "value") else ok.astype(float)
            q = vals.quantile([0.05, 0.25, 0.5, 0.75, 0.95]) if vals.notna().any() else pd.Series([np.nan] * 5)
            rows.append({"case": name, "outcome": key, "kind": kind, "observed": str(obs), "observed_low": lo, "observed_high": hi,
                         "regime": r, "runs": len(runs), "runs_with_value": int(vals.notna().sum()),
                         "p05": q.iloc[0], "p25": q.iloc[1], "median": q.iloc[2], "p75": q.iloc[3], "p95": q.iloc[4],
                         "share_consistent": float(ok.mean()) if len(runs) else np.nan})
table = pd.DataFrame(rows)
bn.write_table(table, "case-library.csv")
print("not compared:", "; ".join(skipped) if skipped else "nothing")
table.pivot_table(index=["case", "outcome", "observed"], columns="regime", values="share_consistent", sort=False)[bn.REGIMES].round(2)

# %% [markdown]
# ## Each case: observed against simulated
#
# One figure per case: for each numeric observation, the simulated median (marker), 25-75%
# (thick bar) and 5-95% (thin bar) range per regime over the runs with a value, and the
# observed range (grey band) or value (grey line).

# %%
from matplotlib.ticker import MaxNLocator

def case_figure(name):
    t = table[(table.case == name) & table.kind.isin(["range", "value"])]
    keys = list(dict.fromkeys(t.outcome))
    if not keys:
        return None
    ncol = min(3, len(keys)); nrow = -(-len(keys) // ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(bn.DOUBLE_IN if ncol > 1 else bn.COLUMN_IN, 0.35 + 1.05 * nrow),
                             sharey=True, squeeze=False)
    for ax, key in zip(axes.flat, keys):
        label, scale = LABELS.get(key, (key.replace("_", " "), 1.0))
        sub = t[t.outcome == key]
        lo, hi = sub.observed_low.iloc[0] * scale, sub.observed_high.iloc[0] * scale
        if hi > lo:
            ax.axvspan(lo, hi, color="0.82", lw=0, zorder=0, label="observed")
        else:
            ax.axvline(lo, color="0.6", lw=2.5, zorder=0, label="observed")
        for k, r in enumerate(bn.REGIMES):
            row = sub[sub.regime == r]
            if row.empty or pd.isna(row["median"].iloc[0]):
                continue
            row = row.iloc[0]
            ax.plot([row.p05 * scale, row.p95 * scale], [k, k], color=bn.REGIME_COLOR[r], lw=0.9)
            ax.plot([row.p25 * scale, row.p75 * scale], [k, k], color=bn.REGIME_COLOR[r], lw=3.2, solid_capstyle="butt")
            ax.plot(row["median"] * scale, k, marker=bn.REGIME_MARKER[r], color="white", mec=bn.REGIME_COLOR[r], mew=1.2, ms=5)
            ax.annotate(f"{row.share_consistent:.0%}", (1.0, k), xycoords=("axes fraction", "data"), xytext=(2, 0),
                        textcoords="offset points", va="center", fontsize=6, color="0.3", annotation_clip=False)
        ax.annotate("share\nconsistent", (1.0, 1.0), xycoords="axes fraction", xytext=(2, 0), textcoords="offset points",
                    ha="left", va="bottom", fontsize=5.5, color="0.3", annotation_clip=False)
        ax.set_xlabel(label)
        ax.set_ylim(len(bn.REGIMES) - 0.5, -0.5)
        ax.set_yticks(range(len(bn.REGIMES)), [bn.REGIME_LABEL[r] for r in bn.REGIMES])
        if key in ("max_level_adopted",):
            ax.set_xlim(-0.3, 4.3)
        if key != "deaths_total" and key != "deaths_atrocity":   # counts of weeks, rungs, drafts, troops
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.margins(x=0.08)
    for ax in list(axes.flat)[len(keys):]:
        ax.set_visible(False)
    axes.flat[0].set_title(name, loc="left", fontweight="bold")
    fig.get_layout_engine().set(wspace=0.1)
    return fig

for name in cases:
    fig = case_figure(name)
    if fig is not None:
        bn.savefig(fig, f"03-case-{name}")
        plt.show()

# %% [markdown]
# **Figures 03-case-&lt;case&gt;.** Observed (grey band: range; grey line: single value) against
# simulated outcomes of each case under the three regimes: median (open marker), 25-75% (thick
# bar) and 5-95% (thin bar) of the runs with a value. The percentage at the right of each panel
# is the share of all runs consistent with the observation. Buck-passing is the regime closest to current
# law; the other two are counterfactuals on the same random numbers.

# %%
SHORT = {"deaths_total": "deaths", "atrocity_weeks": "atrocity weeks", "council_acted": "Council acted",
         "first_resolution_week": "first resolution week", "max_level_adopted": "highest rung",
         "drafts_vetoed": "drafts vetoed", "troops_deployed_peak": "peak troops", "first_action_week": "first action week",
         "vetoes_by": "vetoes by member"}
names = list(dict.fromkeys(table.case))
ncol = min(3, len(names)); nrow = -(-len(names) // ncol)
rows_per_case = table.groupby("case").outcome.nunique().max()
fig, axes = plt.subplots(nrow, ncol, figsize=(bn.DOUBLE_IN if ncol > 1 else bn.COLUMN_IN, 0.45 + nrow * (0.35 + 0.17 * rows_per_case)),
                         sharex=True, squeeze=False)
for ax, name in zip(axes.flat, names):
    t = table[table.case == name]
    order = list(dict.fromkeys(t.outcome))
    for k, r in enumerate(bn.REGIMES):
        u = t[t.regime == r]
        ax.plot(u.share_consistent, [order.index(o) + (k - 1) * 0.2 for o in u.outcome], ls="none",
                marker=bn.REGIME_MARKER[r], color=bn.REGIME_COLOR[r], ms=3.8, label=bn.REGIME_LABEL[r])
    ax.set_yticks(range(len(order)), [SHORT.get(o, o.replace("_", " ")) for o in order])
    ax.set_ylim(rows_per_case - 0.5, -0.5)
    ax.set_xlim(-0.04, 1.04)
    ax.grid(axis="x", color="0.9", lw=0.5)
    ax.set_title(name, loc="left", fontweight="bold")
fig.supxlabel("Share of runs consistent with the observation", fontsize=8)
for ax in list(axes.flat)[len(names):]:
    ax.set_visible(False)
handles, labels = axes.flat[0].get_legend_handles_labels()
fig.legend(handles, labels, loc="outside upper center", ncol=3)
bn.savefig(fig, "03-case-library-fit")
plt.show()

# %% [markdown]
# **Figure 03-case-library-fit.** For each case and observed outcome, the share of simulated
# runs consistent with the observation, per regime (see "How an observation is compared").
# A share near 0 under buck-passing flags an outcome the model does not reproduce for that
# case under current law; differences between regimes are counterfactual effects on that
# outcome, not evidence about the real case.
