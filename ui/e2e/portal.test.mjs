// A workspace's customer portal in a real browser (seed 000's website customers): sign-up and
// sign-in, the profile with a country's state, invitations for customers the business created,
// password changes, validation on the fields, lockout, a profile changed elsewhere, and an
// unknown portal. Every screen is saved at desktop size and at a phone's 375 px.
import assert from "node:assert/strict";
import { test } from "node:test";

import { apiClient, shots, signInAsOperator, useServerAndBrowser } from "./harness.mjs";

const env = useServerAndBrowser();
const desktop = { width: 1280, height: 860 };
const phone = { width: 375, height: 780 };
let call;  // the operator's API client, made on first use
const admin = (method, path, body) => (call ??= apiClient(env))(method, path, body);

//! Saves the page as `portal-<name>.png` at desktop size and `portal-<name>-mobile.png` at 375 px.
async function snap(page, name) {
  const size = page.viewportSize();
  for (const [viewport, file] of [[phone, `portal-${name}-mobile`], [desktop, `portal-${name}`]]) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(200);  // the layout settles
    await page.screenshot({ path: `${shots}/${file}.png`, fullPage: true });
  }
  await page.setViewportSize(size);
}

//! The input with this label (Mantine adds " *" to a required field's label, and labels a select's
//! list of options too).
function field(page, label) {
  const name = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}( \\*)?$`);
  return page.getByLabel(name).and(page.locator("input, textarea"));
}

//! The error text Mantine shows on the field with this label (what the input's aria-describedby
//! names), once it matches `expected`.
async function fieldError(page, label, expected) {
  const input = field(page, label);
  let seen = "";
  for (let tries = 0; tries < 100; tries++) {
    seen = await input.evaluate((el) => (el.getAttribute("aria-describedby") ?? "").split(/\s+/)
      .filter((id) => id.endsWith("-error")).map((id) => document.getElementById(id)?.textContent ?? "").join(" "));
    if (expected.test(seen)) return seen;
    await page.waitForTimeout(100);
  }
  assert.fail(`the field "${label}" shows "${seen}", not ${expected}`);
}

//! Waits until the field with this label shows `expected` (selects show their option's label once
//! their options have loaded).
async function shows(page, label, expected) {
  let seen;
  for (let tries = 0; tries < 100; tries++) {
    seen = await field(page, label).inputValue();
    if (seen === expected) return;
    await page.waitForTimeout(100);
  }
  assert.equal(seen, expected, `the field "${label}"`);
}

//! Picks an option of a Mantine Select, typing to narrow a searchable one.
async function choose(page, label, option, { search = false } = {}) {
  const input = field(page, label);
  await input.click();
  if (search) await input.fill(option);
  await page.getByRole("option", { name: option, exact: true }).click();
}

async function signIn(page, email, password) {
  await field(page, "E-mail").fill(email);
  await field(page, "Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function signOut(page) {
  await page.getByRole("button", { name: /^Your account/ }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await page.waitForURL("**/sign-in");
}

async function customerByEmail(email) {
  const found = await admin("GET", `/api/customers?email=${encodeURIComponent(email)}`);
  assert.equal(found.data.length, 1);
  return found.data[0];
}

// Registers through the portal's API (not the page), for tests about what comes after.
async function registerByApi(name, email, password) {
  const response = await fetch(`${env.server.url}/api/portal/default/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name, email, password, password_confirmation: password }),
  });
  assert.equal(response.status, 201);
}

test("a customer signs up, signs out, signs in again and keeps a changed profile", async () => {
  const page = await env.browser.newPage({ viewport: desktop });
  await page.goto(`${env.server.url}/portal/default`);
  await page.waitForURL("**/portal/default/sign-in");  // nobody signed in yet
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  assert.equal(await page.getByTestId("portal-workspace").innerText(), "Default workspace");  // the business's name, from GET /api/portal/default
  assert.equal(await page.title(), "Default workspace · Customer portal");
  await snap(page, "sign-in");

  await page.getByRole("link", { name: "Create an account" }).click();
  await page.waitForURL("**/portal/default/register");
  await page.getByText("The 10,000 most common passwords are refused.").waitFor();  // the rule, before typing
  await snap(page, "register");
  await field(page, "Name").fill("Pat Portal");
  await field(page, "E-mail").fill("Pat@Mail.example");
  await field(page, "Password").fill("a fine portal passphrase");
  await field(page, "Confirm password").fill("a fine portal passphrase");
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.waitForURL(/\/portal\/default$/);
  await page.getByTestId("portal-customer-name").getByText("Pat Portal").waitFor();
  assert.match(await page.getByTestId("loyalty-points").innerText(), /Loyalty points\s+0/i);
  await shows(page, "E-mail", "pat@mail.example");

  // The business sees the new customer, who registered through the portal and may sign in.
  const made = await customerByEmail("pat@mail.example");
  assert.equal(made.name, "Pat Portal");
  assert.equal(made.registered_via, "portal");
  assert.equal(made.portal_access, true);

  await signOut(page);
  await page.goto(`${env.server.url}/portal/default`);
  await page.waitForURL("**/portal/default/sign-in");  // the profile needs a session again
  await signIn(page, "pat@mail.example", "a fine portal passphrase");
  await page.waitForURL(/\/portal\/default$/);

  await field(page, "First name").fill("Pat");
  await field(page, "Last name").fill("Portal");
  await field(page, "Mobile").fill("+49 151 2345678");
  await field(page, "Date of birth").click();
  await page.locator("[data-dates-dropdown]").waitFor();  // the date picker
  await page.waitForTimeout(300);  // its opening transition
  await page.screenshot({ path: `${shots}/portal-profile-date-picker.png` });
  await field(page, "Date of birth").fill("1990-04-01");
  await page.keyboard.press("Escape");
  await choose(page, "Gender", "Non-binary");
  await field(page, "Street and number").fill("Marienplatz 8");
  await field(page, "Postal code").fill("80331");
  await field(page, "City").fill("München");
  await choose(page, "Country", "Germany", { search: true });
  await field(page, "State or region").click();
  await page.getByRole("option", { name: "Bayern", exact: true }).waitFor();  // Germany's states
  await page.screenshot({ path: `${shots}/portal-profile-states.png` });
  await choose(page, "State or region", "Bayern", { search: true });
  await snap(page, "profile-edited");
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.getByText("Your profile is up to date.").waitFor();

  await page.reload();
  await page.getByTestId("portal-customer-name").getByText("Pat Portal").waitFor();
  await shows(page, "Country", "Germany");
  await shows(page, "State or region", "Bayern");
  await shows(page, "City", "München");
  await shows(page, "Date of birth", "1 April 1990");
  await shows(page, "Gender", "Non-binary");
  await snap(page, "profile");

  // What the business now has, read through the admin API.
  const stored = await customerByEmail("pat@mail.example");
  assert.deepEqual(
    { first: stored.first_name, last: stored.last_name, mobile: stored.mobile, birthdate: stored.birthdate, gender: stored.gender },
    { first: "Pat", last: "Portal", mobile: "+49 151 2345678", birthdate: "1990-04-01", gender: "non_binary" });
  assert.deepEqual(stored.address,
    { street: "Marienplatz 8", street2: null, city: "München", postal_code: "80331", state: "BY", country: "DE" });

  // Another country clears the state, and one without states has no state field.
  await choose(page, "Country", "Aruba", { search: true });
  assert.equal(await field(page, "State or region").count(), 0);
  await page.getByRole("button", { name: "Discard changes" }).click();
  await shows(page, "State or region", "Bayern");
  await page.close();
});

test("a customer the admin created cannot sign in until invited, then signs in with the chosen password", async () => {
  const made = await admin("POST", "/api/customers", { name: "Ada Lovelace", email: "ada@mail.example" });
  // The operator is signed in to the admin in the same browser: the portal's session is its own.
  const page = await signInAsOperator(env, desktop);
  await page.goto(`${env.server.url}/portal/default/sign-in`);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await signIn(page, "ada@mail.example", "any password at all");
  const alert = page.locator("form").getByRole("alert");
  await alert.waitFor();
  assert.match(await alert.innerText(), /The e-mail or the password is wrong\./);
  await snap(page, "sign-in-wrong");

  const invitation = await admin("POST", `/api/customers/${made.id}/portal-invitation`);
  const link = new URL(invitation.url);
  assert.equal(link.pathname, "/portal/default/invitation");
  await page.goto(`${env.server.url}${link.pathname}${link.hash}`);
  await page.getByRole("heading", { name: "Choose your password" }).waitFor();
  await snap(page, "invitation");
  await field(page, "Password").fill("ada's analytical engine");
  await field(page, "Confirm password").fill("ada's analytical engine");
  await page.getByRole("button", { name: "Set password and sign in" }).click();
  await page.waitForURL(/\/portal\/default$/);  // signed in, and the token gone from the address
  await page.getByTestId("portal-customer-name").getByText("Ada Lovelace").waitFor();
  await shows(page, "E-mail", "ada@mail.example");
  assert.equal((await customerByEmail("ada@mail.example")).portal_access, true);

  // The link worked once.
  await signOut(page);
  await page.goto(`${env.server.url}${link.pathname}${link.hash}`);
  await field(page, "Password").fill("another good passphrase");
  await field(page, "Confirm password").fill("another good passphrase");
  await page.getByRole("button", { name: "Set password and sign in" }).click();
  assert.match(await page.locator("form").getByRole("alert").innerText(), /not valid any more/);

  await page.goto(`${env.server.url}/portal/default/sign-in`);
  await signIn(page, "ada@mail.example", "ada's analytical engine");
  await page.waitForURL(/\/portal\/default$/);
  await page.getByTestId("portal-customer-name").getByText("Ada Lovelace").waitFor();

  // Signing in and out of the portal left the operator's admin session alone.
  const me = await page.request.get(`${env.server.url}/api/auth/me`);
  assert.equal(me.status(), 200);
  assert.equal((await me.json()).user.email, "admin@example.com");
  await page.close();
});

test("after a password change the old password stops working, the new one works, other sessions end", async () => {
  await registerByApi("Chris Change", "chris@mail.example", "the first passphrase");
  const page = await env.browser.newPage({ viewport: desktop });
  const elsewhere = await env.browser.newPage({ viewport: phone });  // another device, its own cookies
  for (const p of [page, elsewhere]) {
    await p.goto(`${env.server.url}/portal/default/sign-in`);
    await signIn(p, "chris@mail.example", "the first passphrase");
    await p.waitForURL(/\/portal\/default$/);
  }

  await page.getByRole("link", { name: "Change password" }).click();
  await page.waitForURL("**/portal/default/password");
  await page.getByText("Everywhere else").waitFor();  // it says what happens to other sessions
  await snap(page, "change-password");
  await field(page, "Current password").fill("not my password");
  await field(page, "New password").fill("the second passphrase");
  await field(page, "Confirm new password").fill("the second passphrase");
  await page.getByRole("button", { name: "Change password" }).click();
  await fieldError(page, "Current password", /^Current password is wrong$/);
  await field(page, "Current password").fill("the first passphrase");
  await page.getByRole("button", { name: "Change password" }).click();
  await page.waitForURL(/\/portal\/default$/);
  await page.getByText("Your other devices have been signed out.").waitFor();

  // The other device's session ended; this one goes on.
  await elsewhere.reload();
  await elsewhere.waitForURL("**/portal/default/sign-in");
  await page.reload();
  await page.getByTestId("portal-customer-name").getByText("Chris Change").waitFor();

  await signOut(page);
  await signIn(page, "chris@mail.example", "the first passphrase");
  assert.match(await page.locator("form").getByRole("alert").innerText(), /The e-mail or the password is wrong\./);
  await signIn(page, "chris@mail.example", "the second passphrase");
  await page.waitForURL(/\/portal\/default$/);
  await page.getByTestId("portal-customer-name").getByText("Chris Change").waitFor();
  await elsewhere.close();
  await page.close();
});

test("sign-up shows a mismatched confirmation, a common password and a taken e-mail on their fields", async () => {
  const page = await env.browser.newPage({ viewport: phone });
  await page.goto(`${env.server.url}/portal/default/register`);
  await field(page, "Name").fill("Val Idation");
  await field(page, "E-mail").fill("val@mail.example");
  await field(page, "Password").fill("password1");
  await field(page, "Confirm password").fill("password2");
  await page.getByRole("button", { name: "Sign up" }).click();
  await fieldError(page, "Confirm password", /^Confirm password does not match the password$/);
  await page.screenshot({ path: `${shots}/portal-register-mismatch-mobile.png`, fullPage: true });

  await field(page, "Confirm password").fill("password1");
  await page.getByRole("button", { name: "Sign up" }).click();
  await fieldError(page, "Password", /^Password is one of the 10,000 most common passwords; choose another$/);
  await snap(page, "register-common-password");

  // An e-mail a customer has already: only an invitation gives that record a password.
  await field(page, "E-mail").fill("pat@mail.example");
  await field(page, "Password").fill("a different passphrase");
  await field(page, "Confirm password").fill("a different passphrase");
  await page.getByRole("button", { name: "Sign up" }).click();
  await fieldError(page, "E-mail", /^E-mail is already registered$/);
  assert.match(await page.locator("form").getByRole("alert").innerText(), /ask for an invitation/);
  assert.equal((await admin("GET", "/api/customers?email=val%40mail.example")).data.length, 0);  // nobody made
  await page.close();
});

test("repeated wrong passwords lock the sign-in, saying how long to wait", async () => {
  await registerByApi("Lou Locked", "lou@mail.example", "lou's own passphrase");
  const page = await env.browser.newPage({ viewport: phone });
  await page.goto(`${env.server.url}/portal/default/sign-in`);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  // Signs in and returns the server's status once the page shows its answer.
  const attempt = async (password) => {
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/api/portal/default/login") && r.request().postData() !== "{}"),
      signIn(page, "lou@mail.example", password),
    ]);
    await page.locator("form").getByRole("alert").waitFor();
    return answer.status();
  };
  const statuses = [];
  for (let n = 0; n < 8 && statuses.at(-1) !== 429; n++) statuses.push(await attempt(`wrong guess ${n}`));
  assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);  // five failures, then the lock
  // The lock lasts 30 seconds from the fifth failure; a loaded machine may show a second less.
  assert.match(await page.locator("form").getByRole("alert").innerText(),
    /^Could not sign in\s+Too many failed sign-ins\. Try again in (30|29|28) seconds\.$/);
  await snap(page, "sign-in-locked");
  // Locked means locked: the right password waits too.
  assert.equal(await attempt("lou's own passphrase"), 429);
  assert.match(await page.locator("form").getByRole("alert").innerText(), /Try again in \d+ seconds/);
  await page.close();
});

test("a profile changed elsewhere meanwhile is explained, and reloaded on request", async () => {
  await registerByApi("Mo Meanwhile", "mo@mail.example", "mo's own passphrase");
  const page = await env.browser.newPage({ viewport: desktop });
  await page.goto(`${env.server.url}/portal/default/sign-in`);
  await signIn(page, "mo@mail.example", "mo's own passphrase");
  await page.waitForURL(/\/portal\/default$/);
  await page.getByTestId("portal-customer-name").getByText("Mo Meanwhile").waitFor();

  const mo = await customerByEmail("mo@mail.example");
  await admin("PATCH", `/api/customers/${mo.id}`, { phone: "+44 20 7946 0000" });

  await field(page, "City").fill("London");
  await page.getByRole("button", { name: "Save changes" }).click();
  const alert = page.locator("form").getByRole("alert").filter({ hasText: "Changed somewhere else" });
  await alert.waitFor();
  assert.match(await alert.innerText(), /Reload them, then make your changes again/);
  await snap(page, "profile-conflict");
  await alert.getByRole("button", { name: "Reload my details" }).click();
  await page.waitForFunction(() => document.querySelector("input[type=tel]")?.value === "+44 20 7946 0000");
  await shows(page, "City", "");  // the reloaded record
  assert.equal((await customerByEmail("mo@mail.example")).address.city, null);  // nothing saved blindly
  await page.close();
});

test("an unknown workspace has no portal", async () => {
  const page = await env.browser.newPage({ viewport: desktop });
  await page.goto(`${env.server.url}/portal/no-such-shop`);
  await page.getByRole("heading", { name: "No such portal" }).waitFor();
  await page.getByText("There is no customer portal called no-such-shop.").waitFor();
  assert.equal(await page.getByRole("link", { name: "Create an account" }).count(), 0);
  await snap(page, "no-such-portal");
  await page.goto(`${env.server.url}/portal/no-such-shop/register`);
  await page.getByRole("heading", { name: "No such portal" }).waitFor();
  await page.close();
});
