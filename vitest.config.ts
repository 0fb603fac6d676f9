import { defineConfig } from 'vitest/config';

/**
 * Two projects, one after the other (sequence.groupOrder):
 * - unit: pure tests next to the code. They start no server, no process and no Redis, listen
 *   on no port, and run in parallel in a few seconds.
 * - integration: everything that needs real parts (a server, a mediasoup worker, Redis,
 *   Chromium, child processes): test/**, and tests next to the code named *.int.test.ts.
 *   Its files run one after another, so a browser test never shares the two cores of a small
 *   machine with another file's servers.
 * Running the unit project first and alone costs its few seconds once, and keeps its
 * parallel workers off the cores while the timing-sensitive browser tests run.
 * (The orders start at 1: with 0 and 1, Vitest 5.1 ran the integration project first.)
 */
const INTEGRATION_NEXT_TO_CODE = '{server,signaling,client}/**/*.int.test.{ts,tsx}';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['signaling/**/*.test.ts', 'server/**/*.test.ts', 'client/**/*.test.{ts,tsx}'],
          exclude: [INTEGRATION_NEXT_TO_CODE, '**/node_modules/**'],
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts', INTEGRATION_NEXT_TO_CODE],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
