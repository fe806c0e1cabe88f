// Starts the real server (a fresh database, the built UI) and Debian's Chromium for a test file.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { after, before } from "node:test";

import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
export const binary = process.env.CLIENTELE_BIN ?? join(repo, "build/server/clientele");
export const shots = join(here, "out");
export const operator = { email: "admin@example.com", password: "correct horse battery" };

export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), "clientele-e2e-"));
  const db = join(dir, "e2e.db");
  execFileSync(binary, ["migrate", "--db", db]);
  execFileSync(binary, ["create-admin", "--db", db, "--email", operator.email, "--password", operator.password, "--name", "Operator"]);
  const proc = spawn(binary, ["serve", "--db", db, "--listen", "127.0.0.1:0", "--ui-dir", join(repo, "ui/dist"), "--no-access-log"], { stdio: ["ignore", "pipe", "inherit"] });
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
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync"],
  });
}

//! Registers before/after hooks for a test file: a fresh server and a browser, shared by its tests.
//! Returns an object whose `server` and `browser` are set once the hooks have run.
export function useServerAndBrowser({ prepare } = {}) {
  const env = {};
  before(async () => {
    env.server = await startServer();
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
