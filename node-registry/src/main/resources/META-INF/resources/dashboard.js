// The operator dashboard: polls the Admin API of this node-registry (and, through it, what poc-collector reads
// from the chain: the epoch, the participants with their weights, this host's transactions) and updates the page
// in place. No framework, no build step; every value from the server goes into the page as text, never as markup.
"use strict";

const REFRESH_MS = 3000;
const WEIGHTS_REFRESH_MS = 5000;
const EPOCHS_SHOWN = 8;
const TOKEN_KEY = "gonka-admin-token";

const $ = (id) => document.getElementById(id);
const state = { weights: new Map(), hostWeights: [], latestEpoch: 0, blocks: [], busy: new Set(), waitingForToken: null };
// the node table's rows and the weight chart's items by node id: a host of 1,000 nodes is not searched row by row
const nodeRows = new Map(), weightItems = new Map();

// ---- the Admin API ----

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

async function api(method, path, payload) {
  const headers = { "Accept": "application/json" };
  if (token()) headers["Authorization"] = "Bearer " + token();
  const init = { method, headers, cache: "no-store" };
  if (payload !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(payload);
  }
  const r = await fetch(path, init);
  if (r.status === 401) {
    await askForToken(Boolean(token()));
    return api(method, path, payload);
  }
  const text = await r.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = text; }
  if (!r.ok) {
    const message = body && body.error ? (typeof body.error === "string" ? body.error : body.error.message) : r.statusText;
    const err = new Error(message || ("HTTP " + r.status));
    err.status = r.status;
    throw err;
  }
  return body;
}

function askForToken(refused) {
  if (state.waitingForToken) return state.waitingForToken;
  sessionStorage.removeItem(TOKEN_KEY);
  const dialog = $("token-dialog");
  $("token-error").hidden = !refused;
  $("token-input").value = "";
  state.waitingForToken = new Promise((resolve) => {
    $("token-form").onsubmit = () => {
      sessionStorage.setItem(TOKEN_KEY, $("token-input").value.trim());
      $("signout").hidden = false;
      state.waitingForToken = null;
      resolve();
    };
  });
  if (!dialog.open) dialog.showModal();
  return state.waitingForToken;
}

// ---- helpers ----

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else if (k.startsWith("data-")) e.setAttribute(k, v); else e[k] = v;
  }
  for (const c of children) e.append(c);
  return e;
}

function setText(node, text) {
  const t = text == null ? "" : String(text);
  if (node.textContent !== t) node.textContent = t;
}

function ago(iso) {
  if (!iso) return "never";
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return s + " s ago";
  if (s < 3600) return Math.round(s / 60) + " min ago";
  return Math.round(s / 3600) + " h ago";
}

function duration(seconds) {
  if (!isFinite(seconds)) return "–";
  const s = Math.max(0, Math.round(seconds));
  if (s < 90) return s + " s";
  if (s < 5400) return Math.round(s / 60) + " min";
  return (s / 3600).toFixed(1) + " h";
}

function toast(message) {
  const t = $("toast");
  t.textContent = message;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, 4000);
}

// ---- nodes ----

function modelOf(node) {
  const models = Object.keys(node.models || {});
  return models.length ? models.sort()[0] : "";
}

function rowFor(id) {
  let row = nodeRows.get(id);
  if (row) return row;
  const cells = ["num", "node", "model opt", "st", "reason wide", "enabled", "seen opt", "actions"]
    .map((c) => el("td", { class: c }));
  row = el("tr", { "data-id": id }, ...cells);
  row.querySelector(".node").append(el("span", { class: "id" }), el("span", { class: "host" }));
  row.querySelector(".st").append(el("span", { class: "status" }), el("span", { class: "poc" }));
  row.querySelector(".reason").append(el("span"));
  const toggle = el("button", { type: "button", class: "toggle" });
  const test = el("button", { type: "button", class: "test", textContent: "Test" });
  const last = el("button", { type: "button", class: "link last-test", hidden: true });
  last.addEventListener("click", () => lastReport(id));
  const remove = el("button", { type: "button", class: "danger delete", textContent: "Delete" });
  test.addEventListener("click", () => selfTest(id));
  toggle.addEventListener("click", () => act(id, row.dataset.enabled === "true" ? "disable" : "enable"));
  remove.addEventListener("click", () => {
    if (confirm(`Delete ML node "${id}"? The node manager stops driving it and api-node stops routing to it.`)) {
      act(id, "delete");
    }
  });
  row.querySelector(".actions").append(last, " ", toggle, " ", test, " ", remove);
  nodeRows.set(id, row);
  return row;
}

async function act(id, what) {
  if (state.busy.has(id)) return;
  state.busy.add(id);
  try {
    const path = "/admin/v1/nodes/" + encodeURIComponent(id) + (what === "delete" ? "" : "/" + what);
    const answer = await api(what === "delete" ? "DELETE" : "POST", path);
    toast(what === "delete" ? (answer === true ? `Deleted ${id}.` : `${id} was already gone.`)
      : (answer && answer.message) || `${id}: ${what}d.`);
  } catch (e) {
    toast(`${what} ${id} failed: ${e.message}`);
  } finally {
    state.busy.delete(id);
    refreshNodes();
  }
}

// ---- the self-test ----

async function selfTest(id) {
  if (state.busy.has(id)) return;
  state.busy.add(id);
  const path = "/admin/v1/nodes/" + encodeURIComponent(id) + "/test";
  try {
    let report;
    try {
      report = await api("POST", path, {});
    } catch (e) {
      if (e.status !== 409 || !/serving inference/.test(e.message)) throw e;
      if (!confirm(`${id} is serving inference. Test it anyway? Routing skips it during the test (about a minute).`)) return;
      report = await api("POST", path, { force: true });
    }
    showReport(id, report);
    while (report.status === "running") {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      report = await api("GET", path);
      showReport(id, report);
    }
  } catch (e) {
    toast(`test ${id} failed to start: ${e.message}`);
  } finally {
    state.busy.delete(id);
    refreshNodes();
  }
}

async function lastReport(id) {
  const path = "/admin/v1/nodes/" + encodeURIComponent(id) + "/test";
  try {
    let report = await api("GET", path);
    showReport(id, report);
    while (report.status === "running") {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      report = await api("GET", path);
      showReport(id, report);
    }
  } catch (e) {
    toast(`${id}: ${e.message}`);
  }
}

const STEP_NAMES = { reach: "Reachable", model: "Serving its model", poc_generation: "PoC generation",
  poc_validation: "Validates its own artifacts", inference: "Chat completion", test: "Test" };

function showReport(id, report) {
  const dialog = $("test-dialog");
  setText($("test-title"), `Self-test of ${id}`);
  const verdict = $("test-status");
  setText(verdict, report.status);
  verdict.dataset.status = report.status;
  const summary = [];
  if (report.model) summary.push(report.model);
  if (report.nonces_per_minute) summary.push(`${report.nonces_per_minute} nonces/min`);
  if (report.finished_at) summary.push("finished " + ago(report.finished_at));
  setText($("test-summary"), summary.join(" · "));
  $("test-steps").replaceChildren(...(report.steps || []).map((step) =>
    el("li", { "data-passed": String(step.passed), "data-step": step.name },
      el("span", { class: "mark", textContent: step.passed ? "✓" : "✗" }),
      el("span", { class: "what", textContent: `${STEP_NAMES[step.name] || step.name} (${(step.millis / 1000).toFixed(1)} s)` }),
      el("span", { class: "why", textContent: step.reason || "" }))));
  if (!dialog.open) dialog.showModal();
}

function renderNodes(entries) {
  const tbody = $("node-rows");
  const seen = new Set();
  const counts = {};
  entries.sort((a, b) => a.node.node_num - b.node.node_num);
  entries.forEach((entry, i) => {
    const n = entry.node, s = entry.state || {};
    const enabled = !s.admin_state || s.admin_state.enabled !== false;
    seen.add(n.id);
    counts[s.current_status] = (counts[s.current_status] || 0) + 1;
    const row = rowFor(n.id);
    row.dataset.enabled = String(enabled);
    row.classList.toggle("disabled", !enabled);
    const q = (sel) => row.querySelector(sel);
    setText(q("td.num"), n.node_num);
    setText(q("td.node .id"), n.id);
    setText(q("td.node .host"), `${n.host}:${n.poc_port} / ${n.inference_port}`);
    q("td.node").title = `${n.id}\nmanagement ${n.host}:${n.poc_port}, inference ${n.host}:${n.inference_port}`;
    setText(q("td.model"), modelOf(n).split("/").pop()); q("td.model").title = modelOf(n);
    const status = q("td.st .status");
    setText(status, s.current_status || "UNKNOWN");
    status.dataset.status = s.current_status || "UNKNOWN";
    setText(q("td.st .poc"), s.poc_current_status && s.poc_current_status !== "IDLE" ? "PoC " + s.poc_current_status.toLowerCase() : "");
    setText(q("td.reason span"), s.failure_reason || ""); q("td.reason").title = s.failure_reason || "";
    setText(q("td.enabled"), enabled ? "yes" : "no"); q("td.enabled").classList.toggle("off", !enabled);
    setText(q("td.seen"), ago(s.last_seen)); q("td.seen").title = s.last_seen || "";
    const toggle = q("button.toggle");
    setText(toggle, enabled ? "Disable" : "Enable");
    toggle.disabled = q("button.delete").disabled = q("button.test").disabled = state.busy.has(n.id);
    const t = state.tests && state.tests.get(n.id), last = q("button.last-test");
    last.hidden = !t;
    if (t) {
      setText(last, t.status === "passed" ? "✓" : t.status === "failed" ? "✗" : "…");
      last.dataset.status = t.status;
      last.title = `last self-test: ${t.status}${t.failed_step ? " at " + t.failed_step : ""}, ${ago(t.finished_at || t.started_at)}. Show the report`;
    }
    if (tbody.children[i] !== row) tbody.insertBefore(row, tbody.children[i] || null);
  });
  for (const row of [...tbody.children]) {
    if (!seen.has(row.dataset.id)) {
      row.remove();
      nodeRows.delete(row.dataset.id);
    }
  }
  state.nodeIds = entries.map((e) => e.node.id);
  renderNodeWeights();
  setText($("node-count"), entries.length ? `(${entries.length})` : "");
  $("no-nodes").hidden = entries.length > 0;
  const summary = $("status-summary");
  summary.replaceChildren(...Object.keys(counts).sort().map((k) =>
    el("span", {}, el("span", { class: "status", "data-status": k, textContent: k }), " " + counts[k])));
}

function renderNodeWeights() {
  const box = $("node-weights");
  const ids = state.nodeIds || [];
  const seen = new Set(ids);
  ids.forEach((id, i) => {
    let item = weightItems.get(id);
    if (!item) {
      item = el("div", { class: "node-weight", "data-id": id }, el("span", { class: "who" }), el("span", { class: "chart" }),
        el("span", { class: "value" }));
      weightItems.set(id, item);
    }
    if (box.children[i] !== item) box.insertBefore(item, box.children[i] || null);
    const values = [];
    for (let e = state.latestEpoch - EPOCHS_SHOWN + 1; e <= state.latestEpoch; e++) {
      const w = state.weights.get(e);
      values.push(w ? w.nodes.get(id) || 0 : null);
    }
    setText(item.querySelector(".who"), id);
    const latest = [...values].reverse().find((v) => v != null);
    setText(item.querySelector(".value"), latest == null ? "–" : latest);
    const key = values.join(",");
    const chart = item.querySelector(".chart");
    if (chart.dataset.key === key) return;
    chart.dataset.key = key;
    const max = Math.max(1, ...values.filter((v) => v != null));
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("class", "spark");
    svg.setAttribute("viewBox", `0 0 ${EPOCHS_SHOWN * 10} 20`);
    svg.setAttribute("preserveAspectRatio", "none");
    values.forEach((v, j) => {
      if (v == null) return;
      const h = v === 0 ? 2 : Math.max(2, (v / max) * 20);
      const r = document.createElementNS("http://www.w3.org/2000/svg", "rect");
      r.setAttribute("x", j * 10 + 1); r.setAttribute("width", 8);
      r.setAttribute("y", 20 - h); r.setAttribute("height", h);
      if (v === 0) r.setAttribute("class", "zero");
      svg.append(r);
    });
    chart.title = values.map((v, j) => `epoch ${state.latestEpoch - EPOCHS_SHOWN + 1 + j}: ${v == null ? "–" : v}`).join("\n");
    chart.replaceChildren(svg);
  });
  for (const item of [...box.children]) {
    if (!seen.has(item.dataset.id)) {
      item.remove();
      weightItems.delete(item.dataset.id);
    }
  }
}

async function refreshNodes() {
  const [entries, tests] = await Promise.all([api("GET", "/admin/v1/nodes"), api("GET", "/admin/v1/nodes/tests")]);
  state.tests = new Map(tests.map((t) => [t.node_id, t]));
  renderNodes(entries);
}

// ---- epoch ----

function renderEpoch(latest) {
  const height = latest.block_height;
  const stages = latest.epoch_stages || {};
  const index = latest.latest_epoch && latest.latest_epoch.index ? latest.latest_epoch.index : 0;
  state.latestEpoch = index;
  setText($("epoch-index"), index);
  setText($("block-height"), height);
  const phase = $("epoch-phase");
  setText(phase, latest.phase);
  phase.dataset.phase = latest.phase;

  // block time from what we watched (works against any chain, no setting needed)
  const now = Date.now();
  state.blocks.push({ t: now, h: height });
  while (state.blocks.length > 2 && now - state.blocks[0].t > 120000) state.blocks.shift();
  const first = state.blocks[0];
  const perBlock = height > first.h ? (now - first.t) / 1000 / (height - first.h) : NaN;
  const next = stages.next_poc_start || (latest.next_epoch_stages || {}).poc_start;
  setText($("next-poc"), next ? (height >= next ? "now" : `in ${height < next ? next - height : 0} blocks` +
    (isFinite(perBlock) ? ` (≈ ${duration((next - height) * perBlock)})` : "")) : "–");

  const start = stages.poc_start || 0;
  const end = next || start + 1;
  const span = Math.max(1, end - start);
  const parts = [
    ["gen", start, stages.poc_generation_end || start],
    ["gap", stages.poc_generation_end || start, stages.poc_validation_start || stages.poc_generation_end || start],
    ["val", stages.poc_validation_start || start, stages.poc_validation_end || start],
    ["wait", stages.poc_validation_end || start, stages.set_new_validators || stages.poc_validation_end || start],
    ["inf", stages.set_new_validators || start, end],
  ];
  const key = parts.map((p) => p.join(":")).join("|");
  const segments = $("segments");
  if (segments.dataset.key !== key) {
    segments.dataset.key = key;
    segments.replaceChildren(...parts.filter(([, a, b]) => b > a).map(([cls, a, b]) =>
      el("div", { class: cls, title: `${cls} ${a}–${b}`, style: `width:${((b - a) / span) * 100}%` })));
  }
  const at = Math.min(1, Math.max(0, (height - start) / span));
  $("now-marker").style.left = (at * 100).toFixed(2) + "%";
}

async function refreshEpoch() {
  try {
    renderEpoch(await api("GET", "/admin/v1/epochs/latest"));
  } catch (e) {
    setText($("epoch-phase"), "unavailable");
    $("epoch-phase").dataset.phase = "";
    $("epoch-phase").title = e.message;
  }
  try {
    renderChainStatus(await api("GET", "/admin/v1/chain/status"));
  } catch (e) {
    renderChainStatus({ sync: "UNKNOWN", reason: e.message });
  }
}

const SYNC_WORDS = { LIVE: "live", CATCHING_UP: "catching up", STALE: "stale", UNREACHABLE: "unreachable",
  NOT_STARTED: "connecting", UNKNOWN: "unknown" };

/** The chain followed and why PoC work pauses, if it does (the reason is the tooltip). */
function renderChainStatus(chain) {
  state.hostAddress = chain.account || state.hostAddress;
  const node = $("chain-sync");
  node.dataset.sync = chain.sync;
  setText(node, (SYNC_WORDS[chain.sync] || chain.sync) + (chain.network ? " · " + chain.network : ""));
  node.title = chain.reason || `${chain.node_url || ""} at height ${chain.latest_height}`;
}

// ---- weights ----

async function refreshWeights() {
  const wanted = [];
  for (let e = Math.max(1, state.latestEpoch - EPOCHS_SHOWN + 1); e <= state.latestEpoch; e++) wanted.push(e);
  if (state.hostAddress) {
    await Promise.all(wanted.map(async (e) => {
      const known = state.weights.get(e);
      if (known && e < state.latestEpoch - 1) return; // settled epochs do not change
      try {
        state.weights.set(e, hostWeights(await api("GET", `/admin/v1/epochs/${e}/participants`)));
      } catch (err) {
        if (err.status !== 404 && err.status !== 400) throw err; // 404: none yet, or PoC failed
      }
    }));
  }
  for (const e of [...state.weights.keys()]) if (e <= state.latestEpoch - EPOCHS_SHOWN) state.weights.delete(e);
  renderHostWeights(wanted);
  renderNodeWeights();
  await refreshParticipants();
  await refreshHostOnChain();
}

/** This host in an epoch's participants: its weight and each ML node's poc_weight (none: it earned nothing). */
function hostWeights(body) {
  const list = (body && body.active_participants && body.active_participants.participants) || [];
  const me = list.find((p) => p.index === state.hostAddress);
  const nodes = new Map();
  for (const group of (me && me.ml_nodes) || []) {
    for (const n of group.ml_nodes || []) nodes.set(n.node_id, (nodes.get(n.node_id) || 0) + (n.poc_weight || 0));
  }
  return { host_weight: me ? me.weight || 0 : 0, nodes };
}

/** The chain's participants of the epoch in force, with their weights. */
async function refreshParticipants() {
  let body = null;
  try {
    body = await api("GET", "/admin/v1/epochs/current/participants");
  } catch (err) {
    if (err.status !== 404 && err.status !== 400) throw err;
  }
  const active = body ? body.active_participants || {} : {};
  const list = active.participants || [];
  $("no-participants").hidden = list.length > 0;
  setText($("chain-epoch"), active.epoch_id || "–");
  const me = list.find((p) => p.index === state.hostAddress);
  setText($("chain-host-weight"), me ? me.weight || 0 : (list.length ? "not a participant" : "–"));
  $("participant-rows").replaceChildren(...list.map((p) => el("tr", { class: p.index === state.hostAddress ? "me" : "" },
    el("td", { class: "node" }, p.index), el("td", { class: "num" }, String(p.weight || 0)),
    el("td", { class: "model opt" }, (p.models || []).join(", ")), el("td", { class: "seen opt" }, p.inference_url || ""))));
}

const TX_WORDS = { INCLUDED: "✓ on chain", SENT: "sent", QUEUED: "queued", FAILED: "✗ failed", EXPIRED: "✗ expired" };

/** What this host sent to the chain per epoch, and the votes about it. */
async function refreshHostOnChain() {
  const host = await api("GET", "/admin/v1/chain/host");
  const txs = host.txs || {};
  setText($("txs-open"), String((txs.QUEUED || 0) + (txs.SENT || 0)));
  setText($("txs-failed"), String((txs.FAILED || 0) + (txs.EXPIRED || 0)));
  $("tx-problem").hidden = !host.problem;
  setText($("tx-problem"), host.problem ? "Not sending: " + host.problem : "");
  const epochs = host.epochs || [];
  $("no-host-epochs").hidden = epochs.length > 0;
  const status = (s) => el("span", { class: "tx " + (s || "none").toLowerCase() }, s ? TX_WORDS[s] || s : "–");
  $("host-epoch-rows").replaceChildren(...epochs.map((e) => {
    const commits = (e.commits || []).map((c) => `${c.included_count}${c.count > c.included_count ? " (+" + (c.count - c.included_count) + " not on chain)" : ""}`);
    const given = e.votes_given || {};
    const received = e.votes_received || [];
    const against = received.filter((v) => v.weight <= 0);
    return el("tr", {},
      el("td", { class: "num" }, String(e.epoch_index)),
      el("td", {}, status(e.seed)),
      el("td", { title: (e.commits || []).map((c) => c.model_id).join(", ") }, commits.join(", ") || "–"),
      el("td", { class: "opt" }, status(e.distribution)),
      el("td", {}, `✓ ${given.valid || 0} ✗ ${given.invalid || 0}` + ((given.pending || 0) + (given.sent || 0) ? ` … ${(given.pending || 0) + (given.sent || 0)}` : "")),
      el("td", { class: against.length ? "against" : "", title: received.map((v) => `${v.validator}: ${v.weight}`).join("\n") },
        `for ${received.length - against.length}, against ${against.length}`),
      el("td", {}, status(e.claim)));
  }));
  $("failed-txs").replaceChildren(...(host.failed_txs || []).map((t) =>
    el("li", {}, el("code", {}, t.purpose), ` ${t.status.toLowerCase()}: ${t.log || ""}`)));
}

function renderHostWeights(epochs) {
  state.shownEpochs = epochs;
  const points = epochs.map((e) => ({ e, w: state.weights.has(e) ? state.weights.get(e).host_weight : null }));
  const have = points.filter((p) => p.w != null);
  $("no-weights").hidden = have.length > 0;
  const latest = have.length ? have[have.length - 1] : null;
  setText($("host-weight"), latest ? `${latest.w} (epoch ${latest.e})` : "–");
  const svg = $("weight-chart");
  const key = points.map((p) => p.e + ":" + p.w).join(",") + "@" + Math.round(svg.getBoundingClientRect().width);
  if (svg.dataset.key === key) return;
  svg.dataset.key = key;
  const max = Math.max(1, ...have.map((p) => p.w));
  const ns = "http://www.w3.org/2000/svg";
  const total = Math.max(320, Math.round(svg.getBoundingClientRect().width) || 640);
  svg.setAttribute("viewBox", `0 0 ${total} 140`);
  const width = total / EPOCHS_SHOWN;
  const bar = Math.min(width - 12, 64);
  const children = [];
  points.forEach((p, i) => {
    const x = i * width;
    const label = document.createElementNS(ns, "text");
    label.setAttribute("x", x + width / 2); label.setAttribute("y", 136); label.setAttribute("text-anchor", "middle");
    label.textContent = p.e;
    children.push(label);
    if (p.w == null) return;
    const h = Math.max(1, (p.w / max) * 104);
    const r = document.createElementNS(ns, "rect");
    r.setAttribute("x", x + (width - bar) / 2); r.setAttribute("width", bar); r.setAttribute("y", 120 - h); r.setAttribute("height", h);
    const title = document.createElementNS(ns, "title");
    title.textContent = `epoch ${p.e}: weight ${p.w}`;
    r.append(title);
    const value = document.createElementNS(ns, "text");
    value.setAttribute("x", x + width / 2); value.setAttribute("y", 116 - h); value.setAttribute("text-anchor", "middle");
    value.textContent = p.w;
    children.push(r, value);
  });
  svg.replaceChildren(...children);
}

// ---- the loop ----

async function tick() {
  try {
    await Promise.all([refreshNodes(), refreshEpoch()]);
    setText($("updated"), "updated " + new Date().toLocaleTimeString());
    $("updated").classList.remove("error");
  } catch (e) {
    setText($("updated"), "update failed: " + e.message);
    $("updated").classList.add("error");
  }
}

async function weightsTick() {
  try {
    await refreshWeights();
  } catch (e) {
    // the next round tries again; the nodes table does not depend on it
  }
}

document.addEventListener("DOMContentLoaded", async () => {
  $("signout").hidden = !token();
  $("signout").addEventListener("click", () => { sessionStorage.removeItem(TOKEN_KEY); location.reload(); });
  await tick();
  await weightsTick();
  setInterval(tick, REFRESH_MS);
  setInterval(weightsTick, WEIGHTS_REFRESH_MS);
  window.addEventListener("resize", () => { if (state.shownEpochs) renderHostWeights(state.shownEpochs); });
});
