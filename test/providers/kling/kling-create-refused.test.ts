import assert from "node:assert/strict";
import { createServer } from "node:net";
import { KlingProvider } from "../../../src/providers/kling/kling-provider.js";
import { isProviderError } from "../../../src/providers/provider-error.js";
import { test } from "../../helpers/leaks.js";

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test("kling: a create whose connection is refused was never sent: transient (submitted again), not an unknown outcome", async () => {
  const provider = new KlingProvider({
    apiKey: "k-test",
    baseUrl: `http://127.0.0.1:${await closedPort()}`,
    lookupDelaysMs: [0],
  });
  const request = provider.buildRequest(
    { prompt: "A lake", duration: 5, aspectRatio: "16:9", sound: false, model: "kling-2.6" },
    "vb-1-x-1",
  );
  const error = await provider.createTask(request, { externalId: "vb-1-x-1" }).catch((e: unknown) => e);
  assert.ok(isProviderError(error), String(error));
  assert.equal(error.kind, "transient");
  assert.equal(error.code, "ECONNREFUSED");
});
