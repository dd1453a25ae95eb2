import { test as nodeTest, type TestContext } from "node:test";
import { countOpenLedgers } from "../../src/ledger/open-ledger.js";

/** What a test may not leave behind: servers, timers that keep the process alive, child processes, ledgers. */
const WATCHED = ["TCPServerWrap", "Timeout", "ProcessWrap"] as const;

function snapshot(): Record<string, number> {
  const counts: Record<string, number> = { ledger: countOpenLedgers() };
  for (const name of WATCHED) counts[name] = 0;
  for (const name of process.getActiveResourcesInfo())
    if (name in counts && name !== "ledger") counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

function leaksSince(before: Record<string, number>): string[] {
  const now = snapshot();
  return Object.entries(now)
    .filter(([name, n]) => n > (before[name] ?? 0))
    .map(([name, n]) => `${n - (before[name] ?? 0)} ${name === "ledger" ? "open ledger(s)" : name}`);
}

type Body = (t: TestContext) => unknown;

/**
 * node:test's `test`, failing any test that leaves a server, a timer, a child process or an open
 * ledger behind. The test's own `t.after` clean-ups run first (last registered first), then the
 * check waits a moment for closes under way (a socket closes asynchronously) before it fails the test.
 */
export function test(
  name: string,
  /** `skip`: a reason the test cannot run here (it is then reported skipped, never passed). */
  options: { timeout?: number; skip?: string | false } | Body,
  body?: Body,
): Promise<void> {
  const fn = (typeof options === "function" ? options : body) as Body;
  const opts = typeof options === "function" ? {} : options;
  return nodeTest(name, opts, async (t) => {
    const before = snapshot();
    const cleanups: (() => unknown)[] = [];
    const context = new Proxy(t, {
      get(target, prop) {
        if (prop === "after") return (cleanup: () => unknown) => void cleanups.push(cleanup);
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    try {
      await fn(context);
    } finally {
      for (const cleanup of cleanups.reverse()) await cleanup();
    }
    let leaks = leaksSince(before);
    for (let i = 0; i < 50 && leaks.length > 0; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setTimeout(resolve, 10));
      leaks = leaksSince(before);
    }
    if (leaks.length > 0) throw new Error(`the test left behind: ${leaks.join(", ")}`);
  });
}
