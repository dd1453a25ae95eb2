import type { Argv } from "yargs";
import { DEFAULT_REVIEW_PORT, startReview } from "../../run/review-batch.js";
import type { CommandContext } from "../command.js";
import { wordFlags } from "../flag-words.js";
import { ledgerTargetOf, ledgerTargetOptions, resolveLedgerPath } from "../ledger-target.js";

function reviewOptions(y: Argv) {
  return ledgerTargetOptions(y)
    .option("port", {
      type: "number",
      default: DEFAULT_REVIEW_PORT,
      describe: "port on 127.0.0.1 (0 picks a free one)",
    })
    .example(
      "$0 review prompts.csv",
      "the gallery at http://127.0.0.1:7733/: mark Keep or Redo, live while a run goes",
    )
    .example("$0 run prompts.csv --redo", "then: a new attempt of each row marked Redo");
}

/** Serves the review page until Ctrl-C (or SIGTERM). */
export async function reviewCommand(
  args: { input?: string; ledger?: string; port: number },
  context: CommandContext,
): Promise<number> {
  const target = ledgerTargetOf(args, context);
  const review = await startReview({
    ledger: resolveLedgerPath(target),
    port: args.port,
    env: context.env,
    wordSettings: wordFlags,
    ...(context.cwd ? { cwd: context.cwd } : {}),
  });
  (context.stderr ?? process.stderr).write(
    `Review the batch at ${review.url}\n` +
      "  Keys: → next, ← previous, k keep, r redo, u clear, e note, space play, ? help\n" +
      `  Marks are saved to the ledger as you make them; then: ${review.redoCommand}\n` +
      "Ctrl-C stops it.\n",
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await review.close();
  return 0;
}

export const reviewCommandSpec = {
  command: "review [input]",
  describe: "a local page to watch clips arrive, mark them Keep or Redo, and note why",
  builder: reviewOptions,
  handler: (args: { input?: string; ledger?: string; port: number }, context: CommandContext) =>
    reviewCommand(args, context),
};
