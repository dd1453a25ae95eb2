/** What the simulator saw, for tests and benchmarks: counters and submissions per prompt. */
export class SimStats {
  readonly counters = new Map<string, number>();
  readonly submissionsByPrompt = new Map<string, number>();
  submissions = 0;
  /** Every task any API created, by its id (the bench checks none is lost or paid twice). */
  readonly tasks = new Map<
    string,
    {
      prompt: string;
      charged: () => boolean;
      /** When it was made and when its generation ended (ms since the epoch): what a notice lag is measured from. */
      createdAt: number;
      readyAt: number;
    }
  >();
  /** Every bearer credential a client sent (keys, Kling's signed tokens): what must never leak. */
  readonly credentialsSeen = new Set<string>();
  /** Every callback address a create carried (each holds the client's callback path secret). */
  readonly callbackUrlsSeen = new Set<string>();
  /** The SHA-256 of every file uploaded (KIE, Wireflow), in order. */
  readonly uploadedSha256: string[] = [];
  /** The SHA-256 of every image a create carried inline as Base64 (Kling), in order. */
  readonly inlineImageSha256: string[] = [];

  count(name: string, by = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + by);
  }

  submission(prompt: string): void {
    this.submissions++;
    this.submissionsByPrompt.set(prompt, (this.submissionsByPrompt.get(prompt) ?? 0) + 1);
  }

  toJSON() {
    return {
      submissions: this.submissions,
      counters: Object.fromEntries(this.counters),
      submissionsByPrompt: Object.fromEntries(this.submissionsByPrompt),
      uploadedSha256: this.uploadedSha256,
      inlineImageSha256: this.inlineImageSha256,
    };
  }
}
