import type { SimOptionsPatch } from "../simulator/sim-options.js";
import { startSimulator } from "../simulator/simulator.js";
import { SIM_WORKFLOWS } from "../simulator/wireflow-sim.js";

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
