// The dashboard of a host following chain-sim (ChainStackIT's stack), in a real browser: the epoch bar says the
// chain is live, and the "On chain" panel lists the epoch's participants with their weights, this host's own
// weight named. Exits non-zero on the first failed expectation.
//
// The "This host's transactions" panel shows the epoch's seed on chain, the commits and the votes received.
//
// env: DASHBOARD_URL, PEERS (comma-separated participant addresses expected), HOST (this host's address), EPOCH, SHOTS, CHROMIUM
import { check, env, launch } from "./browser.mjs";
import { mkdirSync } from "node:fs";

const url = env("DASHBOARD_URL");
const peers = env("PEERS").split(",");
const host = env("HOST");
const epoch = env("EPOCH");
const shots = env("SHOTS", "target/dashboard");
mkdirSync(shots, { recursive: true });

const browser = await launch();
const errors = [];
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
  page.on("pageerror", (e) => errors.push("page error: " + e.message));
  page.on("console", (m) => {
    // an epoch without participants yet answers 404 (and epoch 0 400), which the page handles; not an error of the page
    const expected = /^Failed to load resource: the server responded with a status of 40[04]/.test(m.text());
    if (m.type() === "error" && !expected) errors.push("console: " + m.text());
  });
  await page.goto(url);

  await page.waitForFunction(() => document.getElementById("chain-sync").textContent.startsWith("live"), null, { timeout: 30_000 });
  check(true, `the epoch bar says: chain ${await page.textContent("#chain-sync")}`);

  await page.locator("#chain-panel:not([hidden]) #participant-rows tr").first().waitFor({ timeout: 60_000 });
  const rows = await page.locator("#participant-rows tr").evaluateAll((trs) =>
    trs.map((tr) => ({ who: tr.cells[0].textContent, weight: Number(tr.cells[1].textContent) })));
  for (const peer of peers) {
    const row = rows.find((r) => r.who === peer);
    check(row && row.weight > 0, `the chain's participant ${peer} is listed with weight ${row ? row.weight : "-"}`);
  }
  const mine = await page.textContent("#chain-host-weight");
  check(Number(mine) > 0, `this host's weight on chain is named: ${mine}`);
  const me = rows.find((r) => r.who === host);
  check(me && me.weight > 0, `this host (${host}) is a participant with weight ${me ? me.weight : "-"}`);
  // the weights panel charts the same figure per epoch, and the ML node's share of it
  await page.waitForFunction(() => /^[1-9]/.test(document.getElementById("host-weight").textContent), null, { timeout: 30_000 });
  const charted = await page.textContent("#host-weight");
  const [, w, e] = charted.match(/^(\d+) \(epoch (\d+)\)$/) || [];
  // (the next epoch's participants are written a few blocks before they take effect: then the panel is one ahead)
  check(w && (e !== await page.textContent("#chain-epoch") || Number(w) === me.weight), `the weights panel shows the chain's weight: ${charted}`);
  await page.locator("#node-weights .node-weight svg rect:not(.zero)").first().waitFor({ timeout: 30_000 });
  check(true, "the ML node's share is charted");

  await page.screenshot({ path: `${shots}/dashboard-chain.png`, fullPage: true });
  await page.locator("#host-chain-panel:not([hidden]) #host-epoch-rows tr").first().waitFor({ timeout: 60_000 })
    .catch((e) => check(false, `this host's epochs are listed (${e.message.split("\n")[0]}); page errors: ${errors.join("; ")}`));
  const epochs = await page.locator("#host-epoch-rows tr").evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  const row = epochs.find((cells) => cells[0] === epoch);
  check(row && row[1].includes("on chain"), `epoch ${epoch}'s seed is on chain: ${row}`);
  check(row && Number(row[2].split(" ")[0]) > 0, `epoch ${epoch}'s commits: ${row && row[2]}`);
  check(row && /^for [1-9]/.test(row[5]), `epoch ${epoch}'s votes received: ${row && row[5]}`);
  await page.screenshot({ path: `${shots}/dashboard-chain.png`, fullPage: true });

  check(errors.length === 0, "no script errors: " + errors.join("; "));
} finally {
  await browser.close();
}
