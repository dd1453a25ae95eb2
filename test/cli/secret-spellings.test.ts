import assert from "node:assert/strict";
import { join } from "node:path";
import { KLING_ENV, runKlingCli, simFor } from "../helpers/batch.js";
import { readResults, tempDir, writeCsv } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

test("kling: a whsec_ secret written in base64url is redacted in its standard base64 spelling too (the same key bytes)", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const given = "whsec_----ESIz----ESIz----ESIz----ESIz"; // base64url
  const standard = "whsec_++++ESIz++++ESIz++++ESIz++++ESIz"; // the same bytes, standard base64
  // The provider signs (and echoes) with the standard spelling; the user configured the other.
  const sim = await simFor(t, { echoSecrets: "text", callbacks: { klingWebhookSecret: standard } });
  const csv = writeCsv(dir, "in.csv", "prompt\nA quiet pier\nA [fail] storm\n");
  const r = await runKlingCli(dir, csv, sim, ["--listen", "127.0.0.1:0", "--callback-poll", "60"], {
    ...KLING_ENV,
    KLING_WEBHOOK_SECRET: given,
  });
  assert.equal(r.code, 1, r.stderr);
  const results = JSON.stringify(readResults(join(dir, "in.results.csv")));
  for (const text of [r.stderr, r.stdout, results])
    for (const form of [standard, encodeURIComponent(standard), "++++ESIz++++ESIz", "----ESIz----ESIz"])
      assert.ok(!text.includes(form), `${form} leaked`);
  assert.ok(results.includes("[redacted]"), "the echo was there, and removed");
});

test("a webhook key given as a flag for the other provider is never printed, nor repeated in the suggested next command", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(dir, "in.csv", "prompt\nA quiet pier\nA [fail] storm\n");
  const r = await runKlingCli(dir, csv, sim, [
    "--kie-webhook-key",
    "KIEHOOK-SECRET-0001",
    "--listen",
    "127.0.0.1:0",
    "--json",
  ]);
  assert.equal(r.code, 1, r.stderr);
  for (const text of [r.stderr, r.stdout]) assert.ok(!text.includes("KIEHOOK-SECRET-0001"), text);
  assert.match(r.stderr, /Next: The provider's content filter refused line 3: .* vidbatch run /);
  assert.doesNotMatch(r.stderr, /Next: .*--kie-webhook-key/);
  assert.match(r.stderr, /left out of these commands: put it in KIE_WEBHOOK_KEY or KLING_WEBHOOK_SECRET/);
});
