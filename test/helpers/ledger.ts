import type { TaskStore } from "../../src/ledger/task-store.js";

/** Records a submit intent for `rowKey` at KIE's 5 s silent price, as the engine would. */
export function recordTestIntent(tasks: TaskStore, rowKey: string) {
  return tasks.recordIntent({
    rowKey,
    provider: "kie",
    model: "kling-2.6",
    attempt: tasks.nextAttempt(rowKey),
    externalId: `${rowKey}-${tasks.nextAttempt(rowKey)}`,
    request: {},
    estimatedCostUsd: 0.275,
    estimatedCredits: 55,
    priceSource: "test",
  });
}
