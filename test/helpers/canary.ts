import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Simulator } from "../../src/simulator/simulator.js";
import { runArgs, simFor } from "./batch.js";
import { type CliResult, runCli } from "./cli.js";
import { tempDir, writeCsv } from "./fixtures.js";
import { test } from "./leaks.js";

const CANARY = {
  kie: "kie-canary-7c1f3e9a5b2d",
  klingAccess: "kling-canary-ak-4d2e61f0",
  klingSecret: "kling-canary-sk-9b8a07c3",
  klingApiKey: "kling-canary-api-3f5e7a1c",
  wireflow: "sk-canary-wf-5e6f7a8b9c",
};

/** Every byte the run left behind: all files under the folder (hidden and temporary ones too). */
function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? allFiles(path) : [path];
  });
}

/** The whole ledger, every table and column, as text. */
function dumpLedger(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
      name: string;
    }[];
    return tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t.name}"`).all())).join("\n");
  } finally {
    db.close();
  }
}

const PROVIDERS = {
  kie: { args: [] as string[], env: { KIE_API_KEY: CANARY.kie }, base: (sim: Simulator) => sim.url },
  kling: {
    args: ["--provider", "kling"],
    env: { KLING_ACCESS_KEY: CANARY.klingAccess, KLING_SECRET_KEY: CANARY.klingSecret },
    base: (sim: Simulator) => sim.url,
  },
  /** Kling with today's API key: the current standard's creates and batched queries. */
  klingApiKey: {
    args: ["--provider", "kling"],
    env: { KLING_API_KEY: CANARY.klingApiKey },
    base: (sim: Simulator) => sim.url,
  },
  wireflow: {
    args: ["--provider", "wireflow", "--workflow", "wf-kling26-demo"],
    env: { WIREFLOW_API_KEY: CANARY.wireflow },
    base: (sim: Simulator) => `${sim.url}/api/v1`,
  },
};

/** Registers the canary tests for one provider (one file per provider, so they run side by side). */
export function canaryTests(provider: keyof typeof PROVIDERS): void {
  for (const echo of ["text", "all"] as const) {
    test(`${provider}: a server that echoes the credentials (${echo === "all" ? "ids too" : "messages and URLs"}) never gets them into any output, log, ledger, export, report or file`, {
      timeout: 120_000,
    }, async (t) => {
      const dir = tempDir(t);
      const setup = PROVIDERS[provider];
      const sim = await simFor(t, {
        apiKey: CANARY.kie,
        kling: { accessKey: CANARY.klingAccess, secretKey: CANARY.klingSecret, apiKey: CANARY.klingApiKey },
        wireflow: { apiKey: CANARY.wireflow },
        echoSecrets: echo,
        seed: 7,
        faults: { create429Rate: 0.2, status5xxRate: 0.2 },
      });
      const csv = writeCsv(
        dir,
        "in.csv",
        "prompt\nA calm lake\nThis one [fail]s on purpose\nA busy street\n",
      );
      // With ids echoed, the tasks' ids come back redacted and cannot be followed: stop soon.
      // A 429 without Retry-After pauses creates for the provider's whole window: keep it short here.
      const limits = ["--submit-rate", "20/s"];
      const args = runArgs(csv, sim, [
        ...setup.args,
        ...limits,
        ...(echo === "all" ? ["--task-timeout", "0.02"] : []),
      ]);
      args[args.indexOf("--base-url") + 1] = setup.base(sim);
      const env = setup.env;
      const outputs: CliResult[] = [await runCli(args, { cwd: dir, env })];
      assert.notEqual(outputs[0]?.code, 70, outputs[0]?.stderr);
      outputs.push(await runCli(["status", "in.csv", "--json"], { cwd: dir, env }));
      outputs.push(await runCli(["status", "in.csv"], { cwd: dir, env }));
      outputs.push(await runCli(["export", "in.csv", "--out", "exported.csv"], { cwd: dir, env }));
      outputs.push(await runCli(["report", "in.csv"], { cwd: dir, env }));
      for (const o of outputs.slice(1)) assert.equal(o.code, 0, o.stderr);
      assert.ok(sim.stats.credentialsSeen.size > 0, "the client authenticated");

      const secrets = [...Object.values(CANARY), ...sim.stats.credentialsSeen];
      const places: [string, string][] = [
        ...outputs.flatMap((o, i): [string, string][] => [
          [`command ${i} stdout`, o.stdout],
          [`command ${i} stderr`, o.stderr],
        ]),
        ["the whole ledger", dumpLedger(join(dir, "in.ledger.db"))],
        ...allFiles(dir).map((f): [string, string] => [f, readFileSync(f, "latin1")]),
      ];
      for (const [where, text] of places)
        for (const secret of secrets) assert.ok(!text.includes(secret), `a credential leaked into ${where}`);
      // The provider did echo them: the run saw them and removed them.
      assert.ok(
        places.some(([, text]) => text.includes("[redacted]")),
        "redaction marks where an echo was",
      );
    });
  }
}

const WEBHOOK = {
  kie: "kie/whk+canary=7e2d5a91c3",
  kling: `whsec_${Buffer.from(Array.from({ length: 32 }, (_, i) => (i % 2 ? 0xfb : 0xff) - i)).toString("base64")}`,
};

/** The forms a hostile server or a URL gives a secret, written out here (not by the code under test). */
function formsOf(secret: string): string[] {
  const forms = [
    secret,
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1).replaceAll("/", "\\/"),
  ];
  if (secret.startsWith("whsec_")) {
    const part = secret.slice("whsec_".length);
    forms.push(
      part,
      Buffer.from(part, "base64").toString("hex"),
      Buffer.from(part, "base64").toString("base64url"),
    );
  }
  return forms;
}

/** Every 12-character piece of a secret: a secret cut short must not survive either. */
function piecesOf(secret: string): string[] {
  return Array.from({ length: Math.max(1, secret.length - 11) }, (_, i) => secret.slice(i, i + 12));
}

/**
 * With completion callbacks: a server that echoes the webhook key and the callback address (so the
 * batch's path secret) into its messages and its callback bodies, with the key given by flag or by
 * environment. Nothing of either may reach an output, a log, the results, the reports or the
 * ledger — except the two places the ledger keeps the path secret by design (batch_meta and each
 * create's request).
 */
export function callbackCanaryTests(provider: "kie" | "kling"): void {
  for (const via of ["env", "flag"] as const) {
    test(`${provider}: a server that echoes the webhook key (given by ${via}) and the callback path secret, in answers and callbacks, never gets them into any output or file`, {
      timeout: 120_000,
    }, async (t) => {
      const dir = tempDir(t);
      const setup = PROVIDERS[provider];
      const webhook = WEBHOOK[provider];
      const sim = await simFor(t, {
        apiKey: CANARY.kie,
        kling: { accessKey: CANARY.klingAccess, secretKey: CANARY.klingSecret },
        echoSecrets: "text",
        seed: 11,
        callbacks: provider === "kie" ? { kieWebhookKey: webhook } : { klingWebhookSecret: webhook },
      });
      const csv = writeCsv(
        dir,
        "in.csv",
        "prompt\nA calm lake\nThis one [fail]s on purpose\nA busy street\n",
      );
      const name = provider === "kie" ? "KIE_WEBHOOK_KEY" : "KLING_WEBHOOK_SECRET";
      const flag = provider === "kie" ? "--kie-webhook-key" : "--kling-webhook-secret";
      const args = runArgs(csv, sim, [
        ...setup.args,
        "--listen",
        "0",
        "--callback-poll",
        "60",
        ...(via === "flag" ? [flag, webhook] : []),
      ]);
      const runEnv = { ...setup.env, ...(via === "env" ? { [name]: webhook } : {}) };
      const outputs: CliResult[] = [await runCli(args, { cwd: dir, env: runEnv })];
      assert.equal(outputs[0]?.code, 1, outputs[0]?.stderr);
      // Later commands get the provider keys only: what they show was clean when it was stored.
      outputs.push(await runCli(["status", "in.csv", "--failed"], { cwd: dir, env: setup.env }));
      outputs.push(await runCli(["status", "in.csv", "--failed", "--json"], { cwd: dir, env: setup.env }));
      outputs.push(await runCli(["export", "in.csv", "--out", "exported.csv"], { cwd: dir, env: setup.env }));
      outputs.push(await runCli(["report", "in.csv"], { cwd: dir, env: setup.env }));
      for (const o of outputs.slice(1)) assert.equal(o.code, 0, o.stderr);
      assert.ok((sim.stats.counters.get("callbacks.answered.200") ?? 0) > 0, "callbacks were heard");
      assert.ok(sim.stats.callbackUrlsSeen.size > 0, "the server saw the callback addresses");

      const ledgerPath = join(dir, "in.ledger.db");
      const db = new Database(ledgerPath, { readonly: true });
      const pathSecret = (
        db.prepare("SELECT value FROM batch_meta WHERE key = 'callback_secret'").get() as { value: string }
      ).value;
      // The ledger without the two cells that hold the path secret by design.
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
        name: string;
      }[];
      const dump = tables
        .map((table) =>
          JSON.stringify(
            (db.prepare(`SELECT * FROM "${table.name}"`).all() as Record<string, unknown>[]).map((row) => {
              const { request_json: _request, ...rest } = row;
              return table.name === "batch_meta" && row.key === "callback_secret" ? {} : rest;
            }),
          ),
        )
        .join("\n");
      db.close();
      const files = allFiles(dir).filter((f) => !f.includes("in.ledger.db"));
      const places: [string, string][] = [
        ...outputs.flatMap((o, i): [string, string][] => [
          [`command ${i} stdout`, o.stdout],
          [`command ${i} stderr`, o.stderr],
        ]),
        ["the ledger (but batch_meta's secret and each request)", dump],
        ...files.map((f): [string, string] => [f, readFileSync(f, "latin1")]),
      ];
      const needles = [...formsOf(webhook), ...piecesOf(webhook), ...piecesOf(pathSecret)];
      for (const [where, text] of places)
        for (const needle of needles) assert.ok(!text.includes(needle), `"${needle}" leaked into ${where}`);
      // The raw ledger files may hold the path secret (by design), never the webhook key.
      for (const f of allFiles(dir).filter((file) => file.includes("in.ledger.db")))
        for (const form of formsOf(webhook))
          assert.ok(!readFileSync(f, "latin1").includes(form), `the webhook key is in ${f}`);
      assert.ok(
        places.some(([, text]) => text.includes("[redacted]")),
        "the echoes were there, and removed",
      );
    });
  }
}
