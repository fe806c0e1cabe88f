// Seed 001's flow in a real browser: the operator creates a client, sees its credentials once,
// signs out, and the client signs in on the Client tab to its own, empty workspace.
import assert from "node:assert/strict";
import { test } from "node:test";

import { shots, signInAsOperator, useServerAndBrowser } from "./harness.mjs";

const env = useServerAndBrowser();

test("the operator creates a client, whose credentials then open its own workspace", async () => {
  const page = await signInAsOperator(env, { width: 1280, height: 860 });
  await page.getByRole("link", { name: "Client Management" }).click();
  await page.getByRole("heading", { name: "Client Management" }).waitFor();
  await page.getByText("No clients yet.").waitFor();

  await page.getByRole("button", { name: "New client" }).click();
  const form = page.getByRole("dialog", { name: "New client" });
  await form.getByLabel("Company name").fill("ABC Store");
  await form.getByLabel("Contact e-mail").fill("not-an-email");
  await form.getByRole("button", { name: "Create client" }).click();
  await form.getByText("Contact e-mail must be a valid email address").waitFor();  // the server's word, on its field
  await page.screenshot({ path: `${shots}/clients-form-error.png` });
  await form.getByLabel("Contact e-mail").fill("owner@abcstore.example");
  await form.getByLabel("WhatsApp number").fill("070936 35305");
  await form.getByRole("button", { name: "Create client" }).click();

  const shown = page.getByRole("dialog", { name: "Client credentials" });
  await shown.getByText("Shown once").waitFor();
  const username = (await shown.getByTestId("credentials-username").innerText()).trim();
  const password = (await shown.getByTestId("credentials-password").innerText()).trim();
  assert.match(username, /^abcstore\d{3,}$/);
  assert.equal(password.length, 12);
  assert.match(await shown.getByLabel("Message to send").inputValue(), new RegExp(username));
  assert.equal(await shown.getByRole("button", { name: "Copy", exact: true }).count(), 2);
  await page.screenshot({ path: `${shots}/clients-credentials.png` });
  await page.keyboard.press("Escape");
  await shown.waitFor({ state: "hidden" });  // the screenshot without the closing dialog
  await page.getByRole("cell", { name: "ABC Store", exact: true }).first().waitFor();
  await page.screenshot({ path: `${shots}/clients-list.png` });

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/login");
  await page.getByRole("tab", { name: "Client login" }).click();
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/app/customers");
  await page.getByText("No customers yet.").waitFor();
  assert.equal(await page.getByRole("link", { name: "Client Management" }).count(), 0);  // not the operator
  await page.screenshot({ path: `${shots}/client-workspace.png` });
  await page.close();
});
