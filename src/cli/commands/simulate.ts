import type { Argv } from "yargs";
import type { SimOptionsPatch } from "../../simulator/sim-options.js";
import { SIM_WORKFLOWS } from "../../simulator/sim-workflows.js";
import { startSimulator } from "../../simulator/simulator.js";
import type { CommandContext } from "../command.js";

function simulateOptions(y: Argv) {
  return y
    .option("port", { type: "number", default: 8787, describe: "port (0 picks a free one)" })
    .option("api-key", { type: "string", describe: "accept only this key (default: any)" })
    .option("gen-time", { type: "number", default: 5, describe: "mean generation time, seconds" })
    .option("jitter", { type: "number", default: 0.3, describe: "± fraction of the generation time" })
    .option("fail-rate", { type: "number", default: 0, describe: "share of tasks whose generation fails" })
    .option("credits", { type: "number", default: 1_000_000, describe: "account balance in credits" })
    .option("error-style", {
      choices: ["http", "body", "mixed"] as const,
      default: "mixed" as const,
      describe: "errors as HTTP status, as HTTP 200 + body code, or both",
    })
    .option("fault-429", { type: "number", default: 0, describe: "share of creates answered 429" })
    .option("fault-5xx", {
      type: "number",
      default: 0,
      describe: "share of creates and status checks answered 500",
    })
    .option("fault-drop", {
      type: "number",
      default: 0,
      describe: "share of creates whose connection drops after the task is made",
    })
    .option("url-ttl", {
      type: "number",
      default: 0,
      describe: "seconds until result URLs expire (0 = never)",
    })
    .option("callback-drop", {
      type: "number",
      default: 0,
      describe: "share of completion callbacks never sent",
    })
    .option("callback-delay", { type: "number", default: 0, describe: "seconds each callback is sent late" })
    .option("callback-repeat", { type: "number", default: 1, describe: "times each callback is sent" })
    .option("callback-forge", {
      type: "number",
      default: 0,
      describe:
        "share of tasks that also get a forged callback (wrong signature, a video that does not exist)",
    })
    .option("seed", {
      type: "number",
      default: 1,
      describe: "seed of the simulator's randomness (the same seed, the same faults in the same order)",
    })
    .example(
      "$0 simulate --port 8787 --gen-time 60",
      "a KIE/Kling/Wireflow lookalike with minute-long generations",
    )
    .example("$0 simulate --fault-429 0.2 --fail-rate 0.1", "a hostile provider, for trying retries")
    .example(
      "KIE_WEBHOOK_KEY=k $0 simulate --callback-drop 0.2 --callback-repeat 2",
      "callbacks signed with k, a fifth of them lost, each sent twice",
    );
}

type SimulateArgs = Awaited<ReturnType<ReturnType<typeof simulateOptions>["parseAsync"]>>;

/** Serves the provider simulator on 127.0.0.1 until Ctrl-C. */
export async function simulateCommand(options: { port: number; patch: SimOptionsPatch }): Promise<number> {
  const sim = await startSimulator(options.patch, options.port);
  const key = options.patch.apiKey ?? "any-key";
  const { kling } = sim.options();
  process.stderr.write(
    `vidbatch simulator listening on ${sim.url}\n` +
      `  KIE.AI:   KIE_API_KEY=${key} vidbatch run prompts.csv --base-url ${sim.url}\n` +
      `  Kling:    KLING_ACCESS_KEY=${kling.accessKey} KLING_SECRET_KEY=${kling.secretKey} vidbatch run prompts.csv --provider kling --base-url ${sim.url}\n` +
      `  Wireflow: WIREFLOW_API_KEY=sk-anything vidbatch run prompts.csv --provider wireflow --workflow ${SIM_WORKFLOWS.map((w) => w.id).join("|")} --base-url ${sim.url}/api/v1\n` +
      `  stats:   curl ${sim.url}/__sim/stats\n` +
      `  options: curl -X POST ${sim.url}/__sim/options -d '{"faults":{"create429Rate":0.2},"credits":500}'\n` +
      "Ctrl-C stops it.\n",
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await sim.close();
  return 0;
}

export const simulateCommandSpec = {
  command: "simulate",
  describe: "serve a local simulator of the provider APIs on 127.0.0.1",
  builder: simulateOptions,
  // Reads the environment the way `run` does (.env underneath it), through the command's context.
  handler: (args: SimulateArgs, context: CommandContext) =>
    simulateCommand({
      port: args.port,
      patch: {
        ...(args["api-key"] ? { apiKey: args["api-key"] } : {}),
        genTimeMs: args["gen-time"] * 1000,
        genJitter: args.jitter,
        failRate: args["fail-rate"],
        credits: args.credits,
        errorStyle: args["error-style"],
        resultUrlTtlMs: args["url-ttl"] * 1000,
        seed: args.seed,
        callbacks: {
          dropRate: args["callback-drop"],
          delayMs: args["callback-delay"] * 1000,
          repeat: args["callback-repeat"],
          forgeRate: args["callback-forge"],
          // Signed like the provider would, with the keys a run would verify with.
          ...(context.env.KIE_WEBHOOK_KEY ? { kieWebhookKey: context.env.KIE_WEBHOOK_KEY } : {}),
          ...(context.env.KLING_WEBHOOK_SECRET
            ? { klingWebhookSecret: context.env.KLING_WEBHOOK_SECRET }
            : {}),
        },
        faults: {
          create429Rate: args["fault-429"],
          create5xxRate: args["fault-5xx"],
          status5xxRate: args["fault-5xx"],
          createDropRate: args["fault-drop"],
        },
      },
    }),
};
