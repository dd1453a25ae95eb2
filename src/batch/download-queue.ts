import pLimit from "p-limit";

/**
 * Finished videos waiting for a download slot, held as task ids only (8 bytes each), and handed to
 * a pool of `concurrency` downloads one at a time. Queueing a closure and a promise per video, as
 * p-limit alone would, made memory grow with the batch whenever generation outran the network (a
 * zero-latency 100,000-row run queued most of the batch); held as ids, the wait costs no memory
 * to speak of.
 */
export class DownloadQueue {
  private readonly ids: number[] = [];
  private head = 0;
  private readonly pool: ReturnType<typeof pLimit>;

  constructor(
    private readonly concurrency: number,
    /** Downloads one task's video. */
    private readonly download: (taskRowId: number) => Promise<unknown>,
    /** Hands each download to the run, which waits for it and fails on an unexpected error. */
    private readonly track: (work: Promise<unknown>) => void,
  ) {
    this.pool = pLimit(concurrency);
  }

  push(taskRowId: number): void {
    this.ids.push(taskRowId);
    this.pump();
  }

  /** Videos waiting for a slot. */
  get waiting(): number {
    return this.ids.length - this.head;
  }

  private pump(): void {
    while (this.pool.activeCount + this.pool.pendingCount < this.concurrency && this.head < this.ids.length) {
      const id = this.ids[this.head++] as number;
      this.track(this.pool(() => this.download(id)).finally(() => this.pump()));
    }
    // Drop the ids already handed out, now and then (not on every one: that would be quadratic).
    if (this.head > 1024 && this.head * 2 > this.ids.length) {
      this.ids.splice(0, this.head);
      this.head = 0;
    }
  }
}
