// The API's TypeScript types, generated from docs/openapi.yaml (the spec is the truth) into
// src/api-types.ts by openapi-typescript: `npm run gen:api` writes them; `--check` generates them
// to a temporary file and fails when they differ from the committed ones (CTest ui.api_types).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ui = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const spec = resolve(ui, "../docs/openapi.yaml");
const committed = join(ui, "src/api-types.ts");
const generator = join(ui, "node_modules/.bin/openapi-typescript");

function generate(output) {
  const run = spawnSync(generator, [spec, "--output", output], { stdio: ["ignore", "ignore", "inherit"] });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

if (!process.argv.includes("--check")) {
  generate(committed);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), "api-types-"));
try {
  const fresh = join(dir, "api-types.ts");
  generate(fresh);
  const want = readFileSync(fresh, "utf8").split("\n");
  const have = readFileSync(committed, "utf8").split("\n");
  const line = want.findIndex((text, i) => text !== have[i]);
  if (line === -1 && want.length === have.length) {
    console.log("ui/src/api-types.ts matches docs/openapi.yaml");
  } else {
    const at = line === -1 ? Math.min(want.length, have.length) : line;
    console.error(`ui/src/api-types.ts is not what docs/openapi.yaml generates (first difference at line ${at + 1}):`);
    console.error(`  committed: ${have[at] ?? "(end of file)"}\n  generated: ${want[at] ?? "(end of file)"}`);
    console.error("Run `npm run gen:api` in ui/ and commit the result.");
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
