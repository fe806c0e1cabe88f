// The login page (seed 001's two tabs) and the admin app's customer list, in a real browser.
import assert from "node:assert/strict";
import { test } from "node:test";

import { operator, shots, useServerAndBrowser } from "./harness.mjs";

const env = useServerAndBrowser({
  prepare: (server) => env.server.cli("demo-data", "--db", "{db}", "--customers", "60", "--seed", "7"),
});

test("a wrong password is said plainly, and the operator signs in to the customer list", async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${env.server.url}/app`);
  await page.waitForURL("**/login");  // not signed in yet
  await page.getByRole("tab", { name: "Admin login" }).waitFor();
  assert.equal(await page.getByRole("tab", { name: "Client login" }).count(), 1);
  await page.screenshot({ path: `${shots}/login.png` });

  await page.getByLabel("E-mail").fill(operator.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  const alert = page.getByRole("alert");
  await alert.waitFor();
  assert.match(await alert.innerText(), /e-mail or the password is wrong/);
  await page.screenshot({ path: `${shots}/login-wrong-password.png` });

  await page.getByLabel("Password").fill(operator.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/app/customers");
  await page.getByRole("heading", { name: "Customers" }).waitFor();
  await page.locator("tbody tr").first().waitFor();
  assert.equal(await page.locator("tbody tr").count(), 25);  // a page of 25, sorted by name
  await page.screenshot({ path: `${shots}/customers.png`, fullPage: true });

  // Search as you type narrows the list to what matches.
  const first = (await page.locator("tbody tr td").first().innerText()).split("\n")[0];
  await page.getByLabel("Search customers").fill(first);
  await page.waitForFunction((name) => {
    const rows = [...document.querySelectorAll("tbody tr")];
    return rows.length > 0 && rows.length < 25 && rows.every((r) => r.textContent.includes(name));
  }, first);
  await page.screenshot({ path: `${shots}/customers-search.png` });

  // Signing out ends the session: the app sends you back to the login page.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/login");
  await page.goto(`${env.server.url}/app/customers`);
  await page.waitForURL("**/login");
  await page.close();
});

test("the client tab signs a client in to its own, empty workspace", async () => {
  const token = env.server.cli("token", "create", "--db", "{db}", "--email", operator.email).trim().split(/\s+/).pop();
  const made = await fetch(`${env.server.url}/api/clients`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ company_name: "ABC Store", contact_email: "abc@store.example" }),
  }).then((r) => r.json());
  const page = await env.browser.newPage({ viewport: { width: 375, height: 740 } });  // a phone
  await page.goto(`${env.server.url}/login`);
  await page.getByRole("tab", { name: "Client login" }).click();
  await page.getByLabel("Username").fill(made.credentials.username);
  await page.getByLabel("Password").fill(made.credentials.password);
  await page.screenshot({ path: `${shots}/login-client-mobile.png` });
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/app/customers");
  await page.getByText("No customers yet.").waitFor();
  await page.screenshot({ path: `${shots}/customers-empty-mobile.png` });
  await page.close();
});
