import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createKieSim } from "./kie-sim.js";
import { createKlingSim } from "./kling-sim.js";
import { createPrng } from "./prng.js";
import { serveVideo } from "./serve-file.js";
import { createSimCallbacks } from "./sim-callbacks.js";
import type { SimContext } from "./sim-context.js";
import { bearerToken, echoInto, readJsonBody, sendJson } from "./sim-http.js";
import { createSimMedia } from "./sim-media.js";
import {
  DEFAULT_SIM_OPTIONS,
  mergeSimOptions,
  type SimOptions,
  type SimOptionsPatch,
} from "./sim-options.js";
import { keepSimState, savedSimPort } from "./sim-state-file.js";
import { SimStats } from "./sim-stats.js";
import { createWireflowSim } from "./wireflow-sim.js";

export interface Simulator {
  url: string;
  stats: SimStats;
  options(): SimOptions;
  update(patch: SimOptionsPatch): void;
  /** Sets the account balance (credits), e.g. a top-up after an out-of-credits test. */
  setCredits(credits: number): void;
  close(): Promise<void>;
}

/**
 * Serves every provider API vidbatch speaks on 127.0.0.1 (never another interface), plus
 * `/__sim/stats` and `/__sim/options` for tests and benchmarks.
 */
export async function startSimulator(
  patch: SimOptionsPatch = {},
  port = 0,
  keep: { statePath?: string } = {},
): Promise<Simulator> {
  let options = mergeSimOptions(DEFAULT_SIM_OPTIONS, patch);
  const stats = new SimStats();
  const credits = { balance: options.credits };
  let baseUrl = "";
  const random = createPrng(options.seed);
  const callbacks = createSimCallbacks(
    () => options.callbacks,
    random,
    stats,
    (style) => (options.echoSecrets === "off" ? undefined : echoText(style === "kling")),
  );
  /**
   * What a hostile server echoes: the caller's credentials, the webhook key callbacks are signed
   * with (as it is and in other encodings), and every callback address clients gave it.
   */
  const echoText = (kling: boolean, token = "") => {
    // What the caller holds: the bearer (an API key is its own), and the pair a signed token came from.
    const keys =
      kling && token !== options.kling.apiKey ? [options.kling.accessKey, options.kling.secretKey] : [];
    const webhook = kling ? options.callbacks.klingWebhookSecret : options.callbacks.kieWebhookKey;
    const forms = webhook
      ? [
          webhook,
          encodeURIComponent(webhook),
          JSON.stringify(webhook).slice(1, -1).replaceAll("/", "\\/"),
          ...(webhook.startsWith("whsec_") ? [Buffer.from(webhook.slice(6), "base64").toString("hex")] : []),
        ]
      : [];
    return [token, ...keys, ...forms, ...stats.callbackUrlsSeen].filter(Boolean).join(" ");
  };
  const changed = () => state?.changed();
  const media = createSimMedia({
    stats,
    baseUrl: () => baseUrl,
    changed,
    ageOffsetMs: () => options.mediaAgeOffsetMs,
  });
  const ctx: SimContext = {
    options: () => options,
    random,
    stats,
    baseUrl: () => baseUrl,
    credits,
    callbacks,
    changed,
    media,
  };
  const kie = createKieSim(ctx);
  const kling = createKlingSim(ctx);
  const wireflow = createWireflowSim(ctx);
  const state = keep.statePath
    ? keepSimState(
        keep.statePath,
        { kie: kie.state, kling: kling.state, wireflow: wireflow.state, media: media.state },
        credits,
        () => Number(new URL(baseUrl).port),
      )
    : undefined;
  const hasTask = (id: string) => kie.hasTask(id) || kling.hasTask(id) || wireflow.hasTask(id);

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", baseUrl);
    if (!url.pathname.startsWith("/__sim/")) stats.count("requests");
    const bearer = bearerToken(req);
    if (bearer) stats.credentialsSeen.add(bearer);
    const echo = options.echoSecrets;
    if (echo !== "off") {
      const kling =
        url.pathname.startsWith("/v1/") ||
        url.pathname.startsWith("/account/") ||
        url.pathname === "/tasks" ||
        /^\/(text|image)-to-video\//.test(url.pathname);
      echoInto(res, echoText(kling, bearer ?? ""), echo === "all");
    }
    void (async () => {
      try {
        if (await kie.handle(req, res, url)) return;
        if (await kling.handle(req, res, url)) return;
        if (await wireflow.handle(req, res, url)) return;
        if (serveVideo(ctx, hasTask, req, res, url)) return;
        if (media.serve(req, res, url)) return;
        // Wireflow's download proxy: fetches server-side (no user-agent block) and takes no key.
        if (req.method === "GET" && url.pathname === "/api/download") {
          ctx.stats.count("wireflow.download-proxy");
          const target = url.searchParams.get("url") ?? "";
          let inner: URL | undefined;
          try {
            inner = new URL(target);
          } catch {
            inner = undefined;
          }
          if (
            inner &&
            inner.origin === new URL(baseUrl).origin &&
            serveVideo(ctx, hasTask, req, res, inner, true)
          )
            return;
          return sendJson(res, 400, { error: "url must be a Wireflow output URL" });
        }
        if (req.method === "GET" && url.pathname === "/__sim/stats")
          return sendJson(res, 200, { ...stats.toJSON(), credits: credits.balance });
        if (req.method === "POST" && url.pathname === "/__sim/options") {
          const body = (await readJsonBody(req)) as SimOptionsPatch & { credits?: number };
          options = mergeSimOptions(options, body ?? {});
          if (typeof body?.credits === "number") credits.balance = body.credits;
          return sendJson(res, 200, options);
        }
        sendJson(res, 404, { code: 404, msg: "Not Found" });
      } catch (error) {
        if (!res.headersSent)
          sendJson(res, 500, { code: 500, msg: `simulator error: ${(error as Error).message}` });
        else res.destroy();
      }
    })();
  });
  server.keepAliveTimeout = 1000;
  const listen = (at: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(at, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  // A kept state's port first (its stored result URLs point there), any free one if it is taken.
  const kept = keep.statePath && port === 0 ? savedSimPort(keep.statePath) : undefined;
  try {
    await listen(kept ?? port);
  } catch (error) {
    if (kept === undefined) throw error;
    await listen(0);
  }
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    stats,
    options: () => options,
    update(p) {
      options = mergeSimOptions(options, p);
    },
    setCredits(n) {
      credits.balance = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        state?.save();
        callbacks.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
