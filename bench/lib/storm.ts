/**
 * A paced storm of acked requests: `count` sends spread evenly over `spreadMs`, each timed
 * from its emit to its ack. Failed requests are kept (not thrown at once) so a run can report
 * how many failed and why, then fail.
 */
import { performance } from 'node:perf_hooks';

/** What a storm did. */
export type StormResult = {
  /** Ack latency of each successful request, ms. */
  latencies: number[];
  failures: Error[];
  /** The highest value a request answered (a seq), or 0. */
  maxAnswer: number;
  /** From the first send to the last send, and to the last ack, ms. */
  sendSpanMs: number;
  durationMs: number;
};

/** Runs the storm; `send(i)` sends request i and answers a number (e.g. its seq). */
export async function storm(count: number, spreadMs: number, send: (index: number) => Promise<number>): Promise<StormResult> {
  const latencies: number[] = [];
  const failures: Error[] = [];
  const pending: Array<Promise<void>> = [];
  let maxAnswer = 0;
  let lastAck = 0;
  let lastSend = 0;
  const start = performance.now();
  const launch = (index: number): void => {
    const sentAt = performance.now();
    lastSend = sentAt;
    pending.push(
      send(index).then(
        (answer) => {
          lastAck = performance.now();
          latencies.push(lastAck - sentAt);
          maxAnswer = Math.max(maxAnswer, answer);
        },
        (error: unknown) => {
          failures.push(error instanceof Error ? error : new Error(String(error)));
        },
      ),
    );
  };
  await new Promise<void>((resolve) => {
    let sent = 0;
    const tick = (): void => {
      // Everything due by now goes out, so a late timer catches up instead of stretching the storm.
      const due = Math.min(count, Math.floor(((performance.now() - start) / spreadMs) * count) + 1);
      while (sent < due) launch(sent++);
      if (sent < count) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  await Promise.all(pending);
  return { latencies, failures, maxAnswer, sendSpanMs: lastSend - start, durationMs: Math.max(lastAck, lastSend) - start };
}
