// The accessibility check that the harness runs on every page the browser tests show (axe-core,
// WCAG 2.1 A and AA): it fails, naming the rule, its impact and the element, when a page breaks a
// rule, and it runs without the test asking when a test navigates or takes a screenshot.
import assert from "node:assert/strict";
import { test } from "node:test";

import { checkAccessibility, shots, useServerAndBrowser } from "./harness.mjs";

const env = useServerAndBrowser();

test("a page that breaks a WCAG rule fails the check, which says what and where", async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.server.url}/login`);  // checked: the login page passes
  await page.getByRole("tab", { name: "Admin login" }).waitFor();
  await checkAccessibility(page, "login");

  // An icon button without a name, and grey text too faint to read.
  await page.evaluate(() => {
    const button = Object.assign(document.createElement("button"), { id: "nameless", innerHTML: "<svg></svg>" });
    const faint = Object.assign(document.createElement("p"), { id: "faint", textContent: "Hard to read" });
    faint.style.color = "#bbbbbb";
    document.body.append(button, faint);
  });
  await assert.rejects(checkAccessibility(page, "broken"), (error) => {
    assert.match(error.message, /^Accessibility violations \(axe-core, WCAG 2\.1 A\/AA\) at \/login \(broken\):/);
    assert.match(error.message, /button-name \(critical\): .*\n\s+#nameless: <button id="nameless">/);
    assert.match(error.message, /color-contrast \(serious\): .*\n\s+#faint: <p id="faint"/);
    return true;
  });
  // A screenshot of it fails the same way, before anything is written.
  await assert.rejects(page.screenshot({ path: `${shots}/never-written.png` }), /button-name \(critical\)/);
  await page.evaluate(() => document.querySelectorAll("#nameless, #faint").forEach((e) => e.remove()));
  await page.close();
});
