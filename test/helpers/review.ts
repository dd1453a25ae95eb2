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

/** Marks rows through the review page's own API, as its buttons do (its Origin, JSON). */
export async function markRows(
  reviewUrl: string,
  marks: [key: string, mark: string | null, note?: string][],
) {
  for (const [key, mark, note] of marks) {
    const saved = await fetch(`${reviewUrl}api/marks`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: reviewUrl.replace(/\/$/, "") },
      body: JSON.stringify({ key, mark, ...(note !== undefined ? { note } : {}) }),
    });
    if (saved.status !== 200) throw new Error(`marking ${key}: HTTP ${saved.status} ${await saved.text()}`);
  }
}
