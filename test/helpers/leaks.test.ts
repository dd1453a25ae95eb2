import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir } from "./fixtures.js";
import { test } from "./leaks.js";

const LEAKS = fileURLToPath(new URL("./leaks.js", import.meta.url));
const LEDGER = fileURLToPath(new URL("../../src/ledger/open-ledger.js", import.meta.url));

/** Runs a throwaway test file under node --test and returns its TAP output. */
function runTestFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // Without NODE_TEST_CONTEXT: the inner runner must report in TAP, not to this runner.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const child = spawn(process.execPath, ["--test", "--test-reporter=tap", path], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.on("error", reject);
    child.on("close", () => resolve(out));
  });
}

test("the leak check fails a test that leaves a server, a timer or an open ledger behind", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const file = join(dir, "leaky.test.mjs");
  writeFileSync(
    file,
    `import { createServer } from "node:http";
import { test } from ${JSON.stringify(LEAKS)};
import { openLedger } from ${JSON.stringify(LEDGER)};
let server, timer, db;
test("clean", async (t) => {
  const s = createServer();
  await new Promise((r) => s.listen(0, "127.0.0.1", r));
  t.after(() => new Promise((r) => s.close(r)));
});
test("leaves a server", async () => {
  server = createServer();
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
});
test("leaves a timer", () => {
  server.close();
  timer = setInterval(() => {}, 1000);
});
test("leaves a ledger", () => {
  clearInterval(timer);
  db = openLedger(${JSON.stringify(join(dir, "l.db"))});
});
test("clean again", () => {
  db.close();
});
`,
  );
  const tap = await runTestFile(file);
  assert.match(tap, /^ok \d+ - clean$/m);
  assert.match(tap, /^not ok \d+ - leaves a server$/m);
  assert.match(tap, /the test left behind: 1 TCPServerWrap/);
  assert.match(tap, /^not ok \d+ - leaves a timer$/m);
  assert.match(tap, /the test left behind: 1 Timeout/);
  assert.match(tap, /^not ok \d+ - leaves a ledger$/m);
  assert.match(tap, /the test left behind: 1 open ledger/);
  assert.match(tap, /^ok \d+ - clean again$/m);
});
