import type { CallbackDelivery } from "../providers/provider.js";

/** What the receiver answers a callback: 200 unless its signature is wrong. */
export interface CallbackVerdict {
  status: number;
  note: string;
}

export type CallbackHandler = (externalId: string, delivery: CallbackDelivery) => CallbackVerdict;

/** Where completion callbacks meet the ledger (see createCallbackInbox). */
export interface CallbackInbox {
  handle: CallbackHandler;
  /** Submissions whose answer was lost that wait for their callback. */
  waiting(): number;
  /** Keeps the run alive until the callback of a create whose answer was lost arrives. */
  awaitCallback(taskRowId: number): Promise<void>;
}
