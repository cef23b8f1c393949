// The dashboard in a real browser (Debian's Chromium, driven by playwright-core), against the packaged
// stack DashboardIT started. Exits non-zero on the first failed expectation.
//
// env: DASHBOARD_URL, ADMIN_TOKEN, KILL_PID (the simulated node to kill), NODE_IDS (comma-separated),
//      VICTIM_ID (the node KILL_PID serves), SHOTS (folder for screenshots), CHROMIUM (default /usr/bin/chromium)
import { check, env, launch } from "./browser.mjs";
import { mkdirSync } from "node:fs";

const url = env("DASHBOARD_URL");
const token = env("ADMIN_TOKEN");
const ids = env("NODE_IDS").split(",");
const victim = env("VICTIM_ID");
const shots = env("SHOTS", "target/dashboard");
const WAIT = 120_000;
mkdirSync(shots, { recursive: true });

const browser = await launch();
const errors = [];
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.on("pageerror", (e) => errors.push("page error: " + e.message));
  page.on("console", (m) => {
    // Chromium reports every 401 (token missing), 404 (an epoch without participants yet) and 400 (the participants
    // of epoch 0, in force before the first PoC) that the page handles as a failed resource; those are expected
    // answers, not errors of the page
    const expected = /^Failed to load resource: the server responded with a status of 40[014]/.test(m.text());
    if (m.type() === "error" && !expected) errors.push("console: " + m.text());
  });
  page.on("dialog", (d) => d.accept());

  // the admin token is asked for, kept in the tab, and a wrong one is refused
  await page.goto(url);
  await page.locator("#token-dialog[open]").waitFor({ timeout: 30_000 });
  await page.fill("#token-input", "wrong-token");
  await page.click("#token-form button[type=submit]");
  await page.locator("#token-error:not([hidden])").waitFor({ timeout: 30_000 });
  check(true, "a wrong admin token is refused");
  await page.fill("#token-input", token);
  await page.click("#token-form button[type=submit]");

  // the table lists the nodes, in node_num order, with their model and status
  const row = (id) => page.locator(`tr[data-id="${id}"]`);
  for (const id of ids) {
    await row(id).locator("td.st .status[data-status=INFERENCE]").waitFor({ timeout: WAIT });
  }
  const listed = await page.locator("#node-rows tr").evaluateAll((rows) => rows.map((r) => r.dataset.id));
  check(JSON.stringify(listed) === JSON.stringify(ids), `the table lists ${ids.join(", ")} (got ${listed.join(", ")})`);
  check((await row(ids[0]).locator("td.model").getAttribute("title")).startsWith("Qwen/"), "each row shows the node's model");

  // the page refreshes itself without shifting its layout
  await page.evaluate(() => {
    window.__shift = 0;
    window.__shifted = [];
    const describe = (n) => !n ? "?" : n.id ? "#" + n.id : n.nodeType === 1
      ? n.tagName.toLowerCase() + (n.className ? "." + String(n.className).split(" ")[0] : "") + " in " + describe(n.parentElement)
      : describe(n.parentElement);
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.hadRecentInput) continue;
        window.__shift += e.value;
        window.__shifted.push(e.value.toFixed(4) + ": " + (e.sources || []).map((src) => describe(src.node)).join(", "));
      }
    }).observe({ type: "layout-shift", buffered: false });
  });
  const before = await page.textContent("#updated");
  await page.waitForFunction((b) => document.getElementById("updated").textContent !== b, before, { timeout: 30_000 });
  const phase0 = await page.textContent("#epoch-phase");
  const height0 = Number(await page.textContent("#block-height"));

  // the epoch advances on the page: the block height grows and the phase moves on
  await page.waitForFunction((p) => {
    const now = document.getElementById("epoch-phase").textContent;
    return now !== p && now !== "unavailable" && now !== "–";
  }, phase0, { timeout: WAIT, polling: 500 });
  const phase1 = await page.textContent("#epoch-phase");
  const height1 = Number(await page.textContent("#block-height"));
  check(height1 > height0, `the block height advances (${height0} -> ${height1})`);
  check(phase1 !== phase0, `the phase advances (${phase0} -> ${phase1})`);
  const shift = await page.evaluate(() => window.__shift);
  const shifted = await page.evaluate(() => window.__shifted.join("; "));
  check(shift < 0.01, `refreshing does not shift the layout (cumulative shift ${shift.toFixed(4)}${shifted ? ": " + shifted : ""})`);

  // disable and enable with the buttons; the Admin API agrees
  const other = ids.find((id) => id !== victim);
  await row(other).locator("button.toggle").click();
  await row(other).locator("td.enabled", { hasText: "no" }).waitFor({ timeout: 30_000 });
  const disabled = await page.evaluate(async ([id, t]) => (await (await fetch("/admin/v1/nodes/" + id,
    { headers: { Authorization: "Bearer " + t } })).json()).state.admin_state.enabled, [other, token]);
  check(disabled === false, `Disable turned ${other} off in the registry`);
  check((await row(other).locator("button.toggle").textContent()) === "Enable", "the button now offers Enable");
  await row(other).locator("button.toggle").click();
  await row(other).locator("td.enabled", { hasText: "yes" }).waitFor({ timeout: 30_000 });
  check(true, `Enable turned ${other} back on`);

  // once the chain has settled a round the weights show up: the host's per epoch and each node's (the nodes may have
  // joined the chain's second epoch: up to two fast epochs of 1 s blocks)
  await page.waitForFunction(() => /^[1-9]/.test(document.getElementById("host-weight").textContent), null,
    { timeout: 300_000, polling: 500 });
  await page.locator(`#node-weights [data-id="${victim}"] svg rect`).first().waitFor({ timeout: 30_000 });
  check(true, `weights appear: host ${await page.textContent("#host-weight")}, and per node`);

  // a simulated node that dies turns FAILED on the page, with its reason
  process.kill(Number(env("KILL_PID")), "SIGKILL");
  await row(victim).locator("td.st .status[data-status=FAILED]").waitFor({ timeout: WAIT });
  const reason = await row(victim).locator("td.reason").textContent();
  check(reason.includes("unreachable"), `${victim} is FAILED: ${reason}`);
  await page.locator("#toast").waitFor({ state: "hidden", timeout: 30_000 });
  await page.screenshot({ path: `${shots}/dashboard.png`, fullPage: true });

  // the phone layout keeps the essential columns
  await page.setViewportSize({ width: 390, height: 844 });
  const hostVisible = await row(other).locator("td.model").isVisible();
  const statusVisible = await row(other).locator("td.st").isVisible()
    && (await row(other).locator("td.node .id").boundingBox()).width > 40;
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  check(statusVisible && !hostVisible && !overflow, "on a phone the table keeps node, status and actions, without sideways scrolling");
  await page.screenshot({ path: `${shots}/dashboard-phone.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 860 });

  // delete asks for confirmation (accepted here) and the row goes
  await row(victim).locator("button.delete").click();
  await row(victim).waitFor({ state: "detached", timeout: 30_000 });
  check(true, `Delete removed ${victim} after the confirmation`);

  check(errors.length === 0, "no script errors: " + errors.join("; "));
} finally {
  await browser.close();
}
