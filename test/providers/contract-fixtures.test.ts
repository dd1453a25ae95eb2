import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { HttpResponse } from "../../src/providers/http-client.js";
import {
  readKieBalance,
  readKieEnvelope,
  readKieTask,
  readKieTaskId,
} from "../../src/providers/kie/kie-response.js";
import {
  readKlingBalance,
  readKlingEnvelope,
  readKlingTask,
  readKlingTaskId,
} from "../../src/providers/kling/kling-response.js";
import type { TaskSnapshot } from "../../src/providers/provider.js";
import { isProviderError } from "../../src/providers/provider-error.js";
import { readExecution } from "../../src/providers/wireflow/wireflow-execution.js";
import { readExecutionId, readWireflowResponse } from "../../src/providers/wireflow/wireflow-response.js";
import { test } from "../helpers/leaks.js";

/**
 * Bodies captured from the live APIs (or the providers' own documented examples), each with its
 * source, in test/fixtures/<provider>/. Every one must yield what its `expect` says.
 */
interface Fixture {
  source: string;
  call: "create" | "status" | "account";
  http: number;
  headers?: Record<string, string>;
  body: unknown;
  expect: {
    kind?: string;
    taskId?: string;
    credits?: number;
    state?: TaskSnapshot["state"];
    videoUrl?: string;
    chargedCredits?: number;
    errorCode?: string;
    errorMessage?: string;
  };
}

interface Reader {
  envelope(response: HttpResponse, call: Fixture["call"]): unknown;
  taskId(data: unknown): string;
  task(data: unknown): TaskSnapshot | undefined;
  credits?(data: unknown): number | undefined;
}

const READERS: Record<string, Reader> = {
  kie: {
    envelope: (r, call) => readKieEnvelope(r, call),
    taskId: readKieTaskId,
    task: readKieTask,
    credits: readKieBalance,
  },
  kling: {
    envelope: (r, call) => readKlingEnvelope(r, call),
    taskId: readKlingTaskId,
    task: (data) => readKlingTask(data)?.snapshot,
    credits: readKlingBalance,
  },
  wireflow: {
    envelope: (r, call) => readWireflowResponse(r, call === "account" ? "estimate" : call),
    taskId: (data) => readExecutionId(data as Record<string, unknown>),
    task: (data) => readExecution(data as Record<string, unknown>),
  },
};

const ROOT = join(import.meta.dirname, "..", "..", "..", "test", "fixtures");

for (const provider of Object.keys(READERS)) {
  const dir = join(ROOT, provider);
  const files = readdirSync(dir).filter((f) => f.endsWith(".json") && !f.startsWith("callback-")); // callbacks: callback-readers.test;
  test(`${provider}: ${files.length} captured bodies each yield what their source shows`, () => {
    assert.ok(files.length >= 6, `${dir} holds the captures`);
    const reader = READERS[provider] as Reader;
    for (const file of files) {
      const fixture = JSON.parse(readFileSync(join(dir, file), "utf8")) as Fixture;
      assert.ok(fixture.source.length > 20, `${file} names its source`);
      const response = {
        status: fixture.http,
        headers: fixture.headers ?? {},
        body: fixture.body,
      } as HttpResponse;
      const { expect } = fixture;
      if (expect.kind) {
        assert.throws(
          () => reader.envelope(response, fixture.call),
          (e: unknown) => isProviderError(e) && e.kind === expect.kind,
          `${file}: a ${expect.kind} error`,
        );
        continue;
      }
      const data = reader.envelope(response, fixture.call);
      if (expect.taskId !== undefined) assert.equal(reader.taskId(data), expect.taskId, file);
      if (expect.credits !== undefined) assert.equal(reader.credits?.(data), expect.credits, file);
      if (expect.state !== undefined) {
        const snapshot = reader.task(data);
        assert.ok(snapshot, file);
        assert.equal(snapshot.state, expect.state, file);
        for (const key of ["videoUrl", "chargedCredits", "errorCode", "errorMessage"] as const)
          if (expect[key] !== undefined) assert.equal(snapshot[key], expect[key], `${file}: ${key}`);
      }
    }
  });
}
