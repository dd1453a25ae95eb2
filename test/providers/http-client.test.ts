import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import { NetworkError, sendRequest } from "../../src/providers/http-client.js";
import { checkBaseUrl } from "../../src/run/check-base-url.js";
import { isLoopbackHost } from "../../src/util/loopback.js";
import { test } from "../helpers/leaks.js";
import { serve } from "../helpers/serve.js";

test("API calls follow a redirect only for a GET on the same origin; the key never goes elsewhere; a POST is never resent", async (t) => {
  const elsewhere: string[] = [];
  const other = await serve(t, (req, res) => {
    elsewhere.push(`${req.method} ${req.headers.authorization ?? "no key"}`);
    res.end("{}");
  });
  const posts: string[] = [];
  const api = await serve(t, (req, res) => {
    if (req.method === "POST") posts.push(req.url ?? "");
    if (req.url === "/same") res.writeHead(301, { location: "/final" }).end();
    else if (req.url === "/final")
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    else if (req.url === "/away") res.writeHead(302, { location: `${other}/steal` }).end();
    else if (req.url === "/post307") res.writeHead(307, { location: "/final" }).end();
    else res.writeHead(303, { location: "/final" }).end();
  });
  const headers = { authorization: "Bearer secret-key-123" };
  const same = await sendRequest({ method: "GET", url: `${api}/same`, headers });
  assert.deepEqual(same.body, { ok: true });
  await assert.rejects(sendRequest({ method: "GET", url: `${api}/away`, headers }), (e: NetworkError) => {
    return e instanceof NetworkError && e.code === "ERR_REDIRECT_REFUSED" && !e.mayHaveBeenSent;
  });
  await assert.rejects(sendRequest({ method: "POST", url: `${api}/post307`, headers, json: {} }), {
    code: "ERR_REDIRECT_REFUSED",
    mayHaveBeenSent: false, // 307: the server did not act on it
  });
  await assert.rejects(sendRequest({ method: "POST", url: `${api}/post303`, headers, json: {} }), {
    code: "ERR_REDIRECT_REFUSED",
    mayHaveBeenSent: true, // after a POST, a see-other may follow a request that was acted on
  });
  assert.deepEqual(elsewhere, [], "no request, and no key, reached the other origin");
  assert.deepEqual(posts, ["/post307", "/post303"], "each POST was sent once");
});

test("a key goes only over https or to this machine; allowInsecureHttp turns the refusal into a warning", () => {
  for (const host of ["localhost", "127.0.0.1", "127.8.9.10", "[::1]", "api.localhost"])
    assert.equal(isLoopbackHost(host.replace(/^\[|\]$/g, "")), true, host);
  for (const host of ["example.com", "10.0.0.1", "192.168.1.2", "127.example.com"])
    assert.equal(isLoopbackHost(host), false, host);
  assert.equal(checkBaseUrl("https://api.kie.ai", false), undefined);
  assert.equal(checkBaseUrl("http://127.0.0.1:8787", false), undefined);
  assert.throws(() => checkBaseUrl("http://proxy.example.com", false), { code: "CONFIG_INSECURE_URL" });
  assert.match(
    checkBaseUrl("http://proxy.example.com", true) ?? "",
    /clear text \(allowed by `allowInsecureHttp`\)/,
  );
  assert.throws(() => checkBaseUrl("ftp://x", true), { code: "USAGE" });
  assert.throws(() => checkBaseUrl("not a url", true), { code: "USAGE" });
});

test("API calls under the run's long-lived signal leave no listener on it; a stop still ends one under way", async (t) => {
  const api = await serve(t, (req, res) => {
    if (req.url === "/hang") return; // never answers
    res.writeHead(200, { "content-type": "application/json" }).end('{"code":200}');
  });
  const run = new AbortController();
  for (let i = 0; i < 30; i++)
    await sendRequest({ method: "GET", url: `${api}/status?i=${i}`, signal: run.signal });
  // got leaves its listener on the signal it is given: each request would stay reachable all night.
  assert.equal(getEventListeners(run.signal, "abort").length, 0);
  const stop = new AbortController();
  const hanging = sendRequest({ method: "GET", url: `${api}/hang`, signal: stop.signal });
  setTimeout(() => stop.abort(new Error("stopped")), 50);
  await assert.rejects(hanging, NetworkError);
  assert.equal(getEventListeners(stop.signal, "abort").length, 0);
});
