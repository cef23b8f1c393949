// The dashboard's Test button in a real browser (Debian's Chromium, driven by playwright-core), against the stack
// SelfTestIT started: a node serving inference asks before it is tested (accepted here), the report dialog follows
// the test to its verdict, a healthy node passes every step, a forging node fails its validation with the reason.
// Exits non-zero on the first failed expectation.
//
// env: DASHBOARD_URL, HEALTHY_ID, FAULTY_ID, SHOTS (folder for screenshots), CHROMIUM (default /usr/bin/chromium)
import { check, env, launch } from "./browser.mjs";
import { mkdirSync } from "node:fs";

const url = env("DASHBOARD_URL");
const healthy = env("HEALTHY_ID");
const faulty = env("FAULTY_ID");
const shots = env("SHOTS", "target/selftest");
const WAIT = 120_000;
mkdirSync(shots, { recursive: true });

const browser = await launch();
const errors = [];
let page;
try {
  page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
  page.on("pageerror", (e) => errors.push("page error: " + e.message));
  page.on("console", (m) => {
    // a 409 (the node serves inference: force is asked for) and the 400/404 of a chain that stands still are answers
    // the page handles, which Chromium also reports as failed resources
    const expected = /^Failed to load resource: the server responded with a status of 40[0149]/.test(m.text());
    if (m.type() === "error" && !expected) errors.push("console: " + m.text());
  });
  const asked = [];
  page.on("dialog", (d) => { asked.push(d.message()); d.accept(); });
  await page.goto(url);
  const row = (id) => page.locator(`tr[data-id="${id}"]`);

  for (const [id, verdict] of [[healthy, "passed"], [faulty, "failed"]]) {
    await row(id).locator("td.st .status[data-status=INFERENCE]").waitFor({ timeout: WAIT });
    await row(id).locator("button.test").click();
    await page.locator("#test-dialog[open]").waitFor({ timeout: 30_000 });
    check(asked.some((m) => m.includes(id) && m.includes("serving inference")), `testing ${id}, which serves inference, asks first`);
    await page.locator(`#test-status[data-status=${verdict}]`).waitFor({ timeout: WAIT });
    check((await page.locator("#test-title").textContent()).includes(id), `the report is ${id}'s`);
    const steps = await page.locator("#test-steps li").evaluateAll((items) =>
      items.map((li) => ({ step: li.dataset.step, passed: li.dataset.passed, why: li.querySelector(".why").textContent })));
    await page.screenshot({ path: `${shots}/selftest-${id}.png` });
    if (verdict === "passed") {
      check(steps.length === 5 && steps.every((s) => s.passed === "true"), `${id} passes all five steps: ${JSON.stringify(steps)}`);
      check(/nonces\/min/.test(await page.locator("#test-summary").textContent()), "the summary shows the nonce rate");
    } else {
      const last = steps[steps.length - 1];
      check(last.step === "poc_validation" && last.passed === "false" && last.why.includes("fraud_detected"),
        `${id} fails its validation with the reason: ${JSON.stringify(last)}`);
    }
    await page.click("#test-dialog button[type=submit]");
    await page.locator("#test-dialog[open]").waitFor({ state: "detached", timeout: 10_000 }).catch(() => {});
    check(!(await page.locator("#test-dialog").evaluate((d) => d.open)), "the report closes");
  }
  // each row keeps its node's last verdict, and it opens the last report
  await row(healthy).locator("button.last-test[data-status=passed]").waitFor({ timeout: 30_000 });
  await row(faulty).locator("button.last-test[data-status=failed]").waitFor({ timeout: 30_000 });
  check(true, `the rows show ${healthy}'s last test passed and ${faulty}'s failed`);
  await row(faulty).locator("button.last-test").click();
  await page.locator("#test-dialog[open] #test-status[data-status=failed]").waitFor({ timeout: 30_000 });
  check(await page.locator("#test-steps li[data-step=poc_validation][data-passed=false]").count() === 1,
    `${faulty}'s last report opens from its row, with the failed validation`);
  await page.screenshot({ path: `${shots}/selftest-rows.png` });
  await page.click("#test-dialog button[type=submit]");

  check(errors.length === 0, "no script errors: " + errors.join("; "));
} catch (e) {
  console.log("page errors so far: " + errors.join("; "));
  if (page) await page.screenshot({ path: `${shots}/selftest-failure.png`, fullPage: true }).catch(() => {});
  throw e;
} finally {
  await browser.close();
}
