import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { KEY, ledgerPathFor, runBatchCli, simFor } from "../helpers/batch.js";
import { runCli } from "../helpers/cli.js";
import { queryLedger, tempDir, writeCsv } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";
import { startReviewCli } from "../helpers/review.js";

/** One raw HTTP request (fetch would not let a test forge Host or leave Origin out). */
function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: Buffer; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? "GET", headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }),
      );
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

test("the review server: marks only from its own page (Origin, Host, JSON checked), media only the ledger's files, no key in any answer, nothing written outside the ledger", {
  timeout: 90_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(dir, "in.csv", "id,prompt,notes\nfox,A red fox,keep the tail\nbad,A [fail] brawl,\n");
  const run = await runBatchCli(dir, csv, sim);
  assert.equal(run.code, 1, run.stderr);
  const ledger = ledgerPathFor(dir);
  const before = readdirSync(dir).sort();
  const review = await startReviewCli(t, dir, ["review", "in.csv", "--port", "0"], { KIE_API_KEY: KEY });
  const origin = review.url.replace(/\/$/, "");
  const host = origin.replace("http://", "");
  const mark = (headers: Record<string, string>, body: unknown) =>
    raw(`${review.url}api/marks`, { method: "POST", headers, body: JSON.stringify(body) });
  const json = { "content-type": "application/json" };

  // Another site's page cannot write (its Origin), nor can a request that names none.
  for (const headers of [
    { ...json, origin: "https://evil.example" },
    { ...json, origin: "null" },
    { ...json },
    { ...json, origin, "sec-fetch-site": "cross-site" },
  ]) {
    const refused = await mark(headers, { key: "id:fox", mark: "redo" });
    assert.equal(refused.status, 403, JSON.stringify(headers));
  }
  // A form post (no preflight) is not JSON: refused.
  const form = await raw(`${review.url}api/marks`, {
    method: "POST",
    headers: { origin, "content-type": "text/plain" },
    body: JSON.stringify({ key: "id:fox", mark: "redo" }),
  });
  assert.equal(form.status, 415);
  // DNS rebinding: a page at another name that resolves to 127.0.0.1 is not answered.
  const rebound = await raw(`${review.url}api/cards`, {
    headers: { host: `evil.example:${host.split(":")[1]}` },
  });
  assert.equal(rebound.status, 421);
  assert.equal(queryLedger(ledger, "SELECT * FROM marks").length, 0, "nothing was written");

  // The page's own writes: checked, saved at once, read back.
  assert.equal((await mark({ ...json, origin }, { key: "id:nope", mark: "keep" })).status, 404);
  assert.equal((await mark({ ...json, origin }, { key: "id:fox", mark: "maybe" })).status, 400);
  assert.equal(
    (await mark({ ...json, origin }, null)).status,
    400,
    "a body of null is a bad request, not a crash",
  );
  assert.equal((await mark({ ...json, origin }, { key: "id:fox", note: "x".repeat(4001) })).status, 400);
  const saved = await mark({ ...json, origin }, { key: "id:fox", mark: "redo", note: "=cmd|' /C calc'!A0" });
  assert.equal(saved.status, 200, saved.body.toString());
  assert.deepEqual(JSON.parse(saved.body.toString()), {
    key: "id:fox",
    line: 2,
    mark: "redo",
    note: "=cmd|' /C calc'!A0",
  });
  const onlyNote = await mark({ ...json, origin }, { key: "id:bad", note: "rewrite\u0000 the fight" });
  assert.equal(JSON.parse(onlyNote.body.toString()).mark, null, "a note alone leaves the mark unset");
  assert.deepEqual(queryLedger(ledger, "SELECT row_key, mark, note FROM marks ORDER BY row_key"), [
    { row_key: "id:bad", mark: null, note: "rewrite the fight" },
    { row_key: "id:fox", mark: "redo", note: "=cmd|' /C calc'!A0" },
  ]);

  // The page and its data: the sheet's own column, the marks, never the key.
  const page = await raw(review.url, {});
  assert.equal(page.status, 200);
  assert.match(String(page.headers["content-security-policy"]), /default-src 'none'; script-src 'nonce-/);
  assert.equal(page.headers["x-frame-options"], "DENY");
  const cards = JSON.parse((await raw(`${review.url}api/cards`, {})).body.toString());
  assert.deepEqual(cards.cards[0].extras, [["notes", "keep the tail"]]);
  assert.equal(cards.cards[0].mark, "redo");
  assert.match(cards.cards[1].error, /Invalid prompt/);
  for (const text of [page.body.toString(), JSON.stringify(cards)]) assert.ok(!text.includes(KEY));

  // Media: the ledger's video, with ranges; never a path the request names.
  const video = cards.cards[0].video as string;
  const whole = await raw(`${origin}${video}`, {});
  assert.equal(whole.status, 200);
  assert.deepEqual(whole.body, readFileSync(join(dir, "in-videos", "fox.mp4")));
  const part = await raw(`${origin}${video}`, { headers: { range: "bytes=100-199" } });
  assert.equal(part.status, 206);
  assert.deepEqual(part.body, whole.body.subarray(100, 200));
  for (const path of [
    "/media/video?row=../../in.csv",
    "/media/frame?row=id:fox&n=0",
    "/in.ledger.db",
    "/../in.csv",
  ])
    assert.equal((await raw(`${origin}${path}`, {})).status, 404, path);

  // Another review on the same port is refused with what to do.
  const port = host.split(":")[1] as string;
  const second = await runCli(["review", "in.csv", "--port", port], { cwd: dir });
  assert.equal(second.code, 2);
  assert.match(
    second.stderr,
    new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is taken .*--port 0 for any free one`),
  );

  assert.equal(await review.stop(), 0);
  assert.deepEqual(
    readdirSync(dir).sort(),
    before,
    "the review wrote nothing beside the ledger, and left no -wal/-shm",
  );
});
