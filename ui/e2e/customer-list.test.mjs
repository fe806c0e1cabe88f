// The customer list and the workspace's lists in a real browser, on a workspace seeded through the
// API with customers whose names, tags and countries are known: search, presets and filters with
// their counts, the address bar keeping them, keyset pages, the card view, archiving and restoring
// selected rows, and the settings pages for tags, titles and industries.
import assert from "node:assert/strict";
import { test } from "node:test";

import { apiClient, checkAccessibility, shots, signInAsOperator, useServerAndBrowser } from "./harness.mjs";

const env = useServerAndBrowser();
const desktop = { width: 1280, height: 860 };
const phone = { width: 375, height: 740 };

const companies = [
  { name: "Acme Trading", country: "US", tags: ["Wholesale"] },
  { name: "Borealis Foods", country: "CA", tags: ["VIP", "Wholesale"] },
  { name: "Cobalt Systems", country: "DE", tags: ["VIP"] },
  { name: "Delta Logistics", country: "US", tags: ["VIP"] },
];
const people = [
  { name: "Leander Brooks", country: "CA" },
  { name: "Mia Alexander", country: "US" },
  { name: "Sandra Anders", country: "US", tags: ["VIP"] },
  { name: "Oliver Grant", country: "DE", tags: ["VIP"], title: "Mister" },
];
// 51 more, none of whose names or e-mails contain "ander".
const fillerCountries = ["FR", "GB", "DE", "CA", "US"];
const filler = ["Anna", "Ben", "Carla", "David", "Emma", "Felix", "Greta", "Hugo", "Ida", "Jonas", "Kara"]
  .flatMap((first) => ["Berg", "Costa", "Dahl", "Evans", "Fox"].map((last) => `${first} ${last}`))
  .slice(0, 51)
  .map((name, i) => ({ name, country: fillerCountries[i % fillerCountries.length] }));
const contact = { name: "Peter Quinn", country: "US" };  // of Acme Trading
const cities = { US: "Boston", CA: "Toronto", DE: "Berlin", FR: "Lyon", GB: "Leeds" };
const everyone = [...companies, ...people, ...filler, contact].map((c) => c.name);
const byName = (a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1);

let call;   // the operator's API client
const ids = {};  // name → id, of everything seeded

async function seed() {
  call = apiClient(env);
  const tags = {};
  for (const [name, color] of [["VIP", "#fab005"], ["Wholesale", "#40c057"]]) {
    tags[name] = (await call("POST", "/api/tags", { name, color })).id;
  }
  const titles = (await call("GET", "/api/customer-titles")).data;
  const body = (c, account_type) => ({
    name: c.name,
    account_type,
    email: `${c.name.toLowerCase().replace(/ /g, ".")}@example.com`,
    address: { city: cities[c.country], country: c.country },
    tag_ids: (c.tags ?? []).map((t) => tags[t]),
    ...(c.title ? { title_id: titles.find((t) => t.name === c.title).id } : {}),
  });
  for (const c of companies) ids[c.name] = (await call("POST", "/api/customers", body(c, "company"))).id;
  for (const c of [...people, ...filler]) ids[c.name] = (await call("POST", "/api/customers", body(c, "individual"))).id;
  const { account_type: _, ...asContact } = body(contact, "individual");
  ids[contact.name] = (await call("POST", `/api/customers/${ids["Acme Trading"]}/contacts`, asContact)).id;
  return tags;
}

/** The names the list shows, in order: the table's first column, or the cards' labels. */
function shownNames(page) {
  return page.evaluate(() => {
    const cards = [...document.querySelectorAll("article")];
    if (cards.length) return cards.map((a) => a.getAttribute("aria-label"));
    return [...document.querySelectorAll("tbody tr")].map((r) => r.querySelector("td").innerText.split("\n")[0].trim());
  });
}

/** Waits until the list has settled on exactly these names (or fails saying what it shows). */
async function expectNames(page, expected) {
  try {
    await page.waitForFunction((want) => {
      if (document.querySelector('[data-testid="customer-results"]')?.getAttribute("aria-busy") !== "false") return false;
      const cards = [...document.querySelectorAll("article")];
      const got = cards.length
        ? cards.map((a) => a.getAttribute("aria-label"))
        : [...document.querySelectorAll("tbody tr")].map((r) => r.querySelector("td").innerText.split("\n")[0].trim());
      return JSON.stringify(got) === JSON.stringify(want);
    }, expected, { timeout: 10_000 });
  } catch (error) {
    assert.deepEqual(await shownNames(page), expected);
    throw error;
  }
}

/** Waits until the preset tabs say these counts: ["All 60", "Individuals 56", …]. */
async function expectTabs(page, expected) {
  const read = () => page.evaluate(() =>
    [...document.querySelectorAll('[role="tab"]')].map((t) => t.innerText.replace(/\s+/g, " ").trim()));
  try {
    await page.waitForFunction((want) => JSON.stringify(
      [...document.querySelectorAll('[role="tab"]')].map((t) => t.innerText.replace(/\s+/g, " ").trim()),
    ) === JSON.stringify(want), expected, { timeout: 10_000 });
  } catch (error) {
    assert.deepEqual(await read(), expected);
    throw error;
  }
}

async function pick(page, label, option, { type } = {}) {
  const input = page.getByRole("dialog", { name: "Filters" }).getByLabel(label, { exact: true });
  await input.click();
  if (type) await input.fill(type);
  await page.getByRole("option", { name: option, exact: true }).click();
}

/** A shot at a phone's width, then back to the desk. */
async function phoneShot(page, name) {
  await page.setViewportSize(phone);
  await page.waitForTimeout(300);  // the layout follows the width
  await page.screenshot({ path: `${shots}/${name}` });
  await page.setViewportSize(desktop);
}

test("search, presets and filters narrow the list to exactly the right customers, with counts, and survive a reload", async () => {
  const tags = await seed();
  const page = await signInAsOperator(env, desktop);
  await page.getByRole("heading", { name: "Customers" }).waitFor();
  await expectNames(page, [...everyone].sort(byName).slice(0, 25));
  await expectTabs(page, ["All 60", "Individuals 56", "Companies 4", "Archived 0"]);
  assert.equal(await page.getByText("1–25 of 60").count(), 1);
  await page.screenshot({ path: `${shots}/customer-list.png`, fullPage: true });

  // Search as you type: name, e-mail or phone containing "ander".
  await page.getByLabel("Search customers").pressSequentially("ander", { delay: 30 });
  await expectNames(page, ["Leander Brooks", "Mia Alexander", "Sandra Anders"]);
  await expectTabs(page, ["All 3", "Individuals 3", "Companies 0", "Archived 0"]);
  assert.equal(new URL(page.url()).searchParams.get("q"), "ander");
  await page.screenshot({ path: `${shots}/customer-list-search.png` });
  await page.getByLabel("Search customers").fill("");
  await expectNames(page, [...everyone].sort(byName).slice(0, 25));

  // The Companies preset, then a tag and a country from the filters.
  await page.getByRole("tab", { name: /^Companies/ }).click();
  await expectNames(page, ["Acme Trading", "Borealis Foods", "Cobalt Systems", "Delta Logistics"]);
  await page.getByRole("button", { name: "Filters" }).click();
  await pick(page, "Tag", "VIP");
  await expectNames(page, ["Borealis Foods", "Cobalt Systems", "Delta Logistics"]);
  await pick(page, "Country", "United States", { type: "United St" });
  await expectNames(page, ["Delta Logistics"]);
  await page.screenshot({ path: `${shots}/customer-list-filters.png` });
  await phoneShot(page, "customer-list-filters-mobile.png");
  await page.getByRole("dialog", { name: "Filters" }).getByRole("button", { name: "Show 1 customer" }).click();
  await expectTabs(page, ["All 2", "Individuals 1", "Companies 1", "Archived 0"]);
  const chips = page.getByRole("group", { name: "Filters in force" });
  assert.match(await chips.innerText(), /Tag: VIP[\s\S]*Country: United States/);
  assert.deepEqual(Object.fromEntries(new URL(page.url()).searchParams),
    { preset: "companies", tag: String(tags.VIP), country: "US" });
  await page.screenshot({ path: `${shots}/customer-list-filtered.png` });

  // The address bar holds it all: a reload shows the same list, tab and chips.
  await page.reload();
  await expectNames(page, ["Delta Logistics"]);
  await expectTabs(page, ["All 2", "Individuals 1", "Companies 1", "Archived 0"]);
  assert.equal(await page.getByRole("tab", { name: /^Companies/ }).getAttribute("aria-selected"), "true");
  await chips.getByText("Country: United States").waitFor();

  // A chip takes its filter off; Back puts it on again.
  await page.getByRole("button", { name: "Remove filter Country: United States" }).click();
  await expectNames(page, ["Borealis Foods", "Cobalt Systems", "Delta Logistics"]);
  await page.goBack();
  await expectNames(page, ["Delta Logistics"]);
  await phoneShot(page, "customer-list-filtered-mobile.png");

  // A company's contacts, from a company searched by name.
  await page.goto(`${env.server.url}/app/customers`);
  await page.getByRole("button", { name: "Filters" }).click();
  await pick(page, "Company", "Acme Trading", { type: "Acme" });
  await expectNames(page, ["Peter Quinn"]);
  await page.keyboard.press("Escape");
  await chips.getByText("Contacts of Acme Trading").waitFor();
  assert.equal(new URL(page.url()).searchParams.get("company"), String(ids["Acme Trading"]));

  // A created range outside the seeded days matches nothing, and says so.
  await page.goto(`${env.server.url}/app/customers?from=2001-01-01&to=2001-12-31`);
  await chips.getByText("Created 1 Jan 2001 – 31 Dec 2001").waitFor();
  await page.getByText("No customer matches these filters.").waitFor();
  await expectTabs(page, ["All 0", "Individuals 0", "Companies 0", "Archived 0"]);
  const today = new Date().toISOString().slice(0, 10);
  await page.goto(`${env.server.url}/app/customers?from=${today}&to=${today}`);
  await expectTabs(page, ["All 60", "Individuals 56", "Companies 4", "Archived 0"]);

  // Keyset pages of 25: 25, 25 and 10, every customer once, in name order; Previous goes back.
  await page.goto(`${env.server.url}/app/customers`);
  const seen = [];
  const pages = [];
  for (const range of ["1–25 of 60", "26–50 of 60", "51–60 of 60"]) {
    if (pages.length) await page.getByRole("button", { name: "Next" }).click();
    await page.getByText(range).waitFor();
    await expectNames(page, [...everyone].sort(byName).slice(seen.length, seen.length + (range.startsWith("51") ? 10 : 25)));
    const names = await shownNames(page);
    pages.push(names);
    seen.push(...names);
  }
  assert.equal(await page.getByRole("button", { name: "Next" }).isDisabled(), true);
  assert.equal(seen.length, 60);
  assert.equal(new Set(seen).size, 60, "no customer appears on two pages");
  assert.deepEqual(seen, [...everyone].sort(byName));
  await page.screenshot({ path: `${shots}/customer-list-last-page.png` });
  await page.getByRole("button", { name: "Previous" }).click();
  await page.getByText("26–50 of 60").waitFor();
  await expectNames(page, pages[1]);

  // A bigger page size starts again at the first page.
  await page.getByRole("textbox", { name: "Customers per page" }).click();
  await page.getByRole("option", { name: "50 per page", exact: true }).click();
  await page.getByText("1–50 of 60").waitFor();
  await expectNames(page, seen.slice(0, 50));
  assert.equal(new URL(page.url()).searchParams.get("limit"), "50");
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByText("51–60 of 60").waitFor();
  await expectNames(page, seen.slice(50));
  await page.close();
});

test("the card view shows the same customers as the table, and is remembered", async () => {
  const page = await signInAsOperator(env, desktop);
  // Sandra gets an avatar (any PNG: a corner of this page), which both views show as a thumbnail.
  const png = await page.screenshot({ clip: { x: 0, y: 0, width: 96, height: 96 } });
  await call("PUT", `/api/customers/${ids["Sandra Anders"]}/avatar`, png, "image/png");
  const thumbnail = (name) => page.locator(`${name === "card" ? "article" : "tbody tr"}:has-text("Sandra Anders") img`);
  const loaded = (img) => img.evaluate((i) => i.complete && i.naturalWidth === 128);
  await page.goto(`${env.server.url}/app/customers?q=ander`);
  await expectNames(page, ["Leander Brooks", "Mia Alexander", "Sandra Anders"]);
  await thumbnail("row").waitFor();
  assert.match(await thumbnail("row").getAttribute("src"), new RegExp(`/api/customers/${ids["Sandra Anders"]}/avatar/thumbnail`));
  await page.waitForFunction(() => [...document.querySelectorAll("tbody img")].every((i) => i.complete));
  assert.equal(await loaded(thumbnail("row")), true);
  await page.getByText("Cards", { exact: true }).click();
  await page.getByRole("article").first().waitFor();
  await expectNames(page, ["Leander Brooks", "Mia Alexander", "Sandra Anders"]);
  const sandra = page.getByRole("article", { name: "Sandra Anders" });
  assert.match(await sandra.innerText(), /sandra\.anders@example\.com[\s\S]*Boston, United States[\s\S]*VIP/);
  await thumbnail("card").waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll("article img")].every((i) => i.complete));
  assert.equal(await loaded(thumbnail("card")), true);
  assert.equal(await page.locator("article img").count(), 1);  // the others show initials
  assert.equal(await page.locator("tbody tr").count(), 0);
  await page.screenshot({ path: `${shots}/customer-cards.png` });

  // The choice is kept: a reload (and the Companies preset) show cards again.
  await page.goto(`${env.server.url}/app/customers?preset=companies`);
  await expectNames(page, ["Acme Trading", "Borealis Foods", "Cobalt Systems", "Delta Logistics"]);
  assert.equal(await page.getByRole("article").count(), 4);
  assert.match(await page.getByRole("article", { name: "Borealis Foods" }).innerText(), /Company[\s\S]*VIP[\s\S]*Wholesale/i);
  await page.getByRole("article", { name: "Acme Trading" }).getByRole("link", { name: "Acme Trading" }).waitFor();
  assert.equal(await page.getByRole("link", { name: "Acme Trading" }).getAttribute("href"), `/app/customers/${ids["Acme Trading"]}`);
  await phoneShot(page, "customer-cards-mobile.png");
  await page.getByText("Table", { exact: true }).click();
  await expectNames(page, ["Acme Trading", "Borealis Foods", "Cobalt Systems", "Delta Logistics"]);
  await page.close();

  // On a phone, with no choice made yet, the list starts with cards.
  const mobile = await signInAsOperator(env, phone);
  await mobile.getByRole("article").first().waitFor();
  assert.equal(await mobile.getByRole("article").count(), 25);
  await mobile.screenshot({ path: `${shots}/customer-list-mobile.png`, fullPage: false });
  await mobile.close();
});

test("selected rows are archived after a confirmation, show under Archived, and are restored", async () => {
  const page = await signInAsOperator(env, desktop);
  await page.goto(`${env.server.url}/app/customers?q=ander`);
  await expectNames(page, ["Leander Brooks", "Mia Alexander", "Sandra Anders"]);
  await page.getByLabel("Select Leander Brooks").check();
  await page.getByLabel("Select Mia Alexander").check();
  await page.getByText("2 customers selected").waitFor();
  await page.getByRole("button", { name: "Archive selected" }).click();
  const confirm = page.getByRole("dialog", { name: "Archive customers" });
  assert.match(await confirm.innerText(), /Archive 2 customers\?[\s\S]*Leander Brooks[\s\S]*Mia Alexander/);
  await page.screenshot({ path: `${shots}/customer-archive-confirm.png` });
  await confirm.getByRole("button", { name: "Archive 2 customers" }).click();
  await page.getByText("2 customers archived.").waitFor();
  await expectNames(page, ["Sandra Anders"]);
  await expectTabs(page, ["All 1", "Individuals 1", "Companies 0", "Archived 2"]);
  for (const name of ["Leander Brooks", "Mia Alexander"]) {
    await assert.rejects(call("GET", `/api/customers/${ids[name]}`), { status: 404 });
  }

  await page.getByRole("tab", { name: /^Archived/ }).click();
  await expectNames(page, ["Leander Brooks", "Mia Alexander"]);
  await page.screenshot({ path: `${shots}/customer-archived.png` });
  await page.getByLabel("Select all on this page").check();
  await page.getByRole("button", { name: "Restore selected" }).click();
  await page.getByText("2 customers restored.").waitFor();
  await page.getByText("No customer matches “ander”.").waitFor();
  await expectTabs(page, ["All 3", "Individuals 3", "Companies 0", "Archived 0"]);
  for (const name of ["Leander Brooks", "Mia Alexander"]) {
    assert.equal((await call("GET", `/api/customers/${ids[name]}`)).name, name);
  }

  // A company with a contact is refused (409) and said so plainly; it can go with its contacts.
  await page.goto(`${env.server.url}/app/customers?preset=companies`);
  await expectNames(page, ["Acme Trading", "Borealis Foods", "Cobalt Systems", "Delta Logistics"]);
  await page.getByLabel("Select Acme Trading").check();
  await page.getByLabel("Select Cobalt Systems").check();
  await page.getByRole("button", { name: "Archive selected" }).click();
  await page.getByRole("dialog", { name: "Archive customers" }).getByRole("button", { name: "Archive 2 customers" }).click();
  const refused = page.getByRole("dialog", { name: "Some were not archived" });
  await refused.getByText("Acme Trading has 1 contact, so it was not archived. Archive its contacts first, " +
    "or archive the company together with its contacts.").waitFor();
  assert.doesNotMatch(await refused.innerText(), /cascade/);
  await page.getByText("1 customer archived.").waitFor();  // Cobalt Systems
  await page.screenshot({ path: `${shots}/customer-archive-refused.png` });
  await phoneShot(page, "customer-archive-refused-mobile.png");
  await refused.getByRole("button", { name: "Archive it with its contacts" }).click();
  await refused.waitFor({ state: "detached" });
  await expectNames(page, ["Borealis Foods", "Delta Logistics"]);
  await assert.rejects(call("GET", `/api/customers/${ids["Peter Quinn"]}`), { status: 404 });  // went with it

  await page.getByRole("tab", { name: /^Archived/ }).click();
  await expectNames(page, ["Acme Trading", "Cobalt Systems", "Peter Quinn"]);
  await expectTabs(page, ["All 57", "Individuals 55", "Companies 2", "Archived 3"]);
  await phoneShot(page, "customer-archived-mobile.png");
  await page.getByLabel("Select all on this page").check();
  await page.getByRole("button", { name: "Restore selected" }).click();
  await page.getByText("3 customers restored.").waitFor();
  await expectTabs(page, ["All 60", "Individuals 56", "Companies 4", "Archived 0"]);
  assert.equal((await call("GET", `/api/customers/${ids["Peter Quinn"]}`)).company.name, "Acme Trading");
  await page.close();
});

test("settings: a tag is made, renamed and offered as a filter; a title in use cannot be deleted", async () => {
  const page = await signInAsOperator(env, desktop);
  await page.getByRole("link", { name: "Tags", exact: true }).click();
  await page.getByRole("heading", { name: "Tags" }).waitFor();
  const vipRow = page.getByRole("row", { name: /VIP/ });
  await vipRow.getByText("#fab005").waitFor();
  await vipRow.getByRole("cell", { name: "5", exact: true }).waitFor();  // 3 companies and 2 people have it

  await page.getByRole("button", { name: "New tag" }).click();
  let form = page.getByRole("dialog", { name: "New tag" });
  await form.getByRole("textbox", { name: /^Name/ }).fill("vip");
  await form.getByRole("button", { name: "Add tag" }).click();
  await form.getByText("Name is already used").waitFor();  // the server's 409, on its field
  await page.screenshot({ path: `${shots}/settings-tag-taken.png` });
  await form.getByRole("textbox", { name: /^Name/ }).fill("Gold");
  await form.getByRole("textbox", { name: /^Colour/ }).fill("#e8590c");
  await checkAccessibility(page, "the new tag's colour picker");
  await form.getByRole("textbox", { name: /^Colour/ }).press("Tab");
  await form.getByRole("button", { name: "Add tag" }).click();
  await page.getByText("Tag “Gold” saved.").waitFor();
  let gold = (await call("GET", "/api/tags")).data.find((t) => t.name === "Gold");
  assert.equal(gold.color, "#e8590c");

  await page.getByRole("button", { name: "Edit Gold" }).click();
  form = page.getByRole("dialog", { name: "Edit tag" });
  await form.waitFor();
  await checkAccessibility(page, "the tag's edit dialog");
  await form.getByRole("textbox", { name: /^Name/ }).fill("Gold partner");
  await form.getByRole("button", { name: "Save" }).click();
  await page.getByText("Tag “Gold partner” saved.").waitFor();
  gold = await call("GET", `/api/tags/${gold.id}`);
  assert.deepEqual(gold, { id: gold.id, name: "Gold partner", color: "#e8590c" });
  await page.getByRole("row", { name: /Gold partner/ }).getByText("#e8590c").waitFor();
  await page.screenshot({ path: `${shots}/settings-tags.png` });
  await phoneShot(page, "settings-tags-mobile.png");

  // The renamed tag is one of the customer list's filters at once.
  await page.getByRole("link", { name: "Customers", exact: true }).click();
  await page.getByRole("button", { name: "Filters" }).click();
  await pick(page, "Tag", "Gold partner");
  await page.getByRole("dialog", { name: "Filters" }).getByRole("button", { name: "Show 0 customers" }).click();
  await page.getByText("No customer matches these filters.").waitFor();
  await page.getByRole("group", { name: "Filters in force" }).getByText("Tag: Gold partner").waitFor();
  assert.equal(new URL(page.url()).searchParams.get("tag"), String(gold.id));

  // Titles: Mister is Oliver Grant's, so deleting it is refused in plain words.
  await page.getByRole("link", { name: "Titles", exact: true }).click();
  await page.getByRole("heading", { name: "Titles" }).waitFor();
  await page.getByRole("button", { name: "Delete Mister" }).click();
  const refusal = page.getByRole("dialog", { name: "Delete title" });
  await refusal.getByRole("button", { name: "Delete title" }).click();
  await refusal.getByText("“Mister” cannot be deleted: 1 customer has this title. Give that customer another title first.").waitFor();
  await page.screenshot({ path: `${shots}/settings-title-in-use.png` });
  await phoneShot(page, "settings-title-in-use-mobile.png");
  await refusal.getByRole("button", { name: "Close", exact: true }).click();
  assert.ok((await call("GET", "/api/customer-titles")).data.some((t) => t.name === "Mister"));
  // One nobody has goes.
  await page.getByRole("button", { name: "Delete Professor" }).click();
  await page.getByRole("dialog", { name: "Delete title" }).getByRole("button", { name: "Delete title" }).click();
  await page.getByText("Title “Professor” deleted.").waitFor();
  assert.ok(!(await call("GET", "/api/customer-titles")).data.some((t) => t.name === "Professor"));
  await page.getByRole("row", { name: /Professor/ }).waitFor({ state: "detached" });
  await page.screenshot({ path: `${shots}/settings-titles.png` });

  await page.getByRole("link", { name: "Industries", exact: true }).click();
  await page.getByRole("heading", { name: "Industries" }).waitFor();
  assert.equal(await page.locator("tbody tr").count(), 19);
  await page.getByRole("cell", { name: "Agriculture, forestry and fishing" }).waitFor();
  await page.screenshot({ path: `${shots}/settings-industries.png` });
  await phoneShot(page, "settings-industries-mobile.png");
  await page.close();

  // A viewer sees the lists read-only.
  const invited = await call("POST", "/api/users", { email: "vera@shop.example", name: "Vera Viewer", role: "viewer" });
  const context = await env.browser.newContext({ viewport: phone });
  const joined = await context.request.post(`${env.server.url}/api/auth/accept-invitation`,
    { data: { token: invited.invitation.token, password: "a viewer passphrase" } });
  assert.equal(joined.status(), 200);
  const viewer = await context.newPage();
  await viewer.goto(`${env.server.url}/app/settings/tags`);
  await viewer.getByText("Read only").waitFor();
  await viewer.getByText("Gold partner").waitFor();
  assert.equal(await viewer.getByRole("button", { name: "New tag" }).count(), 0);
  assert.equal(await viewer.getByRole("button", { name: /^Edit / }).count(), 0);
  await viewer.screenshot({ path: `${shots}/settings-tags-read-only-mobile.png` });
  await context.close();
});
