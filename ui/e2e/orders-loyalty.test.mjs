// Orders, customer value and loyalty in a real browser, on data pushed through the API as a shop
// would: the customer page's Orders tab (Load more) and value figures, an order's page with a
// partial refund, a conflict (412) and a confirmed cancellation, the Loyalty tab with the adjust
// dialog used by keyboard and a redemption (and the server's 409), Settings › Loyalty program with
// its tiers, the customer list's value columns, sort and filters, Settings › General's base
// currency, and what a salesperson and a support agent may do.
import assert from "node:assert/strict";
import { test } from "node:test";

import { apiClient, checkAccessibility, shots, signInAsOperator, signInAsStaff, useServerAndBrowser } from "./harness.mjs";

const env = useServerAndBrowser();
const phone = { width: 375, height: 740 };
const day = 24 * 3600 * 1000;

let call;  // the operator's API client
const ids = {};
let usd;   // formats minor units of USD as the page's locale does

async function seed() {
  if (call) return;
  call = apiClient(env);
  for (const name of ["Olivia Buyer", "Liam Points", "Nina Nobuy"]) {
    ids[name] = (await call("POST", "/api/customers", {
      name, account_type: "individual", email: `${name.toLowerCase().replace(/ /g, ".")}@example.com`,
    })).id;
  }
  // Olivia: 21 small paid orders on the days before, then a bigger one today with tax, a discount and
  // shipping, and a pending one in euros.
  for (let i = 21; i >= 1; i--) {
    await call("POST", "/api/orders", {
      number: `A-${1000 + 21 - i}`, customer_id: ids["Olivia Buyer"], currency: "USD", status: "paid",
      placed_at: new Date(Date.now() - i * day).toISOString(),
      lines: [{ sku: "TEE-1", name: "T-shirt", quantity: 2, unit_price: 1500 }], total: 3000,
    });
  }
  ids.big = (await call("POST", "/api/orders", {
    number: "A-2000", customer_id: ids["Olivia Buyer"], currency: "USD", status: "paid",
    placed_at: new Date(Date.now() - 3600 * 1000).toISOString(),
    lines: [
      { sku: "JKT-9", name: "Rain jacket", quantity: 1, unit_price: 10000, tax: 2000, discount: 1000 },
      { sku: "SOX-3", name: "Socks", quantity: 3, unit_price: 500 },
    ],
    shipping: 499, total: 12999,
  })).id;
  ids.euro = (await call("POST", "/api/orders", {
    number: "E-1", customer_id: ids["Olivia Buyer"], currency: "EUR", exchange_rate: "1.10", status: "pending",
    placed_at: new Date(Date.now() - 60 * 1000).toISOString(),
    lines: [{ sku: "CAP-1", name: "Cap", quantity: 1, unit_price: 2000 }], total: 2000,
  })).id;
  // Liam: one paid order of $120.00, which earns 120 points by the default program.
  ids.liams = (await call("POST", "/api/orders", {
    number: "L-1", customer_email: "liam.points@example.com", currency: "USD", status: "paid",
    placed_at: new Date(Date.now() - 2 * day).toISOString(),
    lines: [{ sku: "BAG-1", name: "Bag", quantity: 1, unit_price: 12000 }], total: 12000,
  })).id;
}

/** Waits until the customer's ledger has the balance (the earning runs as a job). */
async function balanceOf(customerId, expected) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const account = await call("GET", `/api/customers/${customerId}/loyalty`);
    if (account.balance === expected || Date.now() > deadline) return account.balance;
    await new Promise((done) => setTimeout(done, 200));
  }
}

async function operatorPage(viewport) {
  const page = await signInAsOperator(env, viewport);
  const locale = await page.evaluate(() => navigator.language);
  usd = (minor) => new Intl.NumberFormat(locale, { style: "currency", currency: "USD" }).format(minor / 100);
  return page;
}

test("the Orders tab pages by Load more, and the profile shows the customer's value", async () => {
  await seed();
  const customer = await call("GET", `/api/customers/${ids["Olivia Buyer"]}`);
  assert.equal(customer.order_count, 22);
  assert.equal(customer.lifetime_value, 21 * 3000 + 12999);

  const page = await operatorPage();
  await page.goto(`${env.server.url}/app/customers/${ids["Olivia Buyer"]}`);
  const value = page.getByTestId("customer-value");
  await value.getByText(usd(customer.lifetime_value)).waitFor();
  const figures = await value.innerText();
  assert.match(figures, /ORDERS\s+22/i);
  assert.match(figures, new RegExp(`AVERAGE ORDER\\s+${escape(usd(customer.average_order_value))}`, "i"));
  assert.match(figures, /REFUNDED\s+—/i);
  await page.screenshot({ path: `${shots}/customer-value.png`, fullPage: true });

  await page.getByRole("tab", { name: "Orders" }).click();
  await page.waitForURL(/tab=orders/);
  const rows = page.getByTestId("order-row");
  await rows.first().waitFor();
  assert.equal(await rows.count(), 20);
  const first = await rows.nth(0).innerText();
  assert.match(first, /E-1\s.*Pending/s);
  assert.match(first, /€20\.00|20,00\s*€/);  // in its own currency
  assert.match(await rows.nth(1).innerText(), new RegExp(`A-2000\\s.*Paid.*${escape(usd(12999))}`, "s"));
  await page.screenshot({ path: `${shots}/customer-orders.png` });
  await page.getByRole("button", { name: "Load more" }).click();
  await rows.nth(22).waitFor();
  assert.equal(await rows.count(), 23);
  assert.match(await rows.nth(22).innerText(), /A-1000/);  // the oldest, last
  assert.equal(await page.getByRole("button", { name: "Load more" }).count(), 0);

  await page.setViewportSize(phone);
  await page.reload();
  await rows.first().waitFor();
  await page.screenshot({ path: `${shots}/customer-orders-mobile.png` });
  await page.close();
});

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

test("an order's page shows lines and totals, records a partial refund, says when someone else changed it, and confirms a cancellation", async () => {
  await seed();
  const page = await operatorPage();
  await page.goto(`${env.server.url}/app/customers/${ids["Olivia Buyer"]}?tab=orders`);
  await page.getByRole("link", { name: "A-2000" }).click();
  await page.waitForURL(new RegExp(`/app/orders/${ids.big}$`));
  await page.getByRole("heading", { name: "Order A-2000" }).waitFor();
  const lines = await page.getByTestId("order-line").allInnerTexts();
  assert.equal(lines.length, 2);
  assert.match(lines[0], new RegExp(`Rain jacket\\s+SKU JKT-9\\s+1\\s+${escape(usd(10000))}\\s+${escape(usd(1000))}\\s+${escape(usd(2000))}\\s+${escape(usd(11000))}`));
  const totals = await page.getByTestId("order-totals").innerText();
  assert.match(totals, new RegExp(`Subtotal\\s+${escape(usd(10500))}`));
  assert.match(totals, new RegExp(`Shipping\\s+${escape(usd(499))}`));
  assert.match(totals, new RegExp(`Total\\s+${escape(usd(12999))}`));

  // Only the allowed transitions are offered.
  await page.getByRole("textbox", { name: "New status" }).click();
  const offered = await page.getByRole("option").allInnerTexts();
  assert.deepEqual(offered, ["Fulfilled", "Partially refunded", "Refunded", "Cancelled"]);
  await page.getByRole("option", { name: "Partially refunded" }).click();
  await page.getByLabel("Refunded in all (USD)").fill("130");
  await page.getByRole("button", { name: "Change status" }).click();
  await page.getByText(/the whole total is a full refund/).waitFor();  // refused here, nothing sent
  assert.equal((await call("GET", `/api/orders/${ids.big}`)).status, "paid");
  await page.getByLabel("Refunded in all (USD)").fill("5.00");
  await page.getByRole("button", { name: "Change status" }).click();
  await page.getByTestId("order-status").filter({ hasText: "Partially refunded" }).waitFor();
  const refunded = await call("GET", `/api/orders/${ids.big}`);
  assert.equal(refunded.status, "partially_refunded");
  assert.equal(refunded.refunded_amount, 500);
  assert.match(await page.getByTestId("order-totals").innerText(), new RegExp(`Net\\s+${escape(usd(12499))}`));
  await page.screenshot({ path: `${shots}/order-refunded.png`, fullPage: true });

  // The shop refunds the rest meanwhile: a larger refund from the page is refused as stale (412).
  await call("PATCH", `/api/orders/${ids.big}`, { status: "refunded" });
  await page.getByRole("textbox", { name: "New status" }).click();
  await page.getByRole("option", { name: "Partially refunded (a larger amount)" }).click();
  await page.getByLabel("Refunded in all (USD)").fill("10");
  await page.getByRole("button", { name: "Change status" }).click();
  await page.getByText("Changed by someone else").waitFor();
  await checkAccessibility(page, "the conflict");
  await page.getByRole("button", { name: "Reload" }).click();
  await page.getByText("A refunded order does not change any more.").waitFor();
  assert.equal((await call("GET", `/api/orders/${ids.big}`)).refunded_amount, 12999);

  // The customer's figures follow: what was refunded, and the value net of it.
  const customer = await call("GET", `/api/customers/${ids["Olivia Buyer"]}`);
  assert.equal(customer.refunded_amount, 12999);
  await page.getByRole("link", { name: "Olivia Buyer" }).first().click();
  await page.getByRole("tab", { name: "Overview" }).click();
  const value = page.getByTestId("customer-value");
  await value.getByText(usd(12999)).waitFor();
  assert.match(await value.innerText(), new RegExp(`LIFETIME VALUE\\s+${escape(usd(21 * 3000))}`, "i"));

  // A pending order in euros is cancelled after a confirmation.
  await page.goto(`${env.server.url}/app/orders/${ids.euro}`);
  // In euros, with the rate as the server keeps it and the total in the base currency.
  const euro = await call("GET", `/api/orders/${ids.euro}`);
  assert.equal(euro.base_total, 2200);
  assert.match(await page.getByText("Exchange rate to USD").locator("..").innerText(), new RegExp(`\\s${escape(euro.exchange_rate)}$`));
  assert.match(await page.getByText("Total in USD").locator("..").innerText(), new RegExp(`${escape(usd(2200))}$`));
  await page.getByRole("textbox", { name: "New status" }).click();
  await page.getByRole("option", { name: "Cancelled" }).click();
  await page.getByRole("button", { name: "Change status" }).click();
  const confirm = page.getByRole("dialog", { name: "Cancel order E-1?" });
  await confirm.waitFor();
  await checkAccessibility(page, "the cancel confirmation");
  await confirm.getByRole("button", { name: "Cancel the order" }).click();
  await page.getByTestId("order-status").filter({ hasText: "Cancelled" }).waitFor();
  assert.equal((await call("GET", `/api/orders/${ids.euro}`)).status, "cancelled");
  await page.close();
});

test("the Loyalty tab shows the ledger; points are adjusted in a dialog used by keyboard, and redeemed", async () => {
  await seed();
  const id = ids["Liam Points"];
  assert.equal(await balanceOf(id, 120), 120);  // the guest order attached by e-mail, and earned

  const page = await operatorPage();
  await page.goto(`${env.server.url}/app/customers/${id}?tab=loyalty`);
  await page.getByTestId("loyalty-balance").filter({ hasText: "120" }).waitFor();
  let entries = await page.getByTestId("loyalty-entry").allInnerTexts();
  assert.equal(entries.length, 1);
  assert.match(entries[0], /Earned\s+\+120\s+120\s+Order #\d+/);

  // The adjust dialog, by keyboard only: open, a refused empty reason, then a reason and submit.
  await page.getByRole("button", { name: "Adjust points" }).focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Adjust Liam Points's points" });
  await dialog.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("inputmode")), "numeric");  // Points has focus
  await checkAccessibility(page, "the adjust dialog");
  await page.keyboard.type("-20");
  await page.keyboard.press("Enter");  // submits the form
  await dialog.getByText("Say why: the ledger keeps the reason").waitFor();
  await checkAccessibility(page, "the adjust dialog's errors");
  await page.keyboard.press("Tab");
  await page.keyboard.type("Parcel arrived damaged");
  await page.keyboard.press("Tab");  // Cancel
  await page.keyboard.press("Tab");  // Adjust
  await page.keyboard.press("Enter");
  await dialog.waitFor({ state: "hidden" });
  await page.getByTestId("loyalty-balance").filter({ hasText: /^100$/ }).waitFor();
  entries = await page.getByTestId("loyalty-entry").allInnerTexts();
  assert.match(entries[0], /Adjusted\s+\u221220\s+100\s+Parcel arrived damaged\s+Operator/);
  assert.equal((await call("GET", `/api/customers/${id}/loyalty`)).balance, 100);

  // Escape closes the dialog without a change.
  await page.getByRole("button", { name: "Adjust points" }).click();
  await page.getByRole("dialog").waitFor();
  await page.keyboard.press("Escape");
  await page.getByRole("dialog").waitFor({ state: "hidden" });

  // Redeem 30.
  await page.getByRole("button", { name: "Redeem points" }).click();
  const redeem = page.getByRole("dialog", { name: "Redeem Liam Points's points" });
  await redeem.getByLabel("Points").fill("150");
  await redeem.getByRole("button", { name: "Redeem" }).click();
  await redeem.getByText("At most the balance, 100").waitFor();
  await redeem.getByLabel("Points").fill("30");
  await redeem.getByLabel("Reason").fill("Voucher V-7");
  await checkAccessibility(page, "the redeem dialog");
  await redeem.getByRole("button", { name: "Redeem" }).click();
  await redeem.waitFor({ state: "hidden" });
  await page.getByTestId("loyalty-balance").filter({ hasText: /^70$/ }).waitFor();
  assert.match((await page.getByTestId("loyalty-entry").allInnerTexts())[0], /Redeemed\s+\u221230\s+70\s+Voucher V-7/);
  await page.screenshot({ path: `${shots}/customer-loyalty.png`, fullPage: true });

  // Spent elsewhere meanwhile: the server refuses more than the balance (409), and says so.
  await call("POST", `/api/customers/${id}/loyalty/redeem`, { points: 60 });
  await page.getByRole("button", { name: "Redeem points" }).click();
  await redeem.getByLabel("Points").fill("50");
  await redeem.getByRole("button", { name: "Redeem" }).click();
  await redeem.getByText("The balance is 10 points: 50 cannot be redeemed.").waitFor();
  await redeem.getByText(/Balance now: 10 points/).waitFor();  // asked again after the refusal
  await checkAccessibility(page, "the refused redemption");
  assert.equal((await call("GET", `/api/customers/${id}/loyalty`)).balance, 10);
  await page.keyboard.press("Escape");

  await page.setViewportSize(phone);
  await page.reload();
  await page.getByTestId("loyalty-entry").first().waitFor();
  await page.screenshot({ path: `${shots}/customer-loyalty-mobile.png`, fullPage: true });
  await page.close();
});

test("Settings › Loyalty program edits earning, expiry and tiers; the list sorts and filters by value and tier", async () => {
  await seed();
  const page = await operatorPage();
  await page.getByRole("link", { name: "Loyalty program" }).click();
  await page.getByRole("heading", { name: "Loyalty program" }).waitFor();
  await page.getByLabel("Points per USD spent").fill("2");
  await page.getByLabel("Fulfilled").check();
  await page.getByLabel("Points expire").check();
  await page.getByLabel("Days after they are earned").fill("365");
  await page.getByRole("button", { name: "Add a tier" }).click();
  await page.getByLabel("Tier 1 name").fill("Gold");
  await page.getByLabel("Tier 1 spend from").fill("500");
  await page.getByLabel("Tier 1 multiplier").fill("2");
  await page.getByRole("button", { name: "Add a tier" }).click();
  await page.getByLabel("Tier 2 name").fill("Silver");
  await page.getByLabel("Tier 2 spend from").fill("100");
  await page.getByLabel("Tier 2 multiplier").fill("1.5");
  await page.getByRole("button", { name: "Save the program" }).click();
  await page.getByText("More than the tier above: tiers go up in spend").waitFor();
  await checkAccessibility(page, "the program's errors");
  // Silver first.
  await page.getByRole("button", { name: "Remove tier Gold" }).click();
  await page.getByRole("button", { name: "Add a tier" }).click();
  await page.getByLabel("Tier 2 name").fill("Gold");
  await page.getByLabel("Tier 2 spend from").fill("500.00");
  await page.getByLabel("Tier 2 multiplier").fill("2");
  await page.getByRole("button", { name: "Save the program" }).click();
  await page.getByText("The loyalty program is saved.").waitFor();
  const program = await call("GET", "/api/loyalty/program");
  assert.equal(program.points_per_unit, 2);
  assert.equal(program.earn_on, "fulfilled");
  assert.equal(program.expiry_days, 365);
  assert.deepEqual(program.tiers, [
    { name: "Silver", min_spend: 10000, multiplier: 1.5 }, { name: "Gold", min_spend: 50000, multiplier: 2 },
  ]);
  await page.screenshot({ path: `${shots}/loyalty-program.png`, fullPage: true });

  // The list: value columns, the most valuable first, and the filters.
  const olivia = await call("GET", `/api/customers/${ids["Olivia Buyer"]}`);
  await page.goto(`${env.server.url}/app/customers?sort=-lifetime_value`);
  // The names in the table once the list has settled.
  const names = async () => {
    await page.waitForFunction(() => document.querySelector('[data-testid="customer-results"]')?.getAttribute("aria-busy") === "false");
    return page.locator("tbody tr td:first-child a").allInnerTexts();
  };
  await page.getByRole("columnheader", { name: "Lifetime value" }).waitFor();
  const ranked = await names();
  assert.deepEqual(ranked.slice(0, 2), ["Olivia Buyer", "Liam Points"]);
  assert.match(await page.locator("tbody tr").first().innerText(),
    new RegExp(`${escape(usd(olivia.lifetime_value))}\\s+${olivia.order_count} orders · last `));
  await page.screenshot({ path: `${shots}/customer-list-value.png` });

  await page.getByRole("button", { name: "Filters" }).click();
  const drawer = page.getByRole("dialog", { name: "Filters" });
  await drawer.getByLabel("Lifetime value from (USD)").fill("100");
  await page.waitForURL((url) => url.searchParams.get("value_min") === "10000");
  await drawer.getByLabel("At least this many orders").fill("2");
  await page.waitForURL((url) => url.searchParams.get("orders_min") === "2");
  await checkAccessibility(page, "the filters with value");
  await drawer.getByRole("button", { name: /Show 1 customer/ }).click();
  assert.deepEqual(await names(), ["Olivia Buyer"]);
  await page.getByRole("button", { name: `Remove filter Lifetime value from ${usd(10000)}` }).waitFor();
  await page.getByRole("button", { name: "Remove filter At least 2 orders" }).click();
  await page.waitForURL((url) => !url.searchParams.has("orders_min"));
  assert.deepEqual(await names(), ["Olivia Buyer", "Liam Points"]);

  // A new order has the job place Olivia in her tier by her spend; the list filters by it.
  await call("POST", "/api/orders", {
    number: "A-3000", customer_id: ids["Olivia Buyer"], currency: "USD", status: "pending",
    placed_at: new Date().toISOString(), lines: [{ name: "Scarf", quantity: 1, unit_price: 900 }], total: 900,
  });
  const deadline = Date.now() + 20_000;
  while ((await call("GET", `/api/customers/${ids["Olivia Buyer"]}`)).loyalty_tier !== "Gold" && Date.now() < deadline) {
    await new Promise((done) => setTimeout(done, 200));
  }
  await page.getByRole("button", { name: "Filters" }).click();
  await drawer.getByRole("textbox", { name: "Loyalty tier" }).click();
  await page.getByRole("option", { name: "Gold" }).click();
  await page.waitForURL((url) => url.searchParams.get("tier") === "Gold");
  await drawer.getByRole("button", { name: /Show 1 customer/ }).click();
  await page.getByRole("button", { name: "Remove filter Tier: Gold" }).waitFor();
  assert.deepEqual(await names(), ["Olivia Buyer"]);
  await page.goto(`${env.server.url}/app/customers/${ids["Olivia Buyer"]}?tab=loyalty`);
  await page.getByText("Gold", { exact: true }).waitFor();
  await page.close();
});

test("Settings › General shows the base currency, which cannot change once there are orders", async () => {
  await seed();
  const page = await operatorPage();
  await page.getByRole("link", { name: "General" }).click();
  const select = page.getByRole("textbox", { name: "Base currency" });
  await select.waitFor();
  assert.match(await select.inputValue(), /^USD/);
  await select.click();
  await select.fill("EUR");
  await page.getByRole("option", { name: /^EUR/ }).click();
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByText("Not changed").waitFor();
  await checkAccessibility(page, "the refused change");
  assert.equal((await call("GET", "/api/settings")).base_currency, "USD");
  await page.screenshot({ path: `${shots}/settings-general.png` });
  await page.close();
});

test("a salesperson changes an order's status but not points or the program; support adjusts points but not orders", async () => {
  await seed();
  const sales = await signInAsStaff(env, call, { role: "sales", email: "sal@shop.example" });
  await sales.goto(`${env.server.url}/app/customers/${ids["Liam Points"]}?tab=loyalty`);
  await sales.getByTestId("loyalty-balance").waitFor();
  assert.equal(await sales.getByRole("button", { name: "Adjust points" }).count(), 0);
  assert.equal(await sales.getByRole("button", { name: "Redeem points" }).count(), 0);
  await sales.goto(`${env.server.url}/app/orders/${ids.liams}`);
  await sales.getByRole("heading", { name: "Order L-1" }).waitFor();
  await sales.getByRole("button", { name: "Change status" }).waitFor();
  await sales.getByRole("link", { name: "Loyalty program" }).click();
  await sales.getByText("Owners and admins change the program.").waitFor();
  assert.equal(await sales.getByRole("button", { name: "Save the program" }).count(), 0);
  assert.ok(await sales.getByLabel("Points per USD spent").isDisabled());
  await sales.getByRole("link", { name: "General" }).click();
  await sales.getByText("Owners and admins change it.").waitFor();
  await sales.close();

  const support = await signInAsStaff(env, call, { role: "support", email: "sue@shop.example" });
  await support.goto(`${env.server.url}/app/customers/${ids["Liam Points"]}?tab=loyalty`);
  await support.getByRole("button", { name: "Adjust points" }).waitFor();
  await support.goto(`${env.server.url}/app/orders/${ids.liams}`);
  await support.getByRole("heading", { name: "Order L-1" }).waitFor();
  assert.equal(await support.getByRole("button", { name: "Change status" }).count(), 0);
  await support.close();
});
