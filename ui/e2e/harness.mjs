// Starts the real server (a fresh database, the built UI) and Debian's Chromium for a test file, and
// checks every page the tests show with axe-core (WCAG 2.1 A and AA).
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { after, before } from "node:test";

import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
export const binary = process.env.CLIENTELE_BIN ?? join(repo, "build/server/clientele");
export const shots = join(here, "out");
export const operator = { email: "admin@example.com", password: "correct horse battery" };

//! `serveArgs` are added to `clientele serve` (e.g. ["--enable-test-jobs"]).
export async function startServer(serveArgs = []) {
  const dir = mkdtempSync(join(tmpdir(), "clientele-e2e-"));
  const db = join(dir, "e2e.db");
  execFileSync(binary, ["migrate", "--db", db]);
  execFileSync(binary, ["create-admin", "--db", db, "--email", operator.email, "--password", operator.password, "--name", "Operator"]);
  const proc = spawn(binary, ["serve", "--db", db, "--listen", "127.0.0.1:0", "--ui-dir", join(repo, "ui/dist"), "--no-access-log", ...serveArgs], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolveUrl, reject) => {
    let seen = "";
    proc.stdout.on("data", (chunk) => {
      seen += chunk;
      const match = seen.match(/listening on (http:\/\/\S+)/);
      if (match) resolveUrl(match[1]);
    });
    proc.on("exit", (code) => reject(new Error(`clientele exited with ${code}`)));
  });
  return {
    url,
    db,
    cli: (...args) => execFileSync(binary, args.map((a) => (a === "{db}" ? db : a))).toString(),
    async stop() {
      proc.kill("SIGTERM");
      await new Promise((done) => proc.on("exit", done));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startBrowser() {
  mkdirSync(shots, { recursive: true });
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync"],
  });
  // Every page the tests open is checked for accessibility wherever it is shown (see checkedPage).
  const newPage = browser.newPage.bind(browser);
  browser.newPage = async (options) => checkedPage(await newPage(options));
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    const contextPage = context.newPage.bind(context);
    context.newPage = async () => checkedPage(await contextPage());
    return context;
  };
  return browser;
}

// axe-core's rules for WCAG 2.0 and 2.1, levels A and AA.
const wcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

//! Runs axe-core on the page as it is and fails, naming each rule, its impact and the elements, on
//! any WCAG 2.x A or AA violation. It waits for the page to settle first: no request in flight, no
//! finite animation running (a fading modal's colours are not the ones it settles on).
export async function checkAccessibility(page, what = "") {
  await settle(page);
  // The same page in the same state (markup, window size, what the mouse is over) passed already:
  // a screenshot right after a navigation, say.
  const state = await page.evaluate(() => {
    const hovered = [...document.querySelectorAll(":hover")].pop()?.outerHTML.slice(0, 200) ?? "";
    const text = `${innerWidth}x${innerHeight}\n${hovered}\n${document.documentElement.outerHTML}`;
    let hash = 0;
    for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
    return `${text.length}:${hash}`;
  });
  if (passed.get(page) === state) return;
  const where = `${new URL(page.url()).pathname}${what ? ` (${what})` : ""}`;
  // Evaluated rather than added as a <script>: the app's Content-Security-Policy allows no inline
  // script, and the tests should see the page under the policy it has.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async (values) => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values }, resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), html: n.html, summary: n.failureSummary })),
    }));
  }, wcagTags);
  if (violations.length === 0) {
    passed.set(page, state);
    return;
  }
  const lines = violations.flatMap((v) => [
    `  ${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} element(s)`,
    ...v.nodes.slice(0, 10).map((n) => `    ${n.target}: ${n.html.slice(0, 160)}\n      ${n.summary.replace(/\n/g, "\n      ")}`),
    ...(v.nodes.length > 10 ? [`    … and ${v.nodes.length - 10} more`] : []),
  ]);
  throw new Error(`Accessibility violations (axe-core, WCAG 2.1 A/AA) at ${where}:\n${lines.join("\n")}`);
}

// Requests in flight per page, so that a check waits for the answers the page is about to show;
// the state each page last passed the check in.
const inFlight = new WeakMap();
const passed = new WeakMap();

async function settle(page) {
  const deadline = Date.now() + 5_000;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    if ((inFlight.get(page) ?? 0) > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= 150) break;
    await new Promise((done) => setTimeout(done, 25));
  }
  await page.evaluate(() => Promise.race([
    Promise.all(document.getAnimations()
      .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
      .map((a) => a.finished.catch(() => {}))),
    new Promise((done) => setTimeout(done, 2_000)),
  ]));
}

//! The page, checked by checkAccessibility after each navigation (goto, reload, back, waitForURL),
//! before each screenshot and before it closes: a new page or state that a test shows is checked
//! without the test asking. Tests call checkAccessibility themselves for a state they neither
//! screenshot nor reach by navigating (an open dialog, say).
function checkedPage(page) {
  inFlight.set(page, 0);
  const count = (delta) => () => inFlight.set(page, (inFlight.get(page) ?? 0) + delta);
  page.on("request", count(1));
  page.on("requestfinished", count(-1));
  page.on("requestfailed", count(-1));
  for (const name of ["goto", "reload", "goBack", "goForward", "waitForURL"]) {
    const original = page[name].bind(page);
    page[name] = async (...args) => {
      const result = await original(...args);
      await checkAccessibility(page, `after ${name}`);
      return result;
    };
  }
  const screenshot = page.screenshot.bind(page);
  page.screenshot = async (options = {}) => {
    await checkAccessibility(page, options.path ? basename(options.path) : "screenshot");
    return screenshot(options);
  };
  const close = page.close.bind(page);
  page.close = async (options) => {
    if (!page.isClosed()) await checkAccessibility(page, "before close");
    return close(options);
  };
  return page;
}

//! Registers before/after hooks for a test file: a fresh server and a browser, shared by its tests.
//! Returns an object whose `server` and `browser` are set once the hooks have run.
export function useServerAndBrowser({ prepare, serveArgs } = {}) {
  const env = {};
  before(async () => {
    env.server = await startServer(serveArgs);
    if (prepare) prepare(env.server);
    env.browser = await startBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

//! A page signed in as the operator through the login page's Admin tab.
export async function signInAsOperator(env, viewport = { width: 1280, height: 800 }) {
  const page = await env.browser.newPage({ viewport });
  await page.goto(`${env.server.url}/login`);
  await page.getByLabel("E-mail").fill(operator.email);
  await page.getByLabel("Password").fill(operator.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/app/customers");
  return page;
}

//! A page signed in as a new staff member with that role: invited through the operator's API client
//! `call` (see apiClient), joined through the invitation, signed in on the login page.
export async function signInAsStaff(env, call, { role, email, name = `A ${role}` }, viewport = { width: 1280, height: 800 }) {
  const password = `the ${role}'s passphrase`;
  const invited = await call("POST", "/api/users", { email, name, role });
  const accepted = await fetch(`${env.server.url}/api/auth/accept-invitation`, {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ token: invited.invitation.token, password }),
  });
  if (accepted.status !== 200) throw new Error(`accept-invitation: ${accepted.status}`);
  const page = await env.browser.newPage({ viewport });
  await page.goto(`${env.server.url}/login`);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/app/customers");
  return page;
}

//! A JSON client of the API with a new bearer token of that user (the operator by default), to seed
//! data and read back what the server stored: `await call("POST", "/api/tags", {name: "VIP"})`.
//! Resolves with the parsed body (null for 204); rejects with the problem's detail otherwise, the
//! status on `error.status`. Bytes (a Buffer) are sent as they are, with `type` as their media type.
export function apiClient(env, email = operator.email) {
  const token = env.server.cli("token", "create", "--db", "{db}", "--email", email).trim().split(/\s+/).pop();
  return async (method, path, body, type = "application/json") => {
    const raw = Buffer.isBuffer(body);
    const response = await fetch(`${env.server.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": type }) },
      body: body === undefined || raw ? body : JSON.stringify(body),
    });
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) throw Object.assign(new Error(`${method} ${path}: ${data?.detail ?? response.status}`), { status: response.status });
    return data;
  };
}
