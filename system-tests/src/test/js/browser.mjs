// What the browser scripts share: their settings from the environment, one-line expectations, and Chromium
// launched the same way (headless Debian Chromium driven by playwright-core).
import { chromium } from "playwright-core";

export const env = (k, d) => process.env[k] ?? d;

export function check(condition, message) {
  if (!condition) throw new Error("expectation failed: " + message);
  console.log("ok - " + message);
}

export function launch() {
  return chromium.launch({
    executablePath: env("CHROMIUM", "/usr/bin/chromium"),
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}
