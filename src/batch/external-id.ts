import { createHash } from "node:crypto";

/**
 * The idempotency key sent with a create where the provider supports one (Kling's
 * `external_task_id`, unique per account): ledger id + row + attempt. Deterministic, so a create
 * whose answer was lost can be looked up by it after a crash.
 */
export function externalTaskId(batchId: string, rowKey: string, attempt: number): string {
  const row = createHash("sha256").update(rowKey).digest("hex").slice(0, 16);
  return `vb-${batchId}-${row}-${attempt}`;
}
