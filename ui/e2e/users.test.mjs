// Workspace settings in a real browser: the operator invites a salesperson, who opens the link,
// chooses a password and works with the rights of the role.
import assert from "node:assert/strict";
import { test } from "node:test";

import { checkAccessibility, shots, signInAsOperator, useServerAndBrowser } from "./harness.mjs";

const env = useServerAndBrowser();

test("an invited salesperson joins through the link and sees no user settings", async () => {
  const admin = await signInAsOperator(env);
  await admin.getByRole("link", { name: "Users and roles" }).click();
  await admin.getByRole("heading", { name: "Users and roles" }).waitFor();
  await admin.getByRole("button", { name: "Invite someone" }).click();
  const form = admin.getByRole("dialog", { name: "Invite someone" });
  await form.getByLabel("E-mail").fill("sam@shop.example");
  await form.getByLabel("Name").fill("Sam Sales");
  await checkAccessibility(admin, "the invitation form");
  await form.getByRole("button", { name: "Create invitation" }).click();
  const link = (await admin.getByTestId("invitation-link").innerText()).trim();
  assert.match(link, /\/invitation#token=[\w-]{40,}$/);
  await admin.screenshot({ path: `${shots}/users-invitation.png` });
  await admin.keyboard.press("Escape");
  await admin.getByRole("cell", { name: "sam@shop.example", exact: true }).waitFor();
  await admin.screenshot({ path: `${shots}/users-list.png` });

  const context = await env.browser.newContext({ viewport: { width: 375, height: 740 } });
  const sam = await context.newPage();
  await sam.goto(link);
  await sam.getByLabel("Password").fill("password1");  // one of the most common: refused
  await sam.getByRole("button", { name: "Join" }).click();
  await sam.getByText("most common passwords").waitFor();
  await sam.screenshot({ path: `${shots}/invitation-common-password.png` });
  await sam.getByLabel("Password").fill("a sales passphrase");
  await sam.getByRole("button", { name: "Join" }).click();
  await sam.waitForURL("**/app/customers");
  await sam.getByText("Sam Sales · sales").waitFor({ state: "attached" });
  assert.equal(await sam.getByRole("link", { name: "Users and roles" }).count(), 0);
  await sam.screenshot({ path: `${shots}/invitation-joined-mobile.png` });

  // Back at the admin: Sam is active now.
  await admin.reload();
  const row = admin.getByRole("row", { name: /sam@shop\.example/ });
  await row.getByText("active", { exact: true }).waitFor();
  await context.close();
  await admin.close();
});
