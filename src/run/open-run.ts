import { createHash } from "node:crypto";
import { dirname, join, resolve } from "node:path";
import { fetchRemoteInput, isUrl } from "../input/fetch-input.js";
import { probeInput } from "../input/open-input.js";
import type { Provider } from "../providers/provider.js";
import type { Simulator } from "../simulator/simulator.js";
import { type Logger, redactingLogger, silentLogger } from "../util/logger.js";
import { isLoopbackHost } from "../util/loopback.js";
import { setting } from "../util/setting-name.js";
import { checkBaseUrl } from "./check-base-url.js";
import { checkSettings } from "./check-settings.js";
import { openProvider } from "./open-provider.js";
import { type BatchPaths, defaultPaths } from "./paths.js";
import type { RunIo } from "./run-io.js";
import { secretsIn } from "./secrets.js";
import type { RunSettings } from "./settings.js";
import { startSimulated } from "./simulated.js";

/** Stand-ins for a keyless dry run: never sent anywhere (a dry run submits nothing, asks nothing). */
const PRICE_ONLY_KEYS = { KIE_API_KEY: "dry-run", KLING_ACCESS_KEY: "dry-run", KLING_SECRET_KEY: "dry-run" };

function hasProviderKey(provider: string, env: Record<string, string | undefined>): boolean {
  if (provider === "kie") return Boolean(env.KIE_API_KEY?.trim());
  if (provider === "kling")
    return Boolean(
      env.KLING_API_KEY?.trim() || (env.KLING_ACCESS_KEY?.trim() && env.KLING_SECRET_KEY?.trim()),
    );
  return true; // Wireflow prices a workflow through its API: its key is needed
}

/** What a run, priced or real, works with once its input is read and its provider open. */
export interface OpenedRun {
  /** The settings with the input as a local file (a remote input downloaded). */
  settings: RunSettings;
  paths: BatchPaths;
  provider: Provider;
  /** Redacts every secret the run knows, whatever logger the caller gave. */
  log: Logger;
  simulator?: Simulator;
  /** A dry run without a key: prices are local, nothing is asked of the provider. */
  keyless: boolean;
  /** Who the provider counts calls against: its name, address and key, hashed (never the key itself). */
  account: string;
  /** Where the input's frames are. */
  frames: FramePlace;
}

/** Where an input's relative frame paths start, and whether image URLs on this machine reach the provider. */
export interface FramePlace {
  /** The input's folder, or the current one for an input read from a URL. */
  dir: string;
  /** The provider is on this machine (the simulator, a local proxy). */
  localHostsOk: boolean;
}

/**
 * Reads the input (an https:// CSV or Google Sheet is downloaded first; its ledger and results go to
 * the current folder, named after the sheet), starts the simulator when asked, opens the provider,
 * then runs `use` and closes everything it opened. Nothing is created before the input has been read.
 */
export async function withOpenRun<T>(
  given: RunSettings,
  io: RunIo,
  dryRun: boolean,
  use: (run: OpenedRun) => Promise<T>,
): Promise<T> {
  checkSettings(given);
  const cwd = io.cwd ?? process.cwd();
  const env = io.env ?? process.env;
  const remote = isUrl(given.input) ? await fetchRemoteInput(given.input) : undefined;
  try {
    const settings: RunSettings = { ...given, input: remote ? remote.path : resolve(cwd, given.input) };
    await probeInput(settings.input, settings.sheet);
    const inPaths = {
      ...(given.paths.results ? { out: resolve(cwd, given.paths.results) } : {}),
      ...(given.paths.ledger ? { ledger: resolve(cwd, given.paths.ledger) } : {}),
      ...(given.paths.videosDir ? { videosDir: resolve(cwd, given.paths.videosDir) } : {}),
    };
    const paths = defaultPaths(remote ? join(cwd, `${remote.name}.csv`) : settings.input, inPaths);
    // The built-in simulator keeps its tasks beside the ledger, so a stopped simulated run resumes.
    const simulated = settings.simulate
      ? await startSimulated(settings, env, dryRun ? undefined : `${paths.ledger}.simulator.json`)
      : undefined;
    try {
      const workflow = simulated?.workflow ?? settings.workflow;
      const baseUrl = simulated?.baseUrl ?? settings.baseUrl;
      const insecure = baseUrl ? checkBaseUrl(baseUrl, settings.allowInsecureHttp) : undefined;
      // The simulator serves uploads itself, at its own address.
      const uploadBaseUrl = simulated ? undefined : settings.uploadBaseUrl;
      const uploadInsecure = uploadBaseUrl
        ? checkBaseUrl(uploadBaseUrl, settings.allowInsecureHttp, "uploadBaseUrl")
        : undefined;
      // Prices of KIE and Kling are local: a dry run needs no key there (and asks for no balance).
      const keyless = dryRun && !simulated && !hasProviderKey(settings.provider, env);
      const providerEnv = keyless ? { ...env, ...PRICE_ONLY_KEYS } : (simulated?.env ?? env);
      const provider = await openProvider(settings.provider, providerEnv, {
        ...(baseUrl ? { baseUrl } : {}),
        ...(uploadBaseUrl ? { uploadBaseUrl } : {}),
        ...(workflow ? { workflow } : {}),
        ...(settings.plan ? { plan: settings.plan } : {}),
        ...(settings.timings?.lostAnswerDelaysMs
          ? { lostAnswerDelaysMs: settings.timings.lostAnswerDelaysMs }
          : {}),
        limits: {
          ...(settings.submitRate ? { submitRate: settings.submitRate } : {}),
          ...(settings.statusRate ? { statusRate: settings.statusRate } : {}),
        },
      });
      // Every key in play, the other providers' too (a webhook key given for the wrong provider).
      const secrets = [...new Set([...provider.secrets, ...secretsIn(env)])];
      const inner = io.log ?? silentLogger;
      for (const secret of secrets) inner.redact(secret);
      const log = redactingLogger(inner, secrets);
      if (insecure) log.warn(insecure);
      if (uploadInsecure) log.warn(uploadInsecure);
      if (uploadBaseUrl && !provider.frames.upload)
        log.warn(
          `${setting("uploadBaseUrl")} is not used by ${provider.name}: it takes frames inline, in the create`,
        );
      if (provider.name !== "wireflow" && settings.workflow)
        log.warn(`${setting("workflow")} applies to the wireflow provider only; it is ignored`);
      if (settings.mode && provider.unsupportedFields.includes("mode"))
        log.warn(`${setting("mode")} is not supported by ${provider.name} and is not sent`);
      return await use({
        settings,
        paths,
        provider,
        log,
        keyless,
        frames: {
          dir: remote ? cwd : dirname(settings.input),
          localHostsOk:
            Boolean(simulated) || (baseUrl !== undefined && isLoopbackHost(new URL(baseUrl).hostname)),
        },
        account: createHash("sha256")
          .update([provider.name, baseUrl ?? "", ...(provider.credentials ?? provider.secrets)].join("\n"))
          .digest("hex"),
        ...(simulated ? { simulator: simulated.simulator } : {}),
      });
    } finally {
      await simulated?.simulator.close();
    }
  } finally {
    await remote?.cleanup();
  }
}
