// node-registry's dashboard with every node of a large host (LargeHostBench): how long until the page paints and shows
// every row, and how long a refresh of the node table takes (fetch + render, and render alone). Prints one JSON line.
// Uses the browser tests' Chromium launcher and playwright-core (system-tests/src/test/js, installed there with npm ci).
import { launch, env } from "../../system-tests/src/test/js/browser.mjs";

const url = env("DASHBOARD_URL", "http://127.0.0.1:9200/");
const rows = Number(env("ROWS", "1000"));
const rounds = Number(env("ROUNDS", "10"));

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForFunction((n) => {
    if (document.querySelectorAll("#node-rows tr").length !== n) return false;
    window.__rowsShownAt ??= performance.now();
    return true;
  }, rows, { timeout: 120000, polling: "raf" });
  const shown = await page.evaluate(() => ({
    firstPaint: (performance.getEntriesByName("first-contentful-paint")[0] || {}).startTime ?? null,
    rowsShown: window.__rowsShownAt,
  }));
  // what the page does every 3 s, timed in the page: the node table's fetch and render, then the render alone
  const timed = await page.evaluate(async (n) => {
    const refresh = [], render = [];
    for (let i = 0; i < n; i++) {
      let t = performance.now();
      await refreshNodes();
      refresh.push(performance.now() - t);
      const entries = await api("GET", "/admin/v1/nodes");
      t = performance.now();
      renderNodes(entries);
      render.push(performance.now() - t);
    }
    return { refresh, render };
  }, rounds);
  if (errors.length) throw new Error("page errors: " + errors.join("; "));
  const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  console.log(JSON.stringify({
    rows, first_paint_ms: shown.firstPaint, rows_shown_ms: shown.rowsShown,
    refresh_p50_ms: median(timed.refresh), refresh_max_ms: Math.max(...timed.refresh),
    render_p50_ms: median(timed.render), render_max_ms: Math.max(...timed.render),
  }));
} finally {
  await browser.close();
}
