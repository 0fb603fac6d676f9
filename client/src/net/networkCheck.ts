/**
 * The join page's network check: a few timed round trips of the cheapest request the server
 * answers (`GET /healthz`), classified as good, slow or down.
 */

/** What the check found; `checking` until the first result. */
export type NetworkCheck =
  | { state: 'checking' }
  | { state: 'good' | 'slow'; latencyMs: number; failed: number }
  | { state: 'down' };

/** Median round trip up to which the connection counts as good (a video call is comfortable). */
export const GOOD_LATENCY_MS = 250;

/** How many round trips one check times. */
export const ROUNDS = 4;

/** How long one round trip may take before it counts as failed. */
export const ROUND_TIMEOUT_MS = 4_000;

/**
 * Classifies measured round trips (ms; null for a request that failed or timed out): down
 * when none came back, slow when the median is high or some were lost, good otherwise.
 */
export function classifyNetwork(samples: ReadonlyArray<number | null>): Exclude<NetworkCheck, { state: 'checking' }> {
  const ok = samples.filter((s): s is number => s !== null).sort((a, b) => a - b);
  if (ok.length === 0) return { state: 'down' };
  const mid = Math.floor(ok.length / 2);
  const median = ok.length % 2 === 1 ? (ok[mid] ?? 0) : ((ok[mid - 1] ?? 0) + (ok[mid] ?? 0)) / 2;
  const latencyMs = Math.round(median);
  const failed = samples.length - ok.length;
  return { state: failed === 0 && latencyMs <= GOOD_LATENCY_MS ? 'good' : 'slow', latencyMs, failed };
}

/** What measuring needs; injectable for tests. */
export type MeasureDeps = {
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  now: () => number;
};

const browserDeps = (): MeasureDeps => ({ fetch: (url, init) => fetch(url, init), now: () => performance.now() });

/** Times `rounds` sequential requests of `url` and classifies them. */
export async function measureNetwork(url: string, rounds = ROUNDS, deps: MeasureDeps = browserDeps()): Promise<Exclude<NetworkCheck, { state: 'checking' }>> {
  const samples: Array<number | null> = [];
  for (let i = 0; i < rounds; i++) samples.push(await roundTrip(url, deps));
  return classifyNetwork(samples);
}

async function roundTrip(url: string, deps: MeasureDeps): Promise<number | null> {
  const started = deps.now();
  try {
    const response = await deps.fetch(url, { cache: 'no-store', signal: AbortSignal.timeout(ROUND_TIMEOUT_MS) });
    // The body is part of the round trip (and frees the connection for the next one).
    await response.arrayBuffer();
    if (!response.ok) {
      console.warn(`network check: ${url} answered HTTP ${response.status}`);
      return null;
    }
  } catch (error) {
    // A failed round trip is a finding of the check, shown as "slow" or "down".
    console.warn('network check: request failed', error);
    return null;
  }
  return deps.now() - started;
}
