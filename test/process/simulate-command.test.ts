import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startCli } from "../helpers/cli.js";
import { tempDir, waitFor } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

test("vidbatch simulate reads .env like run does: its callbacks are signed with the webhook keys there", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  writeFileSync(
    join(dir, ".env"),
    "KIE_WEBHOOK_KEY=kie-hmac-from-dotenv\nKLING_WEBHOOK_SECRET=whsec_ZnJvbS1kb3RlbnY=\n",
  );
  const sim = startCli(["simulate", "--port", "0"], { cwd: dir });
  // Stopped even when an assertion fails first (it serves until told to stop).
  t.after(async () => {
    if (sim.child.exitCode === null && sim.child.signalCode === null) sim.child.kill("SIGKILL");
    await sim.done;
  });
  let stderr = "";
  sim.child.stderr?.on("data", (d) => {
    stderr += d;
  });
  await waitFor(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.test(stderr), "the simulator listening");
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1] as string;
  // The options it runs with, as its own control endpoint reports them (an empty patch changes nothing).
  const options = (await (await fetch(`${url}/__sim/options`, { method: "POST", body: "{}" })).json()) as {
    callbacks: { kieWebhookKey?: string; klingWebhookSecret?: string };
  };
  assert.equal(options.callbacks.kieWebhookKey, "kie-hmac-from-dotenv");
  assert.equal(options.callbacks.klingWebhookSecret, "whsec_ZnJvbS1kb3RlbnY=");
  sim.child.kill("SIGINT");
  assert.equal((await sim.done).code, 0);
});
