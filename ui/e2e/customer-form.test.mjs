// The customer form and the customer page in a real browser (seed 000): a company created with a
// new tag, an industry, a country and state after a field error, then its contacts and typed
// addresses; an edit that meets someone else's change (412); the avatar; archiving a company with
// its contacts and restoring it; the portal invitation. What the server stored is read back.
import assert from "node:assert/strict";
import { test } from "node:test";

import { apiClient, checkAccessibility, shots, signInAsOperator, useServerAndBrowser } from "./harness.mjs";

const env = useServerAndBrowser();
const desktop = { width: 1280, height: 900 };
const phone = { width: 375, height: 800 };

// A valid 2×2 PNG (red, green, blue, yellow pixels).
const png = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGO4o2GjEXWHQWNL1K8TGgAlygW/JulsMwAAAABJRU5ErkJggg==",
  "base64");

//! Picks `option` in the Mantine select labelled `label`, typing `typed` to narrow it first.
async function pick(scope, label, option, typed = option) {
  const input = scope.getByRole("textbox", { name: label, exact: true });  // not the listbox it labels too
  await input.click();
  if (await input.isEditable()) await input.fill(typed);  // a searchable select; others only open
  const page = typeof scope.page === "function" ? scope.page() : scope;  // a locator's page, or the page
  await page.getByRole("option", { name: option, exact: true }).click();
}

//! Chooses a segment of a Mantine SegmentedControl by its label.
async function segment(scope, name) {
  await scope.locator(".mantine-SegmentedControl-root label", { hasText: new RegExp(`^${name}$`) }).click();
}

async function getJson(page, path) {
  const response = await page.request.get(`${env.server.url}${path}`);  // with the page's session cookie
  assert.equal(response.status(), 200, `GET ${path}`);
  return response.json();
}

//! A page signed in as the operator that fails fast (15 s) when something does not show.
async function signedIn(viewport) {
  const page = await signInAsOperator(env, viewport);
  page.setDefaultTimeout(15_000);
  return page;
}

//! Saves a screenshot without the success toasts over it; a full page from the top, since the
//! app's fixed header would otherwise be drawn where the page was scrolled to.
async function snap(page, name, { fullPage = false } = {}) {
  for (const close of await page.locator(".mantine-Notification-root button").all()) await close.click().catch(() => {});
  await page.locator(".mantine-Notification-root").first().waitFor({ state: "detached" }).catch(() => {});
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage });
}

const idFromUrl = (page) => Number(new URL(page.url()).pathname.match(/\/app\/customers\/(\d+)$/)[1]);

test("a company with a new tag, an industry, a country and state, two contacts and three typed addresses", async () => {
  const page = await signedIn(desktop);
  await page.goto(`${env.server.url}/app/customers/new`);
  await page.getByRole("heading", { name: "New customer" }).waitFor();
  await segment(page, "Company");
  await page.getByLabel("Company name").fill("Acme Trading");
  assert.equal(await page.getByLabel("Job title").count(), 0);  // an individual's field
  await page.getByLabel("E-mail").fill("Sales@Acme.example");
  await page.getByLabel("Website").fill("not a website");
  await page.getByLabel("Phone").fill("+49 89 1234567");
  await page.getByLabel("Tax ID").fill("DE123456789");

  const tags = page.getByLabel("Tags");
  await tags.click();
  await tags.fill("Key account");
  await page.getByRole("option", { name: "Create ‘Key account’" }).click();
  await page.locator(".mantine-Pill-root", { hasText: "Key account" }).waitFor();
  await tags.fill("VIP");
  await page.getByRole("option", { name: "VIP" }).click();

  await page.getByLabel("Street", { exact: true }).fill("Marienplatz 1");
  await page.getByLabel("City").fill("München");
  await page.getByLabel("Postal code").fill("80331");
  assert.equal(await page.getByRole("textbox", { name: "State", exact: true }).isDisabled(), true);  // no country yet
  await pick(page, "Country", "Germany", "Germ");
  await pick(page, "State", "Bayern", "Bay");
  await pick(page, "Industry", "Retail & wholesale", "Retail");
  await pick(page, "Responsible", "Operator (admin@example.com)", "Oper");
  await page.getByLabel("Company ID").fill("HRB 12345");
  await page.getByLabel("Reference").fill("V-0042");
  await page.getByLabel("Notes", { exact: true }).fill("Prefers e-mail.\nInvoices quarterly.");

  await page.getByRole("button", { name: "Create customer" }).click();
  // The server's word, under its field.
  await page.getByText("Website must be a web address such as https://example.com").waitFor();
  assert.equal(await page.getByLabel("Website").getAttribute("aria-invalid"), "true");
  await snap(page, "customer-form-error", { fullPage: true });

  await page.getByLabel("Website").fill("acme.example");
  await page.getByRole("button", { name: "Create customer" }).click();
  await page.waitForURL(/\/app\/customers\/\d+$/);
  const id = idFromUrl(page);
  await page.getByRole("heading", { name: "Acme Trading" }).waitFor();
  await page.getByText("Bayern").waitFor();
  await snap(page, "customer-view-overview", { fullPage: true });

  const stored = await getJson(page, `/api/customers/${id}`);
  assert.equal(stored.account_type, "company");
  assert.equal(stored.email, "sales@acme.example");
  assert.equal(stored.website, "https://acme.example");
  assert.deepEqual(stored.tags.map((t) => t.name).sort(), ["Key account", "VIP"]);
  assert.equal(stored.industry.name, "Retail & wholesale");
  assert.equal(stored.responsible.email, "admin@example.com");
  assert.deepEqual(stored.address, { street: "Marienplatz 1", street2: null, city: "München", postal_code: "80331", state: "BY", country: "DE" });
  assert.equal(stored.company_registry, "HRB 12345");
  assert.equal(stored.reference, "V-0042");
  assert.equal(stored.notes, "Prefers e-mail.\nInvoices quarterly.");
  const tag = (await getJson(page, "/api/tags")).data.find((t) => t.name === "Key account");
  assert.match(tag.color, /^#[0-9a-f]{6}$/);  // made from the form, with the palette's colour

  // Contacts: two, in the modal.
  await page.getByRole("tab", { name: "Contacts" }).click();
  await page.getByText("No contacts yet").waitFor();
  const contacts = [
    { title: "Mr. (Mister)", name: "Bob Buyer", job: "Head of purchasing", email: "bob@acme.example", phone: "+49 89 1234568" },
    { title: "Dr. (Doctor)", name: "Carla Controller", job: "CFO", email: "carla@acme.example", phone: "+49 89 1234569" },
  ];
  for (const [i, contact] of contacts.entries()) {
    await page.getByRole("button", { name: "Add contact" }).click();
    const modal = page.getByRole("dialog", { name: "Add a contact to Acme Trading" });
    await pick(modal, "Title", contact.title, contact.title.slice(0, 2));
    await modal.getByRole("textbox", { name: "Name", exact: true }).fill(contact.name);
    await modal.getByLabel("Job title").fill(contact.job);
    await modal.getByLabel("E-mail").fill(contact.email);
    await modal.getByLabel("Phone").fill(contact.phone);
    if (i === 0) await snap(page, "customer-contact-modal");
    await modal.getByRole("button", { name: "Add contact" }).click();
    await modal.waitFor({ state: "hidden" });
    await page.getByRole("link", { name: contact.name, exact: false }).waitFor();
  }
  // Editing one: the modal opens with its values, and the change is stored.
  await page.getByRole("button", { name: "Edit contact Carla Controller" }).click();
  const editContact = page.getByRole("dialog", { name: "Edit contact Carla Controller" });
  assert.equal(await editContact.getByLabel("Job title").inputValue(), "CFO");
  await checkAccessibility(page, "the contact's edit dialog");
  await editContact.getByLabel("Mobile").fill("+49 170 1234567");
  await editContact.getByRole("button", { name: "Save contact" }).click();
  await editContact.waitFor({ state: "hidden" });
  await page.getByRole("cell", { name: /\+49 170 1234567/ }).waitFor();
  await snap(page, "customer-view-contacts", { fullPage: true });

  // Addresses: invoice, delivery and other, and a second delivery address marked as the default.
  await page.getByRole("tab", { name: "Addresses" }).click();
  await page.getByText("No addresses yet").waitFor();
  const addresses = [
    { type: "Invoice", name: "Acme Accounts", street: "Marienplatz 1", city: "München", postal: "80331", country: "Germany", state: "Bayern" },
    { type: "Delivery", name: "Acme Warehouse", street: "Hafenstraße 7", city: "Hamburg", postal: "20457", country: "Germany", state: "Hamburg" },
    { type: "Other", name: "Acme Showroom", street: "1 Rue de Rivoli", city: "Paris", postal: "75001", country: "France" },
  ];
  for (const address of addresses) {
    await page.getByRole("button", { name: "Add address" }).click();
    const modal = page.getByRole("dialog", { name: "Add an address" });
    await segment(modal, address.type);
    await modal.getByLabel("Full name").fill(address.name);
    await modal.getByLabel("Street", { exact: true }).fill(address.street);
    await modal.getByLabel("City").fill(address.city);
    await modal.getByLabel("Postal code").fill(address.postal);
    await pick(modal, "Country", address.country, address.country.slice(0, 4));
    if (address.state) await pick(modal, "State", address.state, address.state.slice(0, 3));
    if (address.type === "Invoice") {
      // The first invoice address is the default by itself: said, and shown checked.
      const mark = modal.getByLabel("Default invoice address");
      assert.equal(await mark.isChecked(), true);
      await modal.getByText("The first invoice address is the default one.").waitFor();
      await snap(page, "customer-address-modal");
    }
    if (address.type === "Other") assert.equal(await modal.getByRole("checkbox").count(), 0);  // no default for "other"
    await modal.getByRole("button", { name: "Add address" }).click();
    await modal.waitFor({ state: "hidden" });
  }
  await page.getByRole("button", { name: "Add address" }).click();
  let modal = page.getByRole("dialog", { name: "Add an address" });
  await segment(modal, "Delivery");
  await modal.getByLabel("Full name").fill("Acme Second Warehouse");
  await modal.getByLabel("City").fill("Berlin");
  await modal.getByLabel("Default delivery address").check();
  await modal.getByRole("button", { name: "Add address" }).click();
  await modal.waitFor({ state: "hidden" });
  const secondWarehouse = page.getByRole("article").filter({ hasText: "Acme Second Warehouse" });
  await secondWarehouse.getByText("Default delivery").waitFor();
  assert.equal(await page.getByRole("article").filter({ hasText: "Acme Warehouse" }).getByText("Default delivery").count(), 0);
  // Deleting it (after a confirmation) gives the mark back to the first delivery address.
  await secondWarehouse.getByRole("button", { name: "Delete the delivery address" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete this address?" });
  await confirm.getByText("It is a default address").waitFor();
  await checkAccessibility(page, "the address's delete confirmation");
  await confirm.getByRole("button", { name: "Delete address" }).click();
  await secondWarehouse.waitFor({ state: "detached" });
  await page.getByRole("article").filter({ hasText: "Acme Warehouse" }).getByText("Default delivery").waitFor();
  assert.equal(await page.getByRole("article").count(), 3);
  await snap(page, "customer-view-addresses", { fullPage: true });

  // What the server holds now.
  const storedContacts = await getJson(page, `/api/customers/${id}/contacts`);
  assert.deepEqual(storedContacts.data.map((c) => c.name).sort(), ["Bob Buyer", "Carla Controller"]);
  const carla = storedContacts.data.find((c) => c.name === "Carla Controller");
  assert.equal(carla.title.short_name, "Dr.");
  assert.equal(carla.job_title, "CFO");
  assert.equal(carla.mobile, "+49 170 1234567");
  assert.equal(carla.company.id, id);
  const storedAddresses = (await getJson(page, `/api/customers/${id}/addresses`)).data;
  assert.deepEqual(
    storedAddresses.map((a) => [a.type, a.full_name, a.is_default_invoice, a.is_default_delivery]),
    [["invoice", "Acme Accounts", true, false], ["delivery", "Acme Warehouse", false, true], ["other", "Acme Showroom", false, false]]);
  assert.deepEqual(storedAddresses.map((a) => [a.country, a.state]), [["DE", "BY"], ["DE", "HH"], ["FR", null]]);

  // The page and the form on a phone.
  await page.setViewportSize(phone);
  await page.getByRole("tab", { name: "Overview" }).click();
  await snap(page, "customer-view-mobile", { fullPage: true });
  await page.getByRole("tab", { name: "Addresses" }).click();
  await page.getByRole("article").first().waitFor();
  await snap(page, "customer-view-addresses-mobile", { fullPage: true });
  await page.getByRole("button", { name: "Add address" }).click();
  await page.getByRole("dialog", { name: "Add an address" }).getByText("Permanent").waitFor();
  await snap(page, "customer-address-modal-mobile");
  await page.keyboard.press("Escape");
  await page.getByRole("tab", { name: "Contacts" }).click();
  await page.getByRole("link", { name: "Bob Buyer", exact: false }).waitFor();
  await snap(page, "customer-view-contacts-mobile", { fullPage: true });
  await page.getByRole("link", { name: "Edit", exact: true }).click();
  await page.getByRole("heading", { name: "Edit Acme Trading" }).waitFor();
  assert.equal(await page.getByLabel("Website").inputValue(), "https://acme.example");
  await snap(page, "customer-form-mobile", { fullPage: true });
  await page.close();
});

test("an edit made after someone else's change is refused (412) and Reload shows their version", async () => {
  const call = apiClient(env);
  const made = await call("POST", "/api/customers", { name: "Dana Dorsey", email: "dana@example.com", phone: "+1 555 0100" });
  const page = await signedIn(desktop);
  await page.goto(`${env.server.url}/app/customers/${made.id}/edit`);
  await page.getByRole("heading", { name: "Edit Dana Dorsey" }).waitFor();
  await page.getByLabel("Phone").fill("+1 555 0199");

  // Meanwhile, a colleague changes the record.
  await call("PATCH", `/api/customers/${made.id}`, { phone: "+1 555 0222", job_title: "Owner" });

  await page.getByRole("button", { name: "Save changes" }).click();
  const alert = page.getByRole("alert").filter({ hasText: "Changed by someone else" });
  await alert.waitFor();
  assert.match(await alert.innerText(), /changed this customer since you opened it/);
  assert.equal(await page.getByRole("button", { name: "Save changes" }).isDisabled(), true);
  await snap(page, "customer-form-conflict", { fullPage: true });
  assert.equal((await getJson(page, `/api/customers/${made.id}`)).phone, "+1 555 0222");  // ours was not applied

  await alert.getByRole("button", { name: "Reload" }).click();
  await alert.waitFor({ state: "detached" });
  assert.equal(await page.getByLabel("Phone").inputValue(), "+1 555 0222");
  assert.equal(await page.getByLabel("Job title").inputValue(), "Owner");
  await page.getByLabel("Mobile").fill("+1 555 0333");
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.waitForURL(`**/app/customers/${made.id}`);
  const stored = await getJson(page, `/api/customers/${made.id}`);
  assert.equal(stored.mobile, "+1 555 0333");
  assert.equal(stored.phone, "+1 555 0222");
  assert.equal(stored.version, 3);
  await page.close();
});

test("an individual with a new company and an avatar: the preview, then the stored picture", async () => {
  await apiClient(env)("POST", "/api/customers", { name: "Already There", email: "taken@example.com" });
  const page = await signedIn(phone);
  await page.goto(`${env.server.url}/app/customers/new`);
  await page.getByRole("heading", { name: "New customer" }).waitFor();
  await page.getByRole("textbox", { name: "Name", exact: true }).fill("Erin Example");
  await page.getByLabel("E-mail").fill("taken@example.com");
  await page.getByLabel("Job title").fill("Founder");
  const company = page.getByRole("textbox", { name: "Company", exact: true });
  await company.click();
  await company.fill("Nova Labs");
  await page.getByRole("option", { name: "Create ‘Nova Labs’" }).click();
  await page.getByText("“Nova Labs” is a new company, created when you save.").waitFor();
  await page.locator('input[type="file"]').setInputFiles({ name: "erin.png", mimeType: "image/png", buffer: png });
  const preview = page.getByRole("img", { name: "Avatar of Erin Example" });
  await preview.waitFor();
  assert.match(await preview.getAttribute("src"), /^blob:/);
  await snap(page, "customer-form-avatar-mobile", { fullPage: true });

  await page.getByRole("button", { name: "Create customer" }).click();
  // Another customer has this e-mail (409): said on the field.
  await page.getByText("Another customer already uses this e-mail address.").waitFor();
  assert.equal(await page.getByLabel("E-mail").getAttribute("aria-invalid"), "true");
  await page.getByLabel("E-mail").fill("erin@novalabs.example");
  await page.getByRole("button", { name: "Create customer" }).click();
  await page.waitForURL(/\/app\/customers\/\d+$/);
  const id = idFromUrl(page);
  const shown = page.getByTestId("customer-avatar").getByRole("img");
  await shown.waitFor();
  assert.match(await shown.getAttribute("src"), new RegExp(`^/api/customers/${id}/avatar/thumbnail\\?v=`));
  await page.getByRole("link", { name: "Nova Labs" }).first().waitFor();

  const stored = await getJson(page, `/api/customers/${id}`);
  assert.match(stored.avatar.url, new RegExp(`^/api/customers/${id}/avatar\\?v=`));
  assert.equal(stored.company.name, "Nova Labs");
  assert.equal(stored.job_title, "Founder");
  assert.equal(stored.email, "erin@novalabs.example");
  const novaLabs = await getJson(page, `/api/customers/${stored.company.id}`);
  assert.equal(novaLabs.account_type, "company");
  const thumbnail = await page.request.get(`${env.server.url}${stored.avatar.thumbnail_url}`);
  assert.equal(thumbnail.headers()["content-type"], "image/png");
  await snap(page, "customer-view-avatar-mobile", { fullPage: true });

  // A file that is not an image is refused in the browser, before anything is sent.
  await page.getByRole("link", { name: "Edit", exact: true }).click();
  await page.locator('input[type="file"]').setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
  await page.getByText("Choose a PNG, JPEG or WebP image.").waitFor();
  await page.close();
});

test("archiving a company with contacts: the reason, then with its contacts, then restore", async () => {
  const call = apiClient(env);
  const company = await call("POST", "/api/customers", { name: "Globex Corporation", account_type: "company" });
  await call("POST", `/api/customers/${company.id}/contacts`, { name: "Hank Scorpio", email: "hank@globex.example" });
  await call("POST", `/api/customers/${company.id}/contacts`, { name: "Frank Grimes" });
  const page = await signedIn(desktop);
  await page.goto(`${env.server.url}/app/customers/${company.id}?tab=contacts`);
  await page.getByRole("link", { name: "Hank Scorpio" }).waitFor();

  await page.getByRole("button", { name: "Archive", exact: true }).click();
  await page.getByRole("dialog", { name: "Archive Globex Corporation?" }).waitFor();
  await checkAccessibility(page, "the archive confirmation");
  await page.getByRole("dialog", { name: "Archive Globex Corporation?" }).getByRole("button", { name: "Archive" }).click();
  const why = page.getByRole("dialog", { name: "This company has contacts" });
  await why.getByText("Globex Corporation still has 2 contacts").waitFor();
  await snap(page, "customer-archive-contacts");
  assert.equal((await getJson(page, `/api/customers/${company.id}`)).name, "Globex Corporation");  // not archived yet
  await why.getByRole("button", { name: "Archive with its contacts" }).click();
  await page.getByRole("alert", { name: "Archived", exact: true }).waitFor();
  await page.getByText("Archived", { exact: true }).first().waitFor();
  assert.equal((await page.request.get(`${env.server.url}/api/customers/${company.id}`)).status(), 404);
  const archive = await getJson(page, "/api/customers?deleted=true&limit=200");
  assert.deepEqual(archive.data.map((c) => c.name).sort(), ["Frank Grimes", "Globex Corporation", "Hank Scorpio"]);

  // Opened afresh, the archived company is still found, and restored.
  await page.reload();
  const banner = page.getByRole("alert", { name: "Archived", exact: true });
  await banner.waitFor();
  assert.equal(await page.getByRole("button", { name: "Edit" }).count(), 0);
  await snap(page, "customer-view-archived", { fullPage: true });
  await banner.getByRole("button", { name: "Restore" }).click();
  await banner.waitFor({ state: "detached" });
  assert.equal((await getJson(page, `/api/customers/${company.id}`)).deleted_at ?? null, null);

  // Its contacts stay in the archive until restored from the Contacts tab.
  await page.getByRole("tab", { name: "Contacts" }).click();
  await page.getByText("2 archived contacts of Globex Corporation").waitFor();
  await snap(page, "customer-view-archived-contacts", { fullPage: true });
  await page.getByRole("button", { name: "Restore all 2" }).click();
  await page.getByRole("link", { name: "Frank Grimes" }).waitFor();
  const live = await getJson(page, `/api/customers/${company.id}/contacts`);
  assert.deepEqual(live.data.map((c) => c.name).sort(), ["Frank Grimes", "Hank Scorpio"]);
  await page.close();
});

test("a portal invitation is shown once, and portal access can be taken away", async () => {
  const call = apiClient(env);
  const made = await call("POST", "/api/customers", { name: "Ivy Invitee", email: "ivy@example.com" });
  const page = await signedIn(desktop);
  await page.goto(`${env.server.url}/app/customers/${made.id}`);
  await page.getByRole("button", { name: "Invite to portal" }).click();
  const shown = page.getByRole("dialog", { name: "Portal invitation" });
  const link = (await shown.getByTestId("portal-invitation-link").innerText()).trim();
  assert.match(link, /\/portal\/default\/invitation#token=[\w-]{40,}$/);
  await shown.getByRole("button", { name: "Copy link" }).waitFor();
  await snap(page, "customer-portal-invitation");
  await page.keyboard.press("Escape");

  // Ivy accepts it (as the portal page would), and signs in.
  const token = new URL(link).hash.replace("#token=", "");
  const accepted = await fetch(`${env.server.url}/api/portal/default/accept-invitation`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ token, password: "ivy's own passphrase", password_confirmation: "ivy's own passphrase" }),
  });
  assert.equal(accepted.status, 200);
  await page.reload();
  await page.getByText("Portal access", { exact: true }).first().waitFor();
  const lastLogin = await page.getByText("Last portal login").locator("..").innerText();
  assert.doesNotMatch(lastLogin, /Never/);  // accepting the invitation signed Ivy in

  await page.getByRole("button", { name: "Remove portal access" }).click();
  await page.getByRole("dialog", { name: "Remove portal access?" }).waitFor();
  await checkAccessibility(page, "the portal access's removal confirmation");
  await page.getByRole("dialog", { name: "Remove portal access?" }).getByRole("button", { name: "Remove access" }).click();
  await page.getByRole("button", { name: "Invite to portal" }).waitFor();
  assert.equal((await getJson(page, `/api/customers/${made.id}`)).portal_access, false);
  await page.close();
});
