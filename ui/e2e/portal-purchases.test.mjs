// The portal's "Orders and points" in a real browser (issue 13): a customer with orders and a
// points ledger sees the balance, tier and next expiry, the history in pages, and their orders
// newest first, each opening to its lines; another customer's orders never show. The orders and
// ledger are written into the database as the orders and loyalty areas keep them. Every screen is
// checked with axe (the harness) and saved at desktop size and at a phone's 375 px.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";

import { shots, useServerAndBrowser } from "./harness.mjs";

const env = useServerAndBrowser();
const desktop = { width: 1280, height: 860 };
const phone = { width: 375, height: 780 };
const password = "a fine portal passphrase";

function sql(statement) {
  return execFileSync("sqlite3", [env.server.db, statement]).toString().trim();
}

async function register(name, email) {
  const response = await fetch(`${env.server.url}/api/portal/default/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name, email, password, password_confirmation: password }),
  });
  assert.equal(response.status, 201);
  return (await response.json()).customer;
}

//! An order as orders/ stores it, with its lines [sku, name, quantity, unit_price]; its id.
function order(customer, number, placedAt, status, currency, lines, { shipping = 0, refunded = 0 } = {}) {
  const subtotal = lines.reduce((sum, [, , quantity, price]) => sum + quantity * price, 0);
  const total = subtotal + shipping;
  const id = Number(sql(`INSERT INTO orders (tenant_id, number, customer_id, currency, status, subtotal, shipping,
      total, refunded_amount, base_total, counted, placed_at, paid_at, created_at, updated_at)
    VALUES (1, '${number}', ${customer.id}, '${currency}', '${status}', ${subtotal}, ${shipping}, ${total}, ${refunded},
      ${total}, 1, '${placedAt}', ${status === "pending" ? "NULL" : `'${placedAt}'`}, '${placedAt}', '${placedAt}')
    RETURNING id`));
  lines.forEach(([sku, name, quantity, price], position) => sql(`INSERT INTO order_lines
      (tenant_id, order_id, position, sku, name, quantity, unit_price)
    VALUES (1, ${id}, ${position}, ${sku ? `'${sku}'` : "NULL"}, '${name}', ${quantity}, ${price})`));
  return id;
}

function entry(customer, kind, points, balance, at, { orderId = null, reason = null, expires = null } = {}) {
  const id = Number(sql(`INSERT INTO loyalty_entries (tenant_id, customer_id, kind, points, balance_after, order_id,
      reason, created_at)
    VALUES (1, ${customer.id}, '${kind}', ${points}, ${balance}, ${orderId ?? "NULL"}, ${reason ? `'${reason}'` : "NULL"},
      '${at}') RETURNING id`));
  if (points > 0) {
    sql(`INSERT INTO loyalty_lots (tenant_id, customer_id, entry_id, order_id, points, remaining, earned_at, expires_at)
      VALUES (1, ${customer.id}, ${id}, ${orderId ?? "NULL"}, ${points}, ${points}, '${at}',
        ${expires ? `'${expires}'` : "NULL"})`);
  }
}

//! A new page signed in to the portal as that customer, on their profile.
async function signIn(email, viewport) {
  const page = await env.browser.newPage({ viewport });
  await page.goto(`${env.server.url}/portal/default/sign-in`);
  await page.getByLabel(/^E-mail/).fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/portal\/default$/);
  return page;
}

async function snap(page, name) {
  for (const [viewport, file] of [[phone, `portal-${name}-mobile`], [desktop, `portal-${name}`]]) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(200);
    await page.screenshot({ path: `${shots}/${file}.png`, fullPage: true });
  }
}

test("a customer sees their orders and points", async () => {
  const olga = await register("Olga Orders", "olga@mail.example");
  const other = await register("Otto Other", "otto@mail.example");
  const first = order(olga, "N-1001", "2026-03-01T10:00:00.000Z", "fulfilled", "EUR",
    [["SHOE-42", "Running shoes", 1, 8999], [null, "Gift wrap", 2, 250]], { shipping: 495 });
  order(olga, "N-1002", "2026-04-01T10:00:00.000Z", "partially_refunded", "EUR", [["SOCK-3", "Socks", 3, 1250]],
    { refunded: 1250 });
  order(olga, "N-1003", "2026-05-01T10:00:00.000Z", "pending", "JPY", [["TEA-1", "Green tea", 2, 1500]]);
  order(other, "N-9999", "2026-06-01T10:00:00.000Z", "paid", "EUR", [["SECRET", "Not for Olga", 1, 100]]);
  entry(olga, "earn", 94, 94, "2026-03-01T10:00:00.000Z", { orderId: first, expires: "2027-03-01T10:00:00.000Z" });
  entry(olga, "adjust", 20, 114, "2026-03-10T10:00:00.000Z", { reason: "Birthday", expires: "2026-12-31T10:00:00.000Z" });
  entry(olga, "redeem", -30, 84, "2026-04-02T10:00:00.000Z");
  for (let i = 0; i < 10; i++) entry(olga, "adjust", 1, 85 + i, `2026-04-${String(10 + i).padStart(2, "0")}T10:00:00.000Z`,
    { reason: `Thanks ${i + 1}` });
  sql(`UPDATE customers SET loyalty_points = 94 + 20 - 30 + 10, loyalty_tier = 'Silver' WHERE id = ${olga.id}`);

  const page = await signIn("olga@mail.example", desktop);
  // The profile's points card shows the tier and leads to the page; so does the account menu.
  assert.match(await page.getByTestId("loyalty-points").innerText(), /94\s+Silver member/);
  await page.getByRole("button", { name: /^Your account/ }).click();
  await page.getByRole("menuitem", { name: "Orders and points" }).waitFor();
  await page.keyboard.press("Escape");
  await page.getByTestId("loyalty-points").getByRole("link", { name: "Orders and points" }).click();
  await page.waitForURL("**/portal/default/orders");
  await page.getByRole("heading", { name: "Orders and points", level: 1 }).waitFor();

  // Points: balance, tier, the soonest expiry, and the history newest first, ten at a time.
  assert.equal(await page.getByTestId("points-balance").innerText(), "94");
  assert.equal(await page.getByTestId("points-tier").innerText(), "Silver");
  assert.match(await page.getByTestId("points-expiry").innerText(), /^20 points expire on /);
  const history = page.getByTestId("points-history").locator("tbody tr");
  await history.nth(9).waitFor();
  assert.equal(await history.count(), 10);
  assert.match(await history.first().innerText(), /Added: Thanks 10\s+\+1\s+94/);
  await page.getByRole("button", { name: "Show older points" }).click();
  await history.nth(12).waitFor();
  assert.equal(await history.count(), 13);
  assert.match(await history.nth(10).innerText(), /Spent\s+\u221230\s+84/);
  assert.match(await history.nth(11).innerText(), /Added: Birthday\s+Valid until .*2026\s+\+20\s+114/);
  assert.match(await history.nth(12).innerText(), /Earned on an order/);
  assert.equal(await page.getByRole("button", { name: "Show older points" }).count(), 0);

  // Orders: newest first with status and total in their own currency; never another customer's.
  const orders = page.getByTestId("orders");
  const heads = orders.getByRole("button");
  await heads.nth(2).waitFor();
  assert.equal(await heads.count(), 3);
  assert.match(await heads.nth(0).innerText(), /Order N-1003[\s\S]*Awaiting payment[\s\S]*¥3,000/);
  assert.match(await heads.nth(1).innerText(), /Order N-1002[\s\S]*Partly refunded[\s\S]*€37\.50/);
  assert.match(await heads.nth(2).innerText(), /Order N-1001[\s\S]*Sent[\s\S]*€99\.94/);
  assert.equal(await page.getByText("N-9999").count(), 0);
  await heads.nth(2).click();
  const lines = page.getByTestId(`order-lines-${first}`);
  await lines.waitFor();
  assert.match(await lines.locator("tbody tr").nth(0).innerText(), /Running shoes\s+SHOE-42\s+1\s+€89\.99\s+€89\.99/);
  assert.match(await lines.locator("tbody tr").nth(1).innerText(), /Gift wrap\s+2\s+€2\.50\s+€5\.00/);
  assert.match(await lines.locator("tfoot").innerText(), /Shipping\s+€4\.95[\s\S]*Total\s+€99\.94/);
  await snap(page, "orders-and-points");
});

test("a customer without orders or points is told so", async () => {
  await register("Nina New", "nina@mail.example");
  const page = await signIn("nina@mail.example", phone);
  await page.goto(`${env.server.url}/portal/default/orders`);
  await page.getByText("You have no orders yet.").waitFor();
  await page.getByText("No points yet: you earn them with your orders.").waitFor();
  assert.equal(await page.getByTestId("points-balance").innerText(), "0");
  assert.equal(await page.getByTestId("points-expiry").count(), 0);
  await page.screenshot({ path: `${shots}/portal-orders-and-points-empty-mobile.png`, fullPage: true });
  // Signed out, the page asks to sign in.
  await page.context().clearCookies();
  await page.goto(`${env.server.url}/portal/default/orders`);
  await page.waitForURL("**/portal/default/sign-in");
});
