import type { TaskSnapshot } from "../provider.js";
import { ProviderError } from "../provider-error.js";
import { readCurrentTask } from "./kling-current.js";

/** Ids per query: Kling states no maximum, so a bound that keeps the URL short (≈ 50 × 20 chars). */
export const MAX_IDS_PER_QUERY = 50;

export interface TaskQueryOptions {
  /** Sends `GET /tasks?task_ids=…` and returns the answer's `data`. */
  query: (ids: readonly string[], signal?: AbortSignal) => Promise<unknown>;
  /** How long an answer stands for a task (a poll due within it is answered from it). */
  freshMs?: number;
  /** How long a query waits for other tasks' polls to join it. */
  gatherMs?: number;
  /** Shortest gap between two queries. */
  minGapMs?: number;
}

interface Waiter {
  resolve: (snapshot: TaskSnapshot) => void;
  reject: (error: unknown) => void;
}

/**
 * Follows many current-standard tasks with few calls: polls that fall due together share one
 * `GET /tasks?task_ids=a,b,c`, and each query also asks about the other tasks in flight (those
 * asked about longest ago first), so the next task's poll is usually answered from what came back.
 * One query at a time; a task the answer leaves out is "not found" (its grace applies).
 */
export function createTaskQueries(options: TaskQueryOptions) {
  const freshMs = options.freshMs ?? 1500;
  const gatherMs = options.gatherMs ?? 25;
  const minGapMs = options.minGapMs ?? 100;
  const known = new Map<string, { at: number; snapshot: TaskSnapshot } | undefined>();
  const waiting = new Map<string, Waiter[]>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let lastQueryAt = 0;
  let calls = 0;

  const schedule = () => {
    if (timer || running) return;
    const wait = Math.max(gatherMs, lastQueryAt + minGapMs - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      running = flush().finally(() => {
        running = undefined;
        if (waiting.size > 0) schedule();
      });
    }, wait);
  };

  async function flush(): Promise<void> {
    const asked = [...waiting.keys()].slice(0, MAX_IDS_PER_QUERY);
    // Fill the query with the other tasks in flight, the longest unasked first.
    const others = [...known.entries()]
      .filter(([id]) => !waiting.has(id))
      .sort((a, b) => (a[1]?.at ?? 0) - (b[1]?.at ?? 0))
      .map(([id]) => id)
      .slice(0, MAX_IDS_PER_QUERY - asked.length);
    const ids = [...asked, ...others];
    const waiters = asked.map((id) => [id, waiting.get(id) ?? []] as const);
    for (const id of asked) waiting.delete(id);
    lastQueryAt = Date.now();
    calls++;
    let data: unknown;
    try {
      data = await options.query(ids);
    } catch (error) {
      for (const [, list] of waiters) for (const w of list) w.reject(error);
      return;
    }
    const at = Date.now();
    const found = new Map<string, TaskSnapshot>();
    for (const item of Array.isArray(data) ? data : []) {
      const task = readCurrentTask(item);
      if (task && ids.includes(task.taskId)) found.set(task.taskId, task.snapshot);
    }
    for (const id of ids) {
      const snapshot = found.get(id);
      if (snapshot && (snapshot.state === "succeeded" || snapshot.state === "failed")) known.delete(id);
      else if (snapshot) known.set(id, { at, snapshot });
    }
    for (const [id, list] of waiters) {
      const snapshot = found.get(id);
      for (const w of list)
        if (snapshot) w.resolve(snapshot);
        else
          w.reject(
            new ProviderError(`Kling's task query does not list task ${id}`, {
              kind: "not_found",
              code: "KLING_TASK_NOT_LISTED",
            }),
          );
    }
  }

  return {
    /** The task's state: from a fresh enough answer, else from the next shared query. */
    get(taskId: string): Promise<TaskSnapshot> {
      const entry = known.get(taskId);
      if (entry && Date.now() - entry.at < freshMs) return Promise.resolve(entry.snapshot);
      if (!known.has(taskId)) known.set(taskId, undefined);
      return new Promise<TaskSnapshot>((resolve, reject) => {
        const list = waiting.get(taskId) ?? [];
        list.push({ resolve, reject });
        waiting.set(taskId, list);
        schedule();
      });
    },
    /** Something says the task changed (its callback): the next poll asks, not the last answer. */
    forget(taskId: string): void {
      const entry = known.get(taskId);
      if (entry) known.set(taskId, { ...entry, at: 0 });
    },
    /** A task just made: the next query (whoever's poll sends it) asks about it too. */
    track(taskId: string): void {
      if (!known.has(taskId)) known.set(taskId, undefined);
    },
    /** Queries sent so far (for the log and the tests). */
    calls: () => calls,
    close() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}

export type TaskQueries = ReturnType<typeof createTaskQueries>;
