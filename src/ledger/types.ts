/** A row's status; the results CSV shows these (submitting shows as pending: nothing is known yet). */
/** Every status a row can have, in the order summaries and the report show them. */
export const JOB_STATUSES = [
  "succeeded",
  "running",
  "submitting",
  "pending",
  "failed",
  "invalid",
  "unknown",
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * A provider task's state in the ledger:
 * - submitting: intent recorded; a create request may be on the wire
 * - rejected: the provider answered the create with an error; no task exists, nothing is charged
 * - unknown: the create may have reached the provider but its answer was lost
 * - running: task ID recorded, generating
 * - generated: the provider reports success; the video is not on disk yet
 * - succeeded: the video is on disk
 * - failed: the provider reports the generation failed
 */
export type TaskState =
  | "submitting"
  | "rejected"
  | "unknown"
  | "running"
  | "generated"
  | "succeeded"
  | "failed";

export interface JobRow {
  row_key: string;
  row_index: number | null;
  line: number;
  input_json: string;
  spec_json: string | null;
  status: JobStatus;
  video_name: string | null;
  video_path: string | null;
  error: string | null;
  estimated_cost_usd: number | null;
}

export interface TaskRow {
  id: number;
  row_key: string;
  attempt: number;
  provider: string;
  /** The model as the row named it. */
  model: string;
  external_id: string;
  task_id: string | null;
  state: TaskState;
  provider_state: string | null;
  request_json: string;
  video_url: string | null;
  /** The provider's id of the finished video (Kling's videos[0].id), for extending it later. */
  video_id: string | null;
  /** Where this attempt's video was saved (a redone row keeps each attempt's file). */
  video_path: string | null;
  error_code: string | null;
  error: string | null;
  estimated_cost_usd: number;
  estimated_credits: number | null;
  charged_credits: number | null;
  charged_usd: number | null;
  created_at: string;
  submitted_at: string | null;
  polls: number;
  /** Runs in which the provider said it does not know this task, and since when (ISO). */
  not_found_runs: number;
  not_found_since: string | null;
  /** Why a charge the provider reported was not believed. */
  charge_warning: string | null;
  /** 1: failed on the provider's side with nothing charged (the row was submitted again). */
  retryable: number;
}

/**
 * What a task costs in the spend total: the charge when the provider reported one; otherwise the
 * estimate for any task that exists or may exist; nothing for a refused create or a failed
 * generation (KIE: "0 for failed tasks").
 */
export const TASK_CREDITS_SQL = `CASE
  WHEN charged_credits IS NOT NULL THEN charged_credits
  WHEN state IN ('submitting','unknown','running','generated','succeeded') THEN COALESCE(estimated_credits, 0)
  ELSE 0 END`;

export const TASK_COST_SQL = `CASE
  WHEN charged_usd IS NOT NULL THEN charged_usd
  WHEN state IN ('submitting','unknown','running','generated','succeeded') THEN estimated_cost_usd
  ELSE 0 END`;
