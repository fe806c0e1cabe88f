// The audit trail and background jobs in a real browser: a customer's History tab after an edit,
// Settings › Audit log with its filters, pages and details (and hidden from a viewer), exports of
// a filtered list downloaded and read back, and Settings › Jobs with a real export, a failed job
// retried, and a running one followed and cancelled. The server runs the `test.touch` job kind
// (--enable-test-jobs) for the running job only; two workers, so exports do not wait behind it.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { apiClient, checkAccessibility, shots, signInAsOperator, signInAsStaff, useServerAndBrowser } from "./harness.mjs";

const env = useServerAndBrowser({ serveArgs: ["--enable-test-jobs", "--job-workers", "2"] });
const phone = { width: 375, height: 740 };

let call;  // the operator's API client (an API token: its entries' actor is "api token")
const ids = {};

async function seed() {
  if (call) return;
  call = apiClient(env);
  const people = [
    ["Nora Ander", "US", "Boston"], ["Mia Alexander", "US", "Austin"], ["Sandra Anders", "DE", "Berlin"],
    ["Oliver Grant", "US", "Denver"], ["Paula Hart", "CA", "Toronto"],
  ];
  for (const [name, country, city] of people) {
    ids[name] = (await call("POST", "/api/customers", {
      name, account_type: "individual", email: `${name.toLowerCase().replace(/ /g, ".")}@example.com`,
      address: { city, country },
    })).id;
  }
}

/** The text of each History entry, newest first. */
function historyEntries(page) {
  return page.getByTestId("history-entry").allInnerTexts();
}

test("the History tab shows an edit's fields old → new and who made it, with older entries on Load more", async () => {
  await seed();
  const id = ids["Oliver Grant"];
  // 21 changes through the API first, so that the first page (20) ends before the record's creation.
  for (let i = 1; i <= 21; i++) await call("PATCH", `/api/customers/${id}`, { reference: `R-${i}` });

  const page = await signInAsOperator(env);
  await page.goto(`${env.server.url}/app/customers/${id}/edit`);
  await page.getByRole("heading", { name: "Edit Oliver Grant" }).waitFor();
  await page.getByLabel("City").fill("Boulder");
  await page.getByLabel("Tax ID").fill("US-99");
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.waitForURL(new RegExp(`/app/customers/${id}$`));

  await page.getByRole("tab", { name: "History" }).click();
  await page.getByTestId("history-entry").first().waitFor();
  const [newest, previous] = await historyEntries(page);
  assert.match(newest, /^Updated\n/);
  assert.match(newest, /Operator \(user\)/);  // signed in through the page: a user, not the token
  assert.match(newest, /just now|second/);
  assert.match(newest, /Address › City: Denver\s*→\s*(changed to\s*)?Boulder/);
  assert.match(newest, /Tax ID: empty\s*→\s*(changed to\s*)?•••/);  // masked, as the server sends it
  assert.match(previous, /Reference: R-20\s*→\s*(changed to\s*)?R-21/);
  assert.match(previous, /Operator \(api token\)/);
  assert.equal((await historyEntries(page)).length, 20);
  assert.equal(await page.getByText("Created", { exact: true }).count(), 0);
  await page.screenshot({ path: `${shots}/customer-history.png`, fullPage: true });

  await page.getByRole("button", { name: "Load more" }).click();
  await page.getByText("Created", { exact: true }).waitFor();
  const all = await historyEntries(page);
  assert.equal(all.length, 23);
  assert.match(all[22], /^Created\n/);
  assert.match(all[22], /Name: Oliver Grant/);  // a new record: its values alone
  assert.equal(await page.getByRole("button", { name: "Load more" }).count(), 0);

  // Reload keeps the tab (?tab=history), and a phone shows the same.
  await page.setViewportSize(phone);
  await page.reload();
  await page.getByTestId("history-entry").first().waitFor();
  await page.screenshot({ path: `${shots}/customer-history-mobile.png` });
  await page.close();
});

/** The rows' text of the audit log's table, once it has settled. */
async function logRows(page) {
  await page.waitForFunction(() => document.querySelector('[data-testid="audit-results"]')?.getAttribute("aria-busy") === "false");
  return page.getByTestId("audit-entry").allInnerTexts();
}

/** The entries' ids, in the order shown. */
function logIds(page) {
  return page.evaluate(() => [...document.querySelectorAll('[data-testid="audit-entry"]')].map((r) => Number(r.dataset.entry)));
}

test("Settings › Audit log filters by record, action, actor and days, pages by cursor and shows an entry's details", async () => {
  await seed();
  await call("POST", "/api/tags", { name: "VIP", color: "#fab005" });
  // 55 more entries, so the log has a second page.
  for (let i = 0; i < 55; i++) await call("PATCH", `/api/customers/${ids["Paula Hart"]}`, { reference: `P-${i}` });

  const page = await signInAsOperator(env);
  await page.getByRole("link", { name: "Audit log" }).click();
  await page.getByRole("heading", { name: "Audit log" }).waitFor();
  assert.equal((await logRows(page)).length, 50);
  const first = await logIds(page);
  assert.deepEqual(first, [...first].sort((a, b) => b - a));  // newest first
  await page.screenshot({ path: `${shots}/audit-log.png` });
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByText("Page 2").waitFor();
  await logRows(page);
  const second = await logIds(page);
  assert.ok(second.length > 0);
  assert.ok(Math.max(...second) < Math.min(...first));  // the older ones, none twice
  await page.getByRole("button", { name: "Previous" }).click();
  await page.getByText("Page 1").waitFor();

  // Record: tags only.
  await page.getByRole("textbox", { name: "Record", exact: true }).click();
  await page.getByRole("option", { name: "Tag", exact: true }).click();
  await page.waitForURL(/entity=tag/);
  const tags = await logRows(page);
  assert.equal(tags.length, 1);
  assert.match(tags[0], /Created\s+Tag #\d+\s+Name, Color/);

  // Action and record id: the Paula Hart updates, by the token.
  await page.getByRole("button", { name: "Clear filters" }).click();
  await page.getByRole("textbox", { name: "Action" }).fill("customer.updated");
  await page.getByLabel("Record id").fill(String(ids["Paula Hart"]));
  await page.waitForURL((url) => url.searchParams.get("action") === "customer.updated" && url.searchParams.has("entity_id"));
  let rows = await logRows(page);
  assert.equal(rows.length, 50);
  assert.ok(rows.every((row) => row.includes("Updated") && row.includes(`Customer #${ids["Paula Hart"]}`)));
  assert.ok(rows.every((row) => row.includes("Operator (api token)")));
  await page.getByRole("textbox", { name: "Action" }).fill("customer.");  // not an action yet: said, not sent
  await page.getByText("An action such as customer.updated, or customer.*").waitFor();
  assert.equal(new URL(page.url()).searchParams.get("action"), "customer.updated");

  // Actor: people signed in through the page; the operator's sign-in is there, the token's edits not.
  await page.getByRole("button", { name: "Clear filters" }).click();
  await page.getByRole("textbox", { name: "Actor" }).click();
  await page.getByRole("option", { name: "User", exact: true }).click();
  await page.waitForURL(/actor=user/);
  rows = await logRows(page);
  assert.ok(rows.length >= 1);
  assert.ok(rows.every((row) => row.includes("(user)")));
  assert.ok(rows.some((row) => row.includes("Signed in")));

  // Days: today has everything; a day long past has nothing.
  const today = new Date().toLocaleDateString("sv");  // YYYY-MM-DD, local
  await page.goto(`${env.server.url}/app/settings/audit-log?actor=user&from=${today}&to=${today}`);
  assert.deepEqual(await logRows(page), rows);
  await page.goto(`${env.server.url}/app/settings/audit-log?from=2020-01-01&to=2020-01-31`);
  await page.getByText("No entry matches these filters.").waitFor();

  // An entry's details: the edit made through the page has the browser's request.
  await page.goto(`${env.server.url}/app/settings/audit-log?entity=customer&action=customer.updated&actor=user`);
  rows = await logRows(page);
  assert.match(rows[0], /Address › City, Tax ID/);
  await page.getByTestId("audit-entry").first().getByRole("button", { name: "Details" }).click();
  const drawer = page.getByRole("dialog", { name: /Customer #\d+: Updated/ });
  await drawer.getByText("Address › City:").waitFor();
  const details = await drawer.innerText();
  assert.match(details, /customer\.updated/);
  assert.match(details, /Denver\s*→\s*(changed to\s*)?Boulder/);
  assert.match(details, /REQUEST ID\s+[\w.-]{6,}/i);
  assert.match(details, /ADDRESS\s+127\.0\.0\.1/i);
  assert.match(details, /USER AGENT\s+.*Chrome/i);
  await page.screenshot({ path: `${shots}/audit-log-details.png` });
  await page.keyboard.press("Escape");
  await drawer.waitFor({ state: "hidden" });

  // A phone: the filters in a drawer.
  await page.setViewportSize(phone);
  await page.goto(`${env.server.url}/app/settings/audit-log?entity=tag`);
  assert.equal((await logRows(page)).length, 1);
  await page.screenshot({ path: `${shots}/audit-log-mobile.png` });
  await page.getByRole("button", { name: "Filters", exact: true }).click();
  const filtersDrawer = page.getByRole("dialog", { name: "Filters" });
  assert.equal(await filtersDrawer.getByRole("textbox", { name: "Record", exact: true }).inputValue(), "Tag");
  await page.screenshot({ path: `${shots}/audit-log-filters-mobile.png` });
  await filtersDrawer.getByRole("button", { name: "Show entries" }).click();
  await page.close();
});

test("a viewer sees neither the audit log nor the jobs", async () => {
  await seed();
  const page = await signInAsStaff(env, call, { role: "viewer", email: "vera@shop.example", name: "Vera Viewer" });
  await page.getByRole("link", { name: "Tags" }).waitFor();
  assert.equal(await page.getByRole("link", { name: "Audit log" }).count(), 0);
  assert.equal(await page.getByRole("link", { name: "Jobs" }).count(), 0);
  await page.goto(`${env.server.url}/app/settings/audit-log`);
  await page.getByText("The workspace's owners and admins see its audit log.").waitFor();
  assert.equal(await page.getByTestId("audit-entry").count(), 0);
  await page.goto(`${env.server.url}/app/settings/jobs`);
  await page.getByText("The workspace's owners and admins see its background jobs.").waitFor();
  // The History tab is the customer's: whoever sees the customer sees it.
  await page.goto(`${env.server.url}/app/customers/${ids["Nora Ander"]}?tab=history`);
  await page.getByTestId("history-entry").first().waitFor();
  await page.close();
});

/** Parses the CSV export (RFC 4180, with a BOM) into objects by header. */
function parseCsv(text) {
  assert.equal(text.charCodeAt(0), 0xfeff);
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(cell); cell = ""; } else if (c === "\r") continue;
    else if (c === "\n") { row.push(cell); rows.push(row); row = []; cell = ""; } else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  const [header, ...data] = rows;
  return data.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

test("Export downloads what the filtered list shows, with a notification and its link wherever the user went", async () => {
  await seed();
  const page = await signInAsOperator(env);
  // The list as a person narrows it: "ander" in the US, Z to A.
  await page.goto(`${env.server.url}/app/customers?q=ander&country=US&sort=-name`);
  await page.getByRole("tab", { name: /All\s*2/ }).waitFor();
  await page.getByRole("button", { name: "Export" }).click();
  const dialog = page.getByRole("dialog", { name: "Export customers" });
  await dialog.getByText("The 2 customers this list shows, with its search and filters").waitFor();
  await checkAccessibility(page, "the export dialog");
  await dialog.getByRole("button", { name: "Export" }).click();
  await dialog.waitFor({ state: "hidden" });
  // Off to another page while the file is made: the notification comes there.
  await page.getByRole("link", { name: "Tags" }).click();
  const ready = page.getByRole("alert").filter({ hasText: "Export ready" });
  await ready.waitFor();
  assert.match(page.url(), /\/app\/settings\/tags$/);
  assert.match(await ready.innerText(), /2 customers/);
  await page.screenshot({ path: `${shots}/export-ready.png` });
  const [download] = await Promise.all([page.waitForEvent("download"), ready.getByTestId("export-download").click()]);
  assert.match(download.suggestedFilename(), /^customers-\d+\.csv$/);
  const rows = parseCsv(readFileSync(await download.path(), "utf8"));
  assert.deepEqual(rows.map((r) => r.name), ["Nora Ander", "Mia Alexander"]);
  assert.deepEqual(rows.map((r) => r.country), ["US", "US"]);
  await ready.getByRole("button", { name: "Close notification" }).click();

  // JSON lines of the companies-less "individuals" preset in Canada: one line per customer.
  await page.goto(`${env.server.url}/app/customers?preset=individuals&country=CA`);
  await page.getByRole("tab", { name: /Individuals\s*1/ }).waitFor();
  await page.getByRole("button", { name: "Export" }).click();
  await page.getByRole("radio", { name: /JSON lines/ }).check();
  await page.getByRole("dialog", { name: "Export customers" }).getByRole("button", { name: "Export" }).click();
  const second = page.getByRole("alert").filter({ hasText: "Export ready" });
  await second.waitFor();
  const [jsonl] = await Promise.all([page.waitForEvent("download"), second.getByTestId("export-download").click()]);
  const lines = readFileSync(await jsonl.path(), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((c) => [c.name, c.address.city]), [["Paula Hart", "Toronto"]]);
  await page.close();
});

/** The row of a job on the Jobs page. */
const jobRow = (page, id) => page.locator(`[data-testid="job-row"][data-job="${id}"]`);

test("Settings › Jobs lists exports, shows a failure's error and retries it, follows a running job and cancels it", async () => {
  await seed();
  const done = await call("POST", "/api/customers/exports", { format: "csv", filter: { country: "DE" } });
  // A job that fails for good with no test flag: an export whose payload lacks its format.
  env.server.cli("jobs", "enqueue", "--db", "{db}", "customers.export", "--payload", "{}", "--workspace", "1");

  const page = await signInAsOperator(env);
  await page.getByRole("link", { name: "Jobs" }).click();
  await page.getByRole("heading", { name: "Jobs" }).waitFor();
  await jobRow(page, done.id).getByText("Done").waitFor();
  assert.match(await jobRow(page, done.id).innerText(), /1 row · Download/);
  const failed = page.getByTestId("job-row").filter({ has: page.getByTestId("job-error") }).first();
  await failed.getByText("Failed", { exact: true }).waitFor();
  assert.match(await failed.innerText(), /the payload needs a format and a filter/);
  const failedId = await failed.getAttribute("data-job");
  await page.screenshot({ path: `${shots}/jobs.png` });

  // Filters: the dead ones, then the exports.
  await page.getByRole("textbox", { name: "State" }).click();
  await page.getByRole("option", { name: "Failed", exact: true }).click();
  await page.waitForURL(/state=dead/);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="job-row"]').length === 1);
  assert.equal(await jobRow(page, failedId).count(), 1);

  // Retry: queued again, fails again (its attempts given back, used once more).
  await jobRow(page, failedId).getByRole("button", { name: `Retry job ${failedId}` }).click();
  await page.getByText(`Job #${failedId} queued again.`).waitFor();
  await page.goto(`${env.server.url}/app/settings/jobs?kind=customers.export`);
  await jobRow(page, failedId).getByText("Failed", { exact: true }).waitFor();
  assert.match(await jobRow(page, failedId).innerText(), /1 of 5/);
  const exports = await page.getByTestId("job-row").allInnerTexts();
  assert.ok(exports.length >= 2 && exports.every((text) => text.startsWith("Customer export")));  // the exports only

  // A running job: its progress moves without a reload; Cancel asks first.
  env.server.cli("jobs", "enqueue", "--db", "{db}", "test.touch", "--enable-test-jobs", "--workspace", "1",
    "--payload", JSON.stringify({ steps: 200, sleep_ms: 100_000 }));
  const running = (await call("GET", "/api/jobs?kind=test.touch")).data[0].id;
  await page.goto(`${env.server.url}/app/settings/jobs`);
  const row = jobRow(page, running);
  await row.getByText("Running").waitFor();
  const bar = row.getByRole("progressbar", { name: `Job ${running} progress` });
  await page.waitForFunction((id) => Number(document.querySelector(`[data-job="${id}"] [role="progressbar"]`)
    ?.getAttribute("aria-valuenow")) >= 1, running, { timeout: 10_000 });
  const before = Number(await bar.getAttribute("aria-valuenow"));
  await page.waitForFunction(([id, was]) => Number(document.querySelector(`[data-job="${id}"] [role="progressbar"]`)
    ?.getAttribute("aria-valuenow")) > was, [running, before], { timeout: 10_000 });
  await page.screenshot({ path: `${shots}/jobs-running.png` });
  await row.getByRole("button", { name: `Cancel job ${running}` }).click();
  const confirm = page.getByRole("dialog", { name: `Cancel job #${running}?` });
  await confirm.getByText("stops at its next step").waitFor();
  await checkAccessibility(page, "the cancel confirmation");
  await confirm.getByRole("button", { name: "Keep it" }).click();
  await confirm.waitFor({ state: "hidden" });
  assert.equal(await row.getByText("Running").count(), 1);
  await row.getByRole("button", { name: `Cancel job ${running}` }).click();
  await confirm.getByRole("button", { name: "Cancel the job" }).click();
  await row.getByText("Cancelled").waitFor();
  assert.equal(await row.getByRole("button").count(), 0);  // nothing more to do with it

  await page.setViewportSize(phone);
  await page.reload();
  await jobRow(page, running).getByText("Cancelled").waitFor();
  await page.screenshot({ path: `${shots}/jobs-mobile.png` });
  await page.close();
});
