// The explorer's page: controls generated from the parameter metadata (GET /api/params),
// results from POST /api/run, a single run from POST /api/timeline, all drawn as SVG by the
// small functions below (no library, nothing loaded from elsewhere).
"use strict";

// Okabe & Ito (2008) palette: distinguishable with the common colour-vision deficiencies.
const OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442", "#000000"];
const REGIME_COLOURS = { buck_passing: "#E69F00", individual_duty: "#56B4E9", capacity_based: "#009E73" };
const PHASE_COLOURS = { latent: "#eeeeee", escalating: "#F0E442", atrocity: "#D55E00", ended: "#cfe8f7" };
const VOTE_COLOURS = { yes: "#009E73", abstain: "#bbbbbb", no: "#D55E00" };
const SUMMARY_OUTCOMES = ["deaths_total", "onset_week", "atrocity_weeks", "response_weeks", "first_resolution_week",
  "max_level_adopted", "drafts_tabled", "drafts_vetoed", "troops_deployed_peak", "burden_total", "buck_passing_index",
  "responsibility_gap_weeks"];
const DIFF_OUTCOMES = ["deaths_total", "response_weeks", "atrocity_weeks", "drafts_vetoed", "troops_deployed_peak", "burden_total"];
const DEBOUNCE_MS = 250;
const SVGNS = "http://www.w3.org/2000/svg";

const state = {
  params: [], byPath: {}, experiments: [],
  base: null,          // {experiment: id} or {config: text, name: file}
  values: {},          // the base config's resolved values
  changes: {},         // path -> value typed or slid
  result: null, controller: null, timer: null, runCounter: 0,
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = tag.startsWith("svg:") ? document.createElementNS(SVGNS, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c);
  return node;
}
const svgEl = (tag, attrs = {}, ...children) => el("svg:" + tag, attrs, ...children);

function fmt(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  const a = Math.abs(x);
  if (a !== 0 && (a < 0.001 || a >= 1e7)) return x.toExponential(2);
  if (Number.isInteger(x)) return x.toLocaleString("en-GB");
  if (a >= 1000) return Math.round(x).toLocaleString("en-GB");
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}
const compact = (x) => (x >= 1e6 ? `${x / 1e6}M` : x >= 1e3 ? `${x / 1e3}k` : String(x));
const humanize = (path) => path.split(".").slice(-2).join(" ").replace(/_/g, " ");

async function api(path, body, signal) {
  const init = body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), signal };
  const response = await fetch(path, init);
  const data = await response.json().catch(() => ({ error: `error: HTTP ${response.status}` }));
  if (!response.ok) { const e = new Error(data.error || `HTTP ${response.status}`); e.status = response.status; throw e; }
  return data;
}

// The request body for the current view: the experiment (or uploaded text) and the changes.
function requestBody() { return { ...state.base, set: { ...state.changes } }; }

// ---------------------------------------------------------------- controls

async function init() {
  const [params, experiments] = await Promise.all([api("/api/params"), api("/api/experiments")]);
  state.params = params.parameters;
  for (const p of state.params) state.byPath[p.path] = p;
  $("replicates").max = params.limits.max_replicates;
  state.experiments = experiments.experiments;
  const select = $("experiment");
  for (const e of state.experiments) select.append(el("option", { value: e.id, text: e.id === e.name ? e.id : `${e.id}: ${e.name}` }));
  const datalist = $("param-paths");
  for (const p of state.params) if (["number", "integer", "boolean", "choice"].includes(p.type)) datalist.append(el("option", { value: p.path }));
  select.addEventListener("change", () => loadExperiment({ experiment: select.value }));
  $("upload").addEventListener("change", uploadConfig);
  $("replicates").addEventListener("input", () => { setChange("replicates", $("replicates").value); });
  $("reset").addEventListener("click", () => { state.changes = {}; renderControls(); schedule(0); });
  $("other-add").addEventListener("click", addOtherField);
  $("other-path").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); addOtherField(); } });
  $("tl-open").addEventListener("click", () => openTimeline($("tl-regime").value, Number($("tl-replicate").value)));
  $("copy-yaml").addEventListener("click", copyYAML);
  $("save").addEventListener("click", saveView);
  if (state.experiments.length) await loadExperiment({ experiment: state.experiments[0].id });
  else await loadExperiment({ config: "", name: "defaults" });
}

async function loadExperiment(base) {
  $("config-error").hidden = true;
  try {
    const checked = await api("/api/check", { ...base });
    state.base = base;
    state.values = checked.values;
    state.changes = {};
    $("experiment-description").textContent = checked.description || "";
    renderControls();
    schedule(0);
  } catch (e) {
    $("config-error").textContent = e.message;
    $("config-error").hidden = false;
  }
}

async function uploadConfig() {
  const file = $("upload").files[0];
  if (!file) return;
  const text = await file.text();
  await loadExperiment({ config: text, name: file.name });
  $("experiment").value = "";
}

function currentValue(path) { return path in state.changes ? state.changes[path] : state.values[path]; }

function renderControls() {
  $("replicates").value = currentValue("replicates");
  const list = $("slider-list");
  list.replaceChildren();
  const sliders = state.params.filter((p) => p.slider && p.path in state.values).sort((a, b) => a.slider.order - b.slider.order);
  for (const p of sliders) list.append(paramField(p, true));
  const others = $("other-list");
  others.replaceChildren();
  for (const path of Object.keys(state.changes)) {
    const p = state.byPath[path];
    if (p && !p.slider && path !== "replicates") others.append(paramField(p, false));
  }
}

function stepFor(p, lo, hi) {
  if (p.type === "integer") return 1;
  const raw = (hi - lo) / 200;
  const pow = Math.pow(10, Math.floor(Math.log10(raw || 1)));
  return pow;
}

// One parameter: its name (with doc and source on hover/focus), a slider for key parameters,
// a number field (or a select for choices and true/false) with its documented range and unit.
function paramField(p, withSlider) {
  const id = "p-" + p.path.replace(/[^a-zA-Z0-9]/g, "-");
  const help = `${p.doc}\nSource: ${p.source}\nRange: ${p.kind}; default ${p.default}${p.unit !== "-" ? " " + p.unit : ""}`;
  const wrap = el("div", { class: "param" + (p.path in state.changes ? " changed" : ""), "data-path": p.path });
  const name = el("label", { for: id, class: "name", title: help }, humanize(p.path) + " ", el("code", { text: p.path }));
  wrap.append(name, el("span", { id: id + "-help", hidden: true, text: help }));
  const value = currentValue(p.path) ?? p.default;
  const row = el("div", { class: "row" });
  let input;
  if (p.type === "boolean" || p.type === "choice") {
    input = el("select", { id, "aria-describedby": id + "-help" });
    for (const c of p.type === "boolean" ? ["true", "false"] : p.choices) input.append(el("option", { value: c, text: c, selected: String(value) === c }));
    input.addEventListener("change", () => setChange(p.path, input.value, wrap));
    row.append(input);
  } else {
    const lo = withSlider ? p.slider.min : p.min, hi = withSlider ? p.slider.max : p.max;
    input = el("input", { type: "number", id, min: p.min, max: p.max, step: p.type === "integer" ? 1 : "any", value, "aria-describedby": id + "-help" });
    if (withSlider) {
      const slider = el("input", { type: "range", min: lo, max: hi, step: stepFor(p, lo, hi), value, "aria-label": `${humanize(p.path)} (slider)`,
        "aria-describedby": id + "-help", "data-path": p.path, class: "slider" });
      slider.addEventListener("input", () => { input.value = slider.value; setChange(p.path, slider.value, wrap); });
      input.addEventListener("input", () => { if (input.value !== "") { slider.value = input.value; setChange(p.path, input.value, wrap); } });
      row.append(slider);
    } else {
      input.addEventListener("input", () => { if (input.value !== "") setChange(p.path, input.value, wrap); });
    }
    row.append(input);
  }
  row.append(el("span", { class: "unit", text: p.unit !== "-" ? p.unit : "" }));
  if (!withSlider) {
    row.append(el("button", { type: "button", class: "remove", "aria-label": `Remove ${p.path} (back to the experiment's value)`, text: "×",
      onclick: () => { delete state.changes[p.path]; wrap.remove(); schedule(); } }));
  }
  wrap.append(row);
  return wrap;
}

function addOtherField() {
  const path = $("other-path").value.trim();
  const p = state.byPath[path];
  if (!p || !["number", "integer", "boolean", "choice"].includes(p.type)) {
    $("config-error").textContent = `${path || "(empty)"}: not a parameter with a single value; choose one from the list`;
    $("config-error").hidden = false;
    return;
  }
  $("config-error").hidden = true;
  if (!(path in state.changes)) state.changes[path] = String(currentValue(path) ?? p.default);
  renderControls();
  const field = document.querySelector(`#other-list [data-path="${CSS.escape(path)}"] input, #other-list [data-path="${CSS.escape(path)}"] select`);
  if (field) field.focus();
  $("other-path").value = "";
}

function setChange(path, value, wrap) {
  if (String(state.values[path]) === String(value)) delete state.changes[path]; else state.changes[path] = String(value);
  if (wrap) wrap.classList.toggle("changed", path in state.changes);
  schedule();
}

// Recompute after the slider has rested for DEBOUNCE_MS; a newer request cancels an older one.
function schedule(delay = DEBOUNCE_MS) {
  clearTimeout(state.timer);
  state.timer = setTimeout(runView, delay);
}

async function runView() {
  if (state.controller) state.controller.abort();
  const controller = new AbortController();
  state.controller = controller;
  const counter = ++state.runCounter;
  const reps = Number(currentValue("replicates"));
  busy(true, `Computing ${reps ? (reps * 3).toLocaleString("en-GB") + " runs" : ""}…`);
  $("run-error").hidden = true;
  const started = performance.now();
  try {
    const result = await api("/api/run", requestBody(), controller.signal);
    if (counter !== state.runCounter) return;
    state.result = result;
    render(result);
    const ms = performance.now() - started;
    busy(false, `${result.runs.toLocaleString("en-GB")} runs: ${Math.round(result.elapsed_seconds * 1000)} ms on the server, ${Math.round(ms)} ms in all`);
    document.body.dataset.runs = String(state.runCounter);
  } catch (e) {
    if (e.name === "AbortError") return;
    if (counter !== state.runCounter) return;
    busy(false, "Not computed.");
    $("run-error").textContent = e.message;
    $("run-error").hidden = false;
  }
}

function busy(on, text) {
  $("progress").hidden = !on;
  $("results").setAttribute("aria-busy", on ? "true" : "false");
  $("status-text").textContent = text;
}

// ---------------------------------------------------------------- results

function render(r) {
  renderSummary(r);
  renderDistributions(r, "deaths_total", $("chart-deaths"), { log: true, unit: "deaths", clickable: true });
  renderDistributions(r, "response_weeks", $("chart-response"), { log: false, unit: "weeks" });
  renderDifferences(r);
  renderCouncil(r);
  renderResponsibility(r);
  $("yaml").value = r.config_yaml;
  const tl = $("tl-regime");
  const keep = tl.value;
  tl.replaceChildren(...r.regimes.map((g) => el("option", { value: g, text: g })));
  if (r.regimes.includes(keep)) tl.value = keep;
  $("tl-replicate").max = r.replicates - 1;
}

function swatch(regime) {
  const s = el("span", { class: "swatch", "aria-hidden": "true" });
  s.style.background = REGIME_COLOURS[regime] || "#000";   // through the CSSOM: the page's CSP allows no inline style attributes
  return s;
}

function renderSummary(r) {
  const table = $("summary-table");
  const head = el("tr", {}, el("th", { scope: "col", text: "outcome" }),
    r.regimes.map((g) => el("th", { scope: "col" }, swatch(g), `${g} median [5%, 95%]`)),
    r.regimes.slice(1).map((g) => el("th", { scope: "col", text: `${g} − ${r.reference} mean [95% CI]` })));
  const rows = SUMMARY_OUTCOMES.filter((o) => r.summary[r.reference] && r.summary[r.reference][o]).map((o) => el("tr", {},
    el("th", { scope: "row", text: o }),
    r.regimes.map((g) => {
      const c = r.summary[g][o];
      return el("td", { "data-regime": g, "data-outcome": o, "data-p50": c.p50 ?? "", "data-p05": c.p05 ?? "", "data-p95": c.p95 ?? "", "data-mean": c.mean ?? "", "data-n": c.n },
        c.n ? `${fmt(c.p50)} [${fmt(c.p05)}, ${fmt(c.p95)}]` : "no runs");
    }),
    r.regimes.slice(1).map((g) => {
      const d = (r.comparison[g] || {})[o] || {};
      return el("td", { "data-regime": g, "data-outcome": o, "data-difference": d.mean_difference ?? "" },
        d.n_pairs ? `${fmt(d.mean_difference)} [${fmt(d.ci95_low)}, ${fmt(d.ci95_high)}]` : "–");
    })));
  table.replaceChildren(el("caption", { class: "note", text: `${r.name}: ${r.replicates.toLocaleString("en-GB")} replicates per regime, seed ${r.seed}` }),
    el("thead", {}, head), el("tbody", {}, rows));
}

// A histogram per regime on a shared scale (log10 of value + 1 for deaths).
function renderDistributions(r, outcome, container, opt) {
  const W = 250, H = 150, M = { l: 38, r: 8, t: 22, b: 32 };
  const series = r.regimes.map((g) => (r.per_run[g] || {})[outcome] || []);
  const present = series.flat().filter((v) => v !== null);
  const tx = (v) => (opt.log ? Math.log10(v + 1) : v);
  const lo = 0, hiRaw = present.length ? Math.max(...present.map(tx)) : 1;
  const hi = Math.max(opt.log ? Math.ceil(hiRaw) : hiRaw + 1, 1);
  const bins = opt.log ? Math.max(6, Math.min(30, Math.ceil(hi * 4))) : Math.min(30, Math.max(5, Math.ceil(hi)));
  const width = (hi - lo) / bins;
  const counts = series.map((vals) => {
    const c = new Array(bins).fill(0), first = new Array(bins).fill(-1);
    vals.forEach((v, rep) => { if (v === null) return; const k = Math.min(bins - 1, Math.floor((tx(v) - lo) / width)); c[k]++; if (first[k] < 0) first[k] = rep; });
    return { c, first };
  });
  const ymax = Math.max(1, ...counts.flatMap((x) => x.c));
  const sx = (x) => M.l + ((x - lo) / (hi - lo)) * (W - M.l - M.r);
  const sy = (y) => H - M.b - (y / ymax) * (H - M.t - M.b);
  container.replaceChildren();
  r.regimes.forEach((g, gi) => {
    const s = r.summary[g][outcome] || {};
    const missing = series[gi].filter((v) => v === null).length;
    const label = `${g}: ${outcome.replace(/_/g, " ")}, median ${fmt(s.p50)}, 5% ${fmt(s.p05)}, 95% ${fmt(s.p95)}` + (missing ? `; ${missing} of ${series[gi].length} runs without a value` : "");
    const svg = svgEl("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "group", "aria-label": label, "data-regime": g, "data-outcome": outcome });
    svg.append(svgEl("title", { text: label }));
    svg.append(svgEl("text", { x: M.l, y: 12, "font-weight": "bold" }, g));
    // y grid and axis
    for (const t of niceTicks(0, ymax, 3)) {
      svg.append(svgEl("line", { class: "grid", x1: M.l, x2: W - M.r, y1: sy(t), y2: sy(t) }));
      svg.append(svgEl("text", { x: M.l - 4, y: sy(t) + 3, "text-anchor": "end", text: t }));
    }
    counts[gi].c.forEach((n, k) => {
      if (!n) return;
      const x0 = lo + k * width, x1 = x0 + width;
      const range = opt.log ? `${fmt(Math.round(Math.pow(10, x0) - 1))}–${fmt(Math.round(Math.pow(10, x1) - 1))}` : `${fmt(Math.ceil(x0))}–${fmt(Math.ceil(x1) - 1)}`;
      const text = `${n} run${n > 1 ? "s" : ""} with ${range} ${opt.unit}` + (opt.clickable ? `; open replicate ${counts[gi].first[k]}` : "");
      const rect = svgEl("rect", { class: "bar", x: sx(x0) + 0.5, y: sy(n), width: Math.max(1, sx(x1) - sx(x0) - 1), height: sy(0) - sy(n),
        fill: REGIME_COLOURS[g] || OKABE_ITO[gi], stroke: "#0006" }, svgEl("title", { text }));
      if (opt.clickable) {
        rect.setAttribute("tabindex", "0"); rect.setAttribute("role", "button"); rect.setAttribute("aria-label", `${g}: ${text}`);
        const open = () => openTimeline(g, counts[gi].first[k]);
        rect.addEventListener("click", open);
        rect.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); open(); } });
      }
      svg.append(rect);
    });
    if (s.p50 !== null && s.p50 !== undefined) {
      const x = sx(tx(s.p50));
      svg.append(svgEl("line", { x1: x, x2: x, y1: M.t, y2: H - M.b, stroke: "#000", "stroke-dasharray": "3 2" }, svgEl("title", { text: `median ${fmt(s.p50)}` })));
    }
    // x axis
    svg.append(svgEl("line", { x1: M.l, x2: W - M.r, y1: H - M.b, y2: H - M.b, stroke: "#777" }));
    // Ticks at values (0, 10, 100, ... on the log scale, drawn at log10(value + 1)).
    const xt = opt.log ? Array.from({ length: hi + 1 }, (_, k) => (k === 0 ? 0 : Math.pow(10, k))).filter((v) => tx(v) <= hi) : niceTicks(lo, hi, 4);
    for (const v of xt) {
      svg.append(svgEl("line", { x1: sx(tx(v)), x2: sx(tx(v)), y1: H - M.b, y2: H - M.b + 3, stroke: "#777" }));
      svg.append(svgEl("text", { x: sx(tx(v)), y: H - M.b + 13, "text-anchor": "middle", text: opt.log ? compact(v) : fmt(v) }));
    }
    svg.append(svgEl("text", { x: (M.l + W - M.r) / 2, y: H - 4, "text-anchor": "middle", text: opt.unit + (missing ? ` (${missing} runs without)` : "") }));
    container.append(svg);
  });
}

function niceTicks(lo, hi, n) {
  const span = hi - lo || 1, raw = span / n, pow = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => span / s <= n) || 10 * pow;
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

// One row per outcome: each regime's mean paired difference from the reference with its 95% interval.
function renderDifferences(r) {
  const others = r.regimes.slice(1);
  const container = $("chart-diff");
  container.replaceChildren();
  if (!others.length) { container.append(el("p", { class: "note", text: "Only one regime: nothing to pair." })); return; }
  const W = 560, rowH = 22 * others.length + 36, M = { l: 170, r: 20 };
  container.append(el("p", { class: "note", text: `Mean paired difference from ${r.reference} (dot) and its 95% bootstrap interval (bar); the dashed line is no difference.` }));
  for (const o of DIFF_OUTCOMES) {
    const ds = others.map((g) => ((r.comparison[g] || {})[o]) || {});
    const vals = ds.flatMap((d) => [d.ci95_low, d.ci95_high, d.mean_difference]).filter((x) => x !== null && x !== undefined);
    const ext = Math.max(1e-9, ...vals.map(Math.abs));
    const sx = (x) => M.l + ((x + ext) / (2 * ext)) * (W - M.l - M.r);
    const label = `${o}: ` + others.map((g, k) => `${g} − ${r.reference} ${fmt(ds[k].mean_difference)} [${fmt(ds[k].ci95_low)}, ${fmt(ds[k].ci95_high)}]`).join("; ");
    const svg = svgEl("svg", { width: W, height: rowH, viewBox: `0 0 ${W} ${rowH}`, role: "img", "aria-label": label, "data-outcome": o });
    svg.append(svgEl("title", { text: label }));
    svg.append(svgEl("text", { x: 0, y: 14, "font-weight": "bold", text: o.replace(/_/g, " ") }));
    svg.append(svgEl("line", { x1: sx(0), x2: sx(0), y1: 18, y2: rowH - 4, stroke: "#777", "stroke-dasharray": "4 3" }));
    svg.append(svgEl("text", { x: M.l, y: rowH - 2, text: fmt(-ext), "font-size": 10 }));
    svg.append(svgEl("text", { x: W - M.r, y: rowH - 2, "text-anchor": "end", text: fmt(ext), "font-size": 10 }));
    others.forEach((g, k) => {
      const d = ds[k], y = 30 + k * 22;
      svg.append(svgEl("text", { x: M.l - 6, y: y + 4, "text-anchor": "end", text: g }));
      if (d.mean_difference === null || d.mean_difference === undefined) return;
      const c = REGIME_COLOURS[g] || OKABE_ITO[k + 1];
      svg.append(svgEl("line", { x1: sx(d.ci95_low), x2: sx(d.ci95_high), y1: y, y2: y, stroke: c, "stroke-width": 4 }));
      svg.append(svgEl("circle", { cx: sx(d.mean_difference), cy: y, r: 5, fill: c, stroke: "#000" }));
      svg.append(svgEl("text", { x: sx(d.ci95_high) + 6 > W - 60 ? sx(d.ci95_low) - 6 : sx(d.ci95_high) + 6, y: y + 4,
        "text-anchor": sx(d.ci95_high) + 6 > W - 60 ? "end" : "start", text: `${fmt(d.mean_difference)} (p ${fmt(d.p_value)})`, "font-size": 10 }));
    });
    container.append(svg);
  }
}

// Drafts per run (mean), vetoes by permanent member, and how each permanent member voted.
function renderCouncil(r) {
  const container = $("chart-council");
  container.replaceChildren();
  const rows = r.regimes.map((g) => el("tr", {}, el("th", { scope: "row" }, swatch(g), g),
    ["drafts_tabled", "drafts_adopted", "drafts_vetoed", "max_level_adopted"].map((o) => {
      const c = (r.summary[g] || {})[o] || {};
      return el("td", { "data-regime": g, "data-outcome": o, "data-mean": c.mean ?? "" }, fmt(c.mean));
    }),
    el("td", {}, Object.entries(r.council[g].vetoes_by).sort().map(([m, n]) => `${m} ${n}`).join(", ") || "none")));
  container.append(el("div", { class: "table-wrap" }, el("table", {},
    el("caption", { class: "note", text: "Mean per run; vetoes: drafts blocked by each permanent member, over all runs." }),
    el("thead", {}, el("tr", {}, ["regime", "drafts tabled", "adopted", "vetoed", "highest rung adopted", "vetoes cast"].map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, rows))));
  // Votes of the permanent members, stacked yes / abstain / no shares, one group per regime.
  const members = r.permanent_members;
  if (!members.length) return;
  const W = 200, H = 24 + members.length * 18 + 24, M = { l: 42, r: 6 };
  const wrap = el("div", { class: "small-multiples" });
  r.regimes.forEach((g) => {
    const votes = r.council[g].votes_by_member;
    const label = `${g}: permanent members' votes: ` + members.map((m) => { const v = votes[m] || {}; return `${m} yes ${v.yes || 0}, abstain ${v.abstain || 0}, no ${v.no || 0}`; }).join("; ");
    const svg = svgEl("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": label });
    svg.append(svgEl("title", { text: label }), svgEl("text", { x: M.l, y: 12, "font-weight": "bold", text: g }));
    members.forEach((m, k) => {
      const v = votes[m] || {}, total = (v.yes || 0) + (v.no || 0) + (v.abstain || 0), y = 20 + k * 18;
      svg.append(svgEl("text", { x: M.l - 4, y: y + 11, "text-anchor": "end", text: m }));
      let x = M.l;
      for (const kind of ["yes", "abstain", "no"]) {
        const w = total ? ((v[kind] || 0) / total) * (W - M.l - M.r) : 0;
        if (w > 0) svg.append(svgEl("rect", { x, y, width: w, height: 14, fill: VOTE_COLOURS[kind], stroke: "#fff" }, svgEl("title", { text: `${m} ${kind}: ${v[kind] || 0} of ${total} votes` })));
        x += w;
      }
      if (!total) svg.append(svgEl("text", { x: M.l, y: y + 11, text: "no votes", fill: "#555" }));
    });
    const ly = H - 6;
    let lx = M.l;
    for (const kind of ["yes", "abstain", "no"]) {
      svg.append(svgEl("rect", { x: lx, y: ly - 9, width: 10, height: 10, fill: VOTE_COLOURS[kind] }), svgEl("text", { x: lx + 13, y: ly, text: kind }));
      lx += kind === "abstain" ? 62 : 40;
    }
    wrap.append(svg);
  });
  container.append(wrap);
}

function renderResponsibility(r) {
  const slot = $("responsibility");
  const resp = r.responsibility || {};
  if (resp.available) { slot.textContent = JSON.stringify(resp); return; }
  slot.replaceChildren(el("p", { text: resp.note || "Not available." }),
    el("p", { class: "note", text: "Planned: for each regime, the states that carry the responsibility for the harm and their shares, with the same paired comparison as above." }));
}

// ---------------------------------------------------------------- a single run

async function openTimeline(regime, replicate) {
  $("tl-regime").value = regime;
  $("tl-replicate").value = replicate;
  const target = $("timeline");
  target.replaceChildren(el("p", { class: "note", text: `Loading ${regime}, replicate ${replicate}…` }));
  try {
    const t = await api(`/api/timeline?regime=${encodeURIComponent(regime)}&replicate=${replicate}`, requestBody());
    drawTimeline(t, target);
    target.focus();
  } catch (e) {
    target.replaceChildren(el("p", { class: "error", role: "alert", text: e.message }));
  }
}

function drawTimeline(t, target) {
  const w = t.weeks, n = w.week.length;
  const W = 900, M = { l: 70, r: 60 }, panel = 70, gap = 14;
  const panels = ["phase", "deaths", "salience", "troops", "council"];
  const top = (k) => 24 + k * (panel + gap);
  const H = top(panels.length) + 20;
  const sx = (week) => M.l + (week / Math.max(1, n)) * (W - M.l - M.r);
  const o = t.outcome;
  const summary = `${t.regime}, replicate ${t.replicate}: ${fmt(Number(o.deaths_total))} deaths; onset week ${o.onset_week || "none"}; ` +
    `${o.drafts_tabled} drafts tabled, ${o.drafts_adopted} adopted, ${o.drafts_vetoed} vetoed; peak troops ${fmt(Number(o.troops_deployed_peak))}; end: ${o.end_reason}`;
  const svg = svgEl("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "Timeline: " + summary, id: "timeline-svg" });
  svg.append(svgEl("title", { text: "Timeline: " + summary }));
  svg.append(svgEl("text", { x: M.l, y: 12, "font-weight": "bold", text: summary }));
  const label = (k, text) => svg.append(svgEl("text", { x: M.l - 6, y: top(k) + panel / 2, "text-anchor": "end", text }));
  // phase band
  label(0, "phase");
  for (let i = 0; i < n; i++) {
    svg.append(svgEl("rect", { x: sx(i), y: top(0) + 10, width: sx(i + 1) - sx(i) + 0.3, height: panel - 20, fill: PHASE_COLOURS[w.phase[i]] || "#fff" },
      svgEl("title", { text: `week ${w.week[i]}: ${w.phase[i]}` })));
  }
  let lx = M.l;
  for (const [ph, c] of Object.entries(PHASE_COLOURS)) {
    svg.append(svgEl("rect", { x: lx, y: top(0) + panel - 8, width: 10, height: 8, fill: c, stroke: "#0004" }), svgEl("text", { x: lx + 13, y: top(0) + panel, text: ph }));
    lx += 80;
  }
  // weekly deaths
  label(1, "deaths/week");
  const dmax = Math.max(1, ...w.deaths);
  for (let i = 0; i < n; i++) if (w.deaths[i] > 0) {
    const h = (w.deaths[i] / dmax) * panel;
    svg.append(svgEl("rect", { x: sx(i), y: top(1) + panel - h, width: Math.max(1, sx(i + 1) - sx(i) - 0.5), height: h, fill: "#D55E00" },
      svgEl("title", { text: `week ${w.week[i]}: ${fmt(w.deaths[i])} deaths (${fmt(w.reported_deaths[i])} reported)` })));
  }
  svg.append(svgEl("text", { x: W - M.r + 4, y: top(1) + 8, text: fmt(dmax) }));
  // salience (line, 0-1) and warning level (steps, 0-3)
  label(2, "salience, warning");
  const line = (vals, max, k) => vals.map((v, i) => `${i ? "L" : "M"}${sx(i + 0.5).toFixed(1)},${(top(k) + panel - (v / max) * panel).toFixed(1)}`).join("");
  svg.append(svgEl("path", { d: line(w.salience, 1, 2), fill: "none", stroke: "#0072B2", "stroke-width": 2 }, svgEl("title", { text: "salience (0 to 1)" })));
  svg.append(svgEl("path", { d: line(w.warning_level, 3, 2), fill: "none", stroke: "#CC79A7", "stroke-width": 2, "stroke-dasharray": "5 3" }, svgEl("title", { text: "warning level (0 none, 1 watch, 2 warning, 3 emergency)" })));
  svg.append(svgEl("text", { x: W - M.r + 4, y: top(2) + 10, fill: "#0072B2", text: "salience" }), svgEl("text", { x: W - M.r + 4, y: top(2) + 24, fill: "#CC79A7", text: "warning" }));
  // troops deployed
  label(3, "troops");
  const tmax = Math.max(1, ...w.troops_deployed);
  svg.append(svgEl("path", { d: line(w.troops_deployed, tmax, 3) + `L${sx(n - 0.5)},${top(3) + panel}L${sx(0.5)},${top(3) + panel}Z`, fill: "#009E7355", stroke: "#009E73" },
    svgEl("title", { text: `troops deployed (peak ${fmt(Math.max(...w.troops_deployed))})` })));
  svg.append(svgEl("text", { x: W - M.r + 4, y: top(3) + 8, text: fmt(tmax) }));
  // Council drafts
  label(4, "Council drafts");
  const quota = Number(currentValue("council.quota") ?? 9), vetoThreshold = Number(currentValue("council.veto_threshold") ?? 1);
  const result = (d) => {
    const yes = d.votes.filter((v) => v.vote === "yes").length, permNo = d.votes.filter((v) => v.permanent && v.vote === "no").length;
    return d.adopted ? "adopted" : (yes >= quota && vetoThreshold > 0 && permNo >= vetoThreshold ? "vetoed" : "failed");
  };
  const shape = { adopted: "#009E73", vetoed: "#D55E00", failed: "#999999" };
  t.drafts.forEach((d, k) => {
    const res = result(d), x = sx(d.week + 0.5), y = top(4) + 14 + (k % 3) * 18;
    const counts = ["yes", "no", "abstain"].map((kind) => `${d.votes.filter((v) => v.vote === kind).length} ${kind}`).join(", ");
    const noes = d.votes.filter((v) => v.permanent && v.vote === "no").map((v) => v.member);
    const text = `week ${d.week}: draft ${d.draft}, rung ${d.level}, penholder ${d.penholder}: ${res} (${counts}${noes.length ? "; no from " + noes.join(", ") : ""})`;
    const g = svgEl("g", { class: "marker", tabindex: "0", role: "img", "aria-label": text });
    g.append(svgEl("title", { text }));
    if (res === "vetoed") g.append(svgEl("path", { d: `M${x - 6},${y - 6}L${x + 6},${y + 6}M${x - 6},${y + 6}L${x + 6},${y - 6}`, stroke: shape[res], "stroke-width": 3 }));
    else g.append(svgEl(res === "adopted" ? "circle" : "rect", res === "adopted" ? { cx: x, cy: y, r: 6, fill: shape[res] } : { x: x - 5, y: y - 5, width: 10, height: 10, fill: shape[res] }));
    g.append(svgEl("text", { x: x + 8, y: y + 4, "font-size": 10, text: String(d.level) }));
    svg.append(g);
  });
  if (!t.drafts.length) svg.append(svgEl("text", { x: M.l, y: top(4) + 30, fill: "#555", text: "no draft was put to the vote" }));
  lx = M.l;
  for (const [res, c] of Object.entries(shape)) { svg.append(svgEl("rect", { x: lx, y: top(4) + panel - 4, width: 10, height: 10, fill: c }), svgEl("text", { x: lx + 13, y: top(4) + panel + 5, text: `${res} (number: rung)` })); lx += 150; }
  // week axis
  const axisY = top(panels.length) - gap + 4;
  for (const tk of niceTicks(0, n, 8)) svg.append(svgEl("text", { x: sx(tk), y: axisY + 10, "text-anchor": "middle", text: tk }));
  svg.append(svgEl("text", { x: W - M.r + 4, y: axisY + 10, text: "week" }));

  const table = el("table", { id: "drafts-table" }, el("caption", { class: "note", text: "Every draft put to the vote in this run" }),
    el("thead", {}, el("tr", {}, ["week", "rung", "penholder", "result", "yes", "no", "abstain", "permanent no", "every vote"].map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, t.drafts.map((d) => el("tr", {}, el("td", { text: d.week }), el("td", { text: d.level }), el("td", { text: d.penholder }), el("td", { text: result(d) }),
      ["yes", "no", "abstain"].map((kind) => el("td", { text: d.votes.filter((v) => v.vote === kind).length })),
      el("td", { text: d.votes.filter((v) => v.permanent && v.vote === "no").map((v) => v.member).join(", ") || "–" }),
      el("td", { class: "votes", text: ["yes", "no", "abstain"].map((kind) => `${kind}: ${d.votes.filter((v) => v.vote === kind).map((v) => v.member).join(" ") || "–"}`).join("; ") })))));
  target.replaceChildren(svg, el("div", { class: "table-wrap" }, table));
  target.dataset.regime = t.regime;
  target.dataset.replicate = String(t.replicate);
}

// ---------------------------------------------------------------- reproduce

async function copyYAML() {
  const text = $("yaml").value;
  try { await navigator.clipboard.writeText(text); $("save-result").textContent = "YAML copied."; }
  catch { $("yaml").select(); $("save-result").textContent = "Select-all done: press Ctrl+C to copy."; }
}

async function saveView() {
  $("save-result").textContent = "Saving…";
  try {
    const s = await api("/api/save", requestBody());
    $("save-result").replaceChildren(`${s.reused ? "Already saved" : "Saved"} in ${s.folder} (${s.files.join(", ")}). To check it: `, el("code", { text: s.reproduce }));
  } catch (e) {
    $("save-result").textContent = e.message;
  }
}

document.addEventListener("DOMContentLoaded", () => init().catch((e) => busy(false, "The explorer could not start: " + e.message)));
