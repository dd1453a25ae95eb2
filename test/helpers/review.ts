import { startCli } from "./cli.js";
import { waitFor } from "./fixtures.js";

/**
 * `vidbatch review` as a child process, as a user starts it: resolves once it prints its link.
 * Stopped (SIGTERM, as Ctrl-C would) when the test ends, if the test did not stop it first.
 */
export async function startReviewCli(
  t: { after: (fn: () => void | Promise<void>) => void },
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ url: string; stderr: () => string; stop: () => Promise<number | null> }> {
  const review = startCli(args, { cwd, env });
  let stderr = "";
  review.child.stderr?.on("data", (d) => {
    stderr += d;
  });
  let exited = false;
  review.done.then(() => {
    exited = true;
  });
  await waitFor(() => /http:\/\/127\.0\.0\.1:\d+\//.test(stderr) || exited, "the review's link", 30_000);
  const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(stderr)?.[0];
  if (!url) throw new Error(`vidbatch review did not start: ${stderr}`);
  const stop = async () => {
    if (!exited) review.child.kill("SIGTERM");
    return (await review.done).code;
  };
  t.after(async () => {
    await stop();
  });
  return { url, stderr: () => stderr, stop };
}
