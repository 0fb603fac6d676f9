import { defineConfig } from 'vitest/config';

/**
 * Three projects, one after the other (sequence.groupOrder):
 * - unit: pure tests next to the code. They start no server, no process and no Redis, listen
 *   on no port, and run in parallel in a few seconds.
 * - services: tests that need real parts but no browser (a server, a mediasoup worker, Redis,
 *   child processes): test/** outside test/e2e, and tests next to the code named
 *   *.int.test.ts. Two files at a time: each waits on its servers and peers more than it
 *   computes, and every check in them waits for events, not for a time.
 * - browser: test/e2e, Debian's Chromium with fake media. One file at a time, alone on the
 *   machine: five pages with video on two cores leave nothing to share.
 * (The orders start at 1: with 0 and 1, Vitest 5.1 ran the later project first.)
 */
const INTEGRATION_NEXT_TO_CODE = '{server,signaling,client}/**/*.int.test.{ts,tsx}';
const SLOW = { testTimeout: 120_000, hookTimeout: 120_000 };

export default defineConfig({
  test: {
    globalSetup: ['test/helpers/scratchDir.ts'],
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
          name: 'services',
          include: ['test/**/*.test.ts', INTEGRATION_NEXT_TO_CODE],
          exclude: ['test/e2e/**', '**/node_modules/**'],
          maxWorkers: 2,
          ...SLOW,
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
          ...SLOW,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});
