// Carts in a real browser, on carts pushed through the API as a shop would (PUT
// /api/customers/{id}/cart) and made "abandoned" by writing their updated_at in the database: the
// Abandoned carts page (oldest first, Load more, all open carts, a customer's link), the customer's
// Cart tab with its lines and subtotal, clearing it through the confirmation by keyboard, the empty
// state, and a support agent, who sees carts but does not clear them.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";

import { apiClient, checkAccessibility, shots, signInAsOperator, signInAsStaff, useServerAndBrowser } from "./harness.mjs";

const env = useServerAndBrowser();
const phone = { width: 375, height: 740 };
const minute = 60 * 1000;
const day = 24 * 60 * minute;
const shoppers = 21;  // with Ada, one more abandoned cart than a page holds

let call;  // the operator's API client
const ids = {};
const touched = {};  // customer id → the updated_at written in the database

function database(statement) {
  return execFileSync("sqlite3", [env.server.db, statement]).toString().trim();
}

async function customer(name) {
  const email = `${name.toLowerCase().replace(/ /g, ".")}@example.com`;
  ids[name] = (await call("POST", "/api/customers", { name, account_type: "individual", email })).id;
  return ids[name];
}

async function seed() {
  if (call) return;
  call = apiClient(env);
  const ada = await customer("Ada Abandoned");
  await call("PUT", `/api/customers/${ada}/cart`, {
    currency: "EUR",
    lines: [
      { sku: "SHOE-42", name: "Running shoes", quantity: 2, unit_price: 8999 },
      { name: "Socks", quantity: 3, unit_price: 500 },
    ],
  });
  touched[ada] = new Date(Date.now() - 3 * day).toISOString();
  for (let i = 1; i <= shoppers; i++) {
    const id = await customer(`Shopper ${String(i).padStart(2, "0")}`);
    await call("PUT", `/api/customers/${id}/cart`, { currency: "USD", lines: [{ name: "Mug", quantity: i, unit_price: 1000 }] });
    touched[id] = new Date(Date.now() - 2 * day - (shoppers + 1 - i) * minute).toISOString();  // Shopper 01 the oldest
  }
  const rita = await customer("Rita Recent");
  await call("PUT", `/api/customers/${rita}/cart`, { currency: "JPY", lines: [{ sku: "TEA-1", name: "Green tea", quantity: 2, unit_price: 600 }] });
  await customer("Nora Nocart");
  // The shop stopped touching these carts: as test_carts.py does, the time is written directly.
  database(Object.entries(touched)
    .map(([id, at]) => `UPDATE carts SET updated_at = '${at}' WHERE customer_id = ${id};`).join("\n"));
  const listed = await call("GET", "/api/carts?abandoned=true&limit=100");
  assert.equal(listed.data.length, shoppers + 1);
  assert.equal(listed.data[0].updated_at, touched[ada]);
}

//! The page's locale's way of writing money and moments, as the UI writes them.
async function formats(page) {
  return {
    money: (minor, currency, decimals = 2) => page.evaluate(([m, c, d]) => new Intl.NumberFormat(undefined, {
      style: "currency", currency: c, minimumFractionDigits: d, maximumFractionDigits: d,
    }).format(m / 10 ** d), [minor, currency, decimals]),
    when: (iso) => page.evaluate((at) => new Date(at).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }), iso),
  };
}

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

test("Abandoned carts lists the forgotten carts oldest first, pages by Load more, shows all open carts, and links to the customer", async () => {
  await seed();
  const page = await signInAsOperator(env);
  const { money, when } = await formats(page);
  await page.getByRole("link", { name: "Abandoned carts" }).click();
  await page.waitForURL("**/app/carts");
  await page.getByRole("heading", { name: "Abandoned carts" }).waitFor();
  const rows = page.getByTestId("cart-row");
  // The names come one by one after the list: wait for the last row's.
  await rows.nth(19).getByRole("link", { name: "Shopper 19" }).waitFor();
  assert.equal(await rows.count(), 20);
  const ada = await rows.nth(0).innerText();
  assert.match(ada, new RegExp([
    "^Ada Abandoned", "ada\\.abandoned@example\\.com", "5 items", "Running shoes × 2, Socks × 3",
    escape(await money(19498, "EUR")), "3 days ago", escape(await when(touched[ids["Ada Abandoned"]])),
  ].join("\\s+")));
  const names = await page.locator('[data-testid="cart-row"] td:first-child a').allInnerTexts();
  assert.deepEqual(names, ["Ada Abandoned", ...Array.from({ length: 19 }, (_, i) => `Shopper ${String(i + 1).padStart(2, "0")}`)]);
  assert.match(await rows.nth(5).innerText(), new RegExp(`5 items\\s+Mug × 5\\s+${escape(await money(5000, "USD"))}\\s+2 days ago`));
  await page.screenshot({ path: `${shots}/carts-abandoned.png`, fullPage: true });

  await page.getByRole("button", { name: "Load more" }).click();
  await rows.nth(21).getByRole("link", { name: "Shopper 21" }).waitFor();
  assert.equal(await rows.count(), 22);
  assert.equal(await page.getByRole("button", { name: "Load more" }).count(), 0);
  assert.equal(await page.getByText("Rita Recent").count(), 0);  // touched just now: not abandoned

  // Every open cart: Rita's too, the most recent, last.
  await page.getByText("All open carts").click();
  await page.waitForURL((url) => url.searchParams.get("all") === "1");
  await rows.nth(19).getByRole("link", { name: "Shopper 19" }).waitFor();
  await page.getByRole("button", { name: "Load more" }).click();
  await rows.nth(22).getByRole("link", { name: "Rita Recent" }).waitFor();
  assert.equal(await rows.count(), 23);
  assert.match(await rows.nth(22).innerText(), new RegExp(`2 items\\s+Green tea × 2\\s+${escape(await money(1200, "JPY", 0))}\\s+(just now|\\d+ minutes? ago)`));
  await page.screenshot({ path: `${shots}/carts-all.png` });
  await page.getByText("Abandoned", { exact: true }).click();
  await page.waitForURL((url) => !url.searchParams.has("all"));
  await page.getByRole("link", { name: "Rita Recent" }).waitFor({ state: "detached" });
  assert.equal(await rows.count(), 22);  // both pages read before, kept

  await page.setViewportSize(phone);
  await page.reload();
  await rows.nth(0).getByRole("link", { name: "Ada Abandoned" }).waitFor();
  await page.screenshot({ path: `${shots}/carts-abandoned-mobile.png` });
  await page.setViewportSize({ width: 1280, height: 800 });

  await rows.nth(0).getByRole("link", { name: "Ada Abandoned" }).click();
  await page.waitForURL(new RegExp(`/app/customers/${ids["Ada Abandoned"]}\\?tab=cart$`));
  await page.getByTestId("cart-line").first().waitFor();
  assert.equal(await page.getByRole("tab", { name: "Cart" }).getAttribute("aria-selected"), "true");
  await page.close();
});

test("the Cart tab shows the lines and subtotal; Clear cart is confirmed by keyboard, and the tab shows the empty cart", async () => {
  await seed();
  const id = ids["Ada Abandoned"];
  const page = await signInAsOperator(env);
  const { money, when } = await formats(page);
  await page.goto(`${env.server.url}/app/customers/${id}?tab=cart`);
  const lines = page.getByTestId("cart-line");
  await lines.first().waitFor();
  const texts = await lines.allInnerTexts();
  assert.equal(texts.length, 2);
  assert.match(texts[0], new RegExp(`^Running shoes\\s+SKU SHOE-42\\s+2\\s+${escape(await money(8999, "EUR"))}\\s+${escape(await money(17998, "EUR"))}$`));
  assert.match(texts[1], new RegExp(`^Socks\\s+3\\s+${escape(await money(500, "EUR"))}\\s+${escape(await money(1500, "EUR"))}$`));
  assert.match(await page.getByTestId("cart-subtotal").innerText(), new RegExp(`^Subtotal\\s+5 items\\s+${escape(await money(19498, "EUR"))}$`));
  const summary = await page.getByTestId("cart-summary").innerText();
  assert.match(summary, new RegExp(`LAST UPDATED\\s+${escape(await when(touched[id]))} · 3 days ago`, "i"));
  assert.match(summary, /CURRENCY\s+EUR/i);
  await page.screenshot({ path: `${shots}/customer-cart.png`, fullPage: true });

  // By keyboard: Enter on Clear cart opens the question, with the focus in it; Escape leaves the cart
  // as it is and gives the focus back.
  const clear = page.getByRole("button", { name: "Clear cart" });
  await clear.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Clear Ada Abandoned's cart?" });
  await dialog.waitFor();
  await dialog.getByText(`The 5 items (${await money(19498, "EUR")}) leave the cart`).waitFor();
  assert.ok(await page.evaluate(() => Boolean(document.activeElement?.closest("[role=dialog]"))));
  await checkAccessibility(page, "the clear confirmation");
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  assert.equal((await call("GET", `/api/customers/${id}/cart`)).lines.length, 2);
  await page.waitForFunction(() => document.activeElement?.textContent === "Clear cart");

  // Again, and Tab to the dialog's Clear cart: Cancel comes first.
  await page.keyboard.press("Enter");
  await dialog.waitFor();
  const focused = () => page.evaluate(() => document.activeElement?.textContent ?? "");
  for (let i = 0; i < 4 && (await focused()) !== "Cancel"; i++) await page.keyboard.press("Tab");
  assert.equal(await focused(), "Cancel");
  await page.keyboard.press("Tab");
  assert.equal(await focused(), "Clear cart");
  assert.ok(await page.evaluate(() => Boolean(document.activeElement?.closest("[role=dialog]"))));
  await page.keyboard.press("Enter");
  await dialog.waitFor({ state: "hidden" });
  await page.getByTestId("cart-empty").waitFor();
  const cleared = await call("GET", `/api/customers/${id}/cart`);
  assert.deepEqual([cleared.lines, cleared.updated_at, cleared.version], [[], null, 0]);
  assert.equal(await page.getByRole("button", { name: "Clear cart" }).count(), 0);
  await page.screenshot({ path: `${shots}/customer-cart-empty.png` });

  // The History tab says what happened, in words.
  await page.getByRole("tab", { name: "History" }).click();
  await page.getByText("Cart cleared").first().waitFor();

  // Gone from the abandoned carts; the shop's next PUT starts a new cart, shown at once.
  await page.goto(`${env.server.url}/app/carts`);
  await page.getByTestId("cart-row").nth(0).getByRole("link", { name: "Shopper 01" }).waitFor();
  await call("PUT", `/api/customers/${id}/cart`, { currency: "EUR", lines: [{ name: "Cap", quantity: 1, unit_price: 1500 }] });
  await page.goto(`${env.server.url}/app/customers/${id}?tab=cart`);
  assert.match(await page.getByTestId("cart-subtotal").innerText(), new RegExp(`1 item\\s+${escape(await money(1500, "EUR"))}$`));

  await page.goto(`${env.server.url}/app/customers/${ids["Nora Nocart"]}?tab=cart`);
  await page.getByText("No open cart: nothing is waiting to be bought.").waitFor();
  await page.close();
});

test("a support agent sees the carts but does not clear them", async () => {
  await seed();
  const page = await signInAsStaff(env, call, { role: "support", email: "sue@shop.example" });
  await page.getByRole("link", { name: "Abandoned carts" }).click();
  await page.getByTestId("cart-row").first().waitFor();
  await page.goto(`${env.server.url}/app/customers/${ids["Shopper 03"]}?tab=cart`);
  await page.getByTestId("cart-line").first().waitFor();
  assert.match(await page.getByTestId("cart-line").innerText(), /^Mug\s+3\s/);
  assert.equal(await page.getByRole("button", { name: "Clear cart" }).count(), 0);
  await page.close();
});
