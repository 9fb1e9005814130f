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
# # 02 · Sweeps: enforcement and veto restraint; the buck-passing signature
#
# **Questions.** (A) How do the three regimes respond to the two levers the sources discuss
# most: the strength of informal enforcement of individual duties (`duties.enforcement`) and
# veto-restraint pledges by permanent members (`council.veto_restraint_pledges`: none; France
# and the UK, as today; all five)? (B) Does the model show the signature of buck-passing: is a
# crisis *more* likely to go without any bystander action when *more* states are able to act,
# as in the Volunteer's Dilemma?
#
# **Input.** `Results/enforcement-veto/` and `Results/buck-passing-signature/` (`runs.csv`),
# written by
#
# ```
# bystander sweep Experiments/sweeps/enforcement-veto.yaml
# bystander sweep Experiments/sweeps/buck-passing-signature.yaml
# ```
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

EV = bn.require(bn.WORK / "enforcement-veto", "bystander sweep Experiments/sweeps/enforcement-veto.yaml")
SIG = bn.require(bn.WORK / "buck-passing-signature", "bystander sweep Experiments/sweeps/buck-passing-signature.yaml")
ev, sig = EV.runs, SIG.runs
print("enforcement-veto:", EV.design, ev.point.nunique(), "points,", len(ev), "runs")
print("buck-passing-signature:", SIG.design, sig.point.nunique(), "points,", len(sig), "runs")

# %% [markdown]
# ## A. Enforcement strength × veto-restraint pledges
#
# Means over replicates with normal-approximation 95% intervals, per design point and regime.
# Each design point has its own seeds (seeds derive from the root seed, the point and the
# replicate), so the regimes are paired within a point but not across points: the wobble of
# the buck-passing line, which enforcement cannot affect (nobody holds a duty), shows the
# Monte Carlo noise.

# %%
PLEDGES = {"[]": "no pledges", "[FRA, GBR]": "FRA and GBR pledged (today)", "[CHN, FRA, GBR, RUS, USA]": "all five pledged"}
keys = ["point", "duties.enforcement", "council.veto_restraint_pledges", "regime"]
table = pd.concat([bn.summarise(ev, keys, o) for o in
                   ["deaths_total", "atrocity_weeks", "drafts_vetoed", "max_level_adopted", "breaches_protect", "burden_total"]])
bn.write_table(table, "enforcement-veto.csv")

levels = sorted(ev["duties.enforcement"].unique())
pos = {v: k for k, v in enumerate(levels)}
rows = [("deaths_total", "Deaths per run (thousands)", 1e-3), ("drafts_vetoed", "Drafts vetoed per run", 1.0)]
fig, axes = plt.subplots(2, 3, figsize=(bn.DOUBLE_IN, 3.8), sharex=True, sharey="row")
for i, (outcome, ylabel, scale) in enumerate(rows):
    for j, (pledge, title) in enumerate(PLEDGES.items()):
        ax = axes[i, j]
        for k, r in enumerate(bn.REGIMES):
            t = table[(table.outcome == outcome) & (table["council.veto_restraint_pledges"] == pledge) & (table.regime == r)]
            t = t.sort_values("duties.enforcement")
            x = t["duties.enforcement"].map(pos) + (k - 1) * 0.08
            ax.errorbar(x, t["mean"] * scale, yerr=[(t["mean"] - t.ci95_low) * scale, (t.ci95_high - t["mean"]) * scale],
                        color=bn.REGIME_COLOR[r], marker=bn.REGIME_MARKER[r], ls=bn.REGIME_LINESTYLE[r], capsize=1.5,
                        label=bn.REGIME_LABEL[r])
        if i == 0:
            ax.set_title(title)
        if j == 0:
            ax.set_ylabel(ylabel)
        if i == 1:
            ax.set_xticks(range(len(levels)), [f"{v:g}" for v in levels])
            ax.set_xlabel("Enforcement strength (dimensionless)")
        bn.panel_label(ax, "abcdef"[3 * i + j])
    top = max(ax.get_ylim()[1] for ax in axes[i])
    axes[i, 0].set_ylim(-0.03 * top, top)
handles, labels = axes[0, 0].get_legend_handles_labels()
fig.legend(handles, labels, loc="outside upper center", ncol=3)
bn.savefig(fig, "02-enforcement-veto")
plt.show()

# %% [markdown]
# **Figure 02-enforcement-veto.** Mean deaths per run (a-c) and mean number of vetoed drafts
# per run (d-f) against the strength of informal enforcement of duties
# (`duties.enforcement`; 1 is the default), without veto-restraint pledges (a, d), with France
# and the UK pledged (b, e) and with all five permanent members pledged (c, f). Bars: 95%
# intervals of the mean over replicates. Points are offset horizontally by regime for
# legibility.
#
# Reading (full run, 200 replicates per point and regime): under individual duty, deaths fall
# as enforcement strengthens (means of about 12,000-15,000 per run at 0, 5,500-7,500 at 4) and
# vetoes disappear from enforcement 2 on (the duty not to obstruct binds the permanent
# members; at 1 there are still about 0.4 per run without pledges by all five); capacity-based
# allocation is low in deaths and flat in enforcement; buck-passing has no duty holders, so
# enforcement does not move it beyond the Monte Carlo noise between points. Pledges by all five
# remove the vetoes under every regime, and under buck-passing they also lower mean deaths, from
# about 23,000-30,000 to 18,000-22,000 per run; under the duty regimes no change in deaths
# beyond the noise is visible.

# %% [markdown]
# ## B. The buck-passing signature
#
# In Diekmann's (1985) Volunteer's Dilemma with n identical players, each of whom gains b if
# anyone acts and pays c if it acts itself, the probability that nobody acts in the symmetric
# equilibrium is (c/b)^(n/(n−1)): it *rises* with n towards c/b. The sweep
# `buck-passing-signature` builds a world in which this can be seen: identical, capable
# bystanders, no Security Council, a crisis that starts escalating, an eight-week horizon, and
# the number of capable bystanders n = `world.count` − 1 from 1 to 64. "No bystander action"
# is a run whose `first_action_week` is empty (nobody acted within the eight weeks).
#
# The simulation is not a one-shot game: states decide every week on several actions, and c/b
# changes with salience. If all states are identical, the probability that nobody acts in the
# whole run is still of the form R^(n/(n−1)) for a given salience path, with R the product of
# the weekly c/b ratios; we fit one effective R by maximum likelihood to the buck-passing
# points (n ≥ 2) and draw the curve *for illustration only*.

# %%
from scipy.optimize import minimize_scalar

sig["n_capable"] = sig["world.count"] - 1
sig["no_action"] = sig["first_action_week"].isna()
g = (sig.groupby(["point", "world.count", "n_capable", "regime"], sort=False)
        .agg(runs=("no_action", "size"), no_action=("no_action", "sum")).reset_index())
g["share_no_action"] = g.no_action / g.runs
g["ci95_low"], g["ci95_high"] = zip(*[bn.wilson(k, n) for k, n in zip(g.no_action, g.runs)])

bp = g[(g.regime == "buck_passing") & (g.n_capable >= 2)]
def neg_log_likelihood(R):
    p = np.clip(R ** (bp.n_capable / (bp.n_capable - 1)), 1e-12, 1 - 1e-12)
    return -(bp.no_action * np.log(p) + (bp.runs - bp.no_action) * np.log1p(-p)).sum()
R = minimize_scalar(neg_log_likelihood, bounds=(1e-6, 1 - 1e-6), method="bounded").x
vd = lambda n: np.where(n > 1, R ** (n / np.maximum(n - 1, 1e-9)), 0.0)   # n = 1: a lone state acts whenever c < b
g["volunteers_dilemma"] = vd(g.n_capable.to_numpy(float))
g["fitted_c_over_b"] = R
bn.write_table(g.drop(columns="point"), "buck-passing-signature.csv")
same = (g[g.regime == "individual_duty"].share_no_action.to_numpy() == g[g.regime == "buck_passing"].share_no_action.to_numpy()).all()
print(f"fitted effective c/b = {R:.3f}; individual duty identical to buck-passing in this world (nobody holds a duty): {same}")

fig, ax = plt.subplots(figsize=(bn.COLUMN_IN, 2.5))
n_grid = np.geomspace(1, g.n_capable.max(), 400)
ax.plot(n_grid, vd(n_grid), color=bn.OKABE_ITO["black"], lw=0.9, ls="--",
        label=f"Volunteer's Dilemma (c/b)$^{{n/(n-1)}}$,\nc/b = {R:.2f} fitted (illustration)")
for k, r in enumerate(["buck_passing", "capacity_based"]):
    t = g[g.regime == r]
    x = t.n_capable * (1.06 if k else 1 / 1.06) ** 0.5
    ax.errorbar(x, t.share_no_action, yerr=[t.share_no_action - t.ci95_low, t.ci95_high - t.share_no_action],
                fmt=bn.REGIME_MARKER[r], color=bn.REGIME_COLOR[r], capsize=2, ms=4,
                label=bn.REGIME_LABEL[r] + (" (= individual duty)" if r == "buck_passing" and same else ""))
ax.set_xscale("log", base=2)
ticks = [1, 2, 4, 8, 16, 32, 64]
ax.set_xticks([t for t in ticks if t <= g.n_capable.max()], [str(t) for t in ticks if t <= g.n_capable.max()])
ax.set_xlabel("Capable bystanders n (states)")
ax.set_ylabel("Share of runs with no bystander\naction in 8 weeks")
ax.set_ylim(-0.01, max(0.4, float(g.ci95_high.max()) + 0.05))
ax.legend(loc="center right")   # the upper left is taken by the points when the shares are high
bn.savefig(fig, "02-buck-passing-signature")
plt.show()

# %% [markdown]
# **Figure 02-buck-passing-signature.** Share of runs in which no bystander took any protective
# action within eight weeks of an escalating crisis, against the number of identical capable
# bystanders (log scale), under buck-passing (individual duty is identical here: no state has
# the links to which duties attach) and capacity-based allocation (the five states with the
# most leverage hold duties to protect and assist). Bars: Wilson 95% intervals. Dashed: the
# Volunteer's-Dilemma probability that nobody acts, with one effective c/b ratio fitted to the
# buck-passing points, for illustration.
#
# Reading (full run, 400 replicates per point): under buck-passing the share of runs without
# any response rises with the number of states able to respond, from about two in five (42%)
# with a single capable state to about two in three (68%) with two and three in four to four in
# five (73-81%) with three or more, and levels off: the Volunteer's-Dilemma shape. That a lone
# capable state also fails to act within the eight weeks in about two runs in five is not in the
# curve, which is zero at n = 1
# (a lone player acts whenever c < b); a lone state's decision involves no chance, so these are
# runs in which the conditions for acting (awareness, salience, c < b) were not met within the
# horizon. With duty holders (capacity-based) the share stays low whatever n (4.5% with a
# single capable state, at most 2% with two or more), because a bound duty holder decides as if
# alone. The one-parameter curve is not expected to fit exactly
# (c/b varies from week to week and run to run, and averaging R^(n/(n−1)) over R is not
# R^(n/(n−1)) of the average), and the simulated points with n ≥ 2 scatter around it by about
# their intervals. The world is
# deliberately stylised, so this shows a mechanism of the model, not a magnitude.
