import { globSync, readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { HOST_ENDED_MESSAGE } from './test/helpers/peerHost/hostEnded.js';

/**
 * The projects. `npm test` runs them in three steps (scripts/test.sh says why): services beside
 * the pure tests (unit, client, client-mocks), then browser by itself, then alone by itself.
 * Within a run, groups go one after the other (sequence.groupOrder). `vitest run` alone runs
 * every group in order.
 * - unit, client and client-mocks (group 1): pure tests next to the code. They start no server,
 *   no process and no Redis and listen on no port. Two files at a time, and in one module graph
 *   per worker (isolate: false): loading the modules and a jsdom for each of 140 files again
 *   was most of the work (90 s for the group with one worker and a graph per file, 20 s so).
 *   Client tests that replace a module (vi.mock) are client-mocks, each in a graph of its own.
 * - services (group 2): tests that need real parts but no browser (a server, a mediasoup worker,
 *   Redis, child processes): test/** outside test/e2e, and tests next to the code named
 *   *.int.test.ts. One file at a time. Every check in them waits for events, not for a time.
 * - alone (group 4; `npm test` runs it by itself at the end): ALONE says why.
 * - browser (group 3): test/e2e, Debian's Chromium with fake media, with the machine to
 *   themselves. One file at a time: two at a time took as long (370 s against 375 s), the
 *   machine being the limit. All files in one process and module graph (isolate: false): each
 *   file's own process and graph cost ~1.5 s of loading. This needs nothing native in the test
 *   process: a test peer's WebRTC (@roamhq/wrtc) once crashed a shared process with SIGSEGV and
 *   took the 24 tests of the files after it along; it now lives in a process of its own
 *   (test/helpers/peerHost).
 * (The orders start at 1: with 0 and 1, Vitest 5.1 ran the later project first.)
 */
const INTEGRATION_NEXT_TO_CODE = '{server,signaling,client}/**/*.int.test.{ts,tsx}';
/**
 * The tests with real servers, media and browsers: a test and a hook may take 2 minutes, and
 * expect.poll waits up to 10 s for what it expects instead of Vitest's 1 s (a page's text read
 * back through Playwright took longer than that in a clean-clone run on a busy machine: the
 * name was there, the read was late). A poll that must be quicker says so with its own timeout.
 */
const SLOW = {
  testTimeout: 120_000,
  hookTimeout: 120_000,
  expect: { poll: { timeout: 10_000 } },
  // A test whose WebRTC test peers' process crashed runs once more; no other failure does
  // (test/helpers/peerHost/hostEnded.ts says why).
  retry: { count: 1, condition: HOST_ENDED_MESSAGE },
};
/**
 * Tests that `npm test` runs by themselves, at the end: beside the browser files each failed
 * where it never had with the machine to itself (15 clean-clone runs before the suite ran in
 * parallel):
 * - test/recording.test.ts checks, in the recorded file, that each speaker shows within a
 *   second of the offset the minutes give (the program's switch, a key frame, the encoder).
 *   Beside the browser files it missed in 2 of 6 runs (the speaker 1.0–1.5 s in).
 * - the RedisCluster test of a process that stops announcing itself: its survivors, on 100 ms
 *   heartbeats, did not both see it gone within 5 s in 2 of 5 runs (nor within 20 s on 500 ms
 *   heartbeats, once). The cause is not found.
 */
const ALONE = ['test/recording.test.ts', 'server/cluster/RedisCluster.int.test.ts'];
/**
 * The pure tests' limit per test and hook: a guard against a hang, not a measure. Vitest's 5 s
 * was too near: beside the services lane, which shares the 2 cores and the disk, a unit test of
 * 1,000 synced appends to a SQLite file (1.5 s alone) ran out of it.
 */
const PURE_TIMEOUTS = { testTimeout: 30_000, hookTimeout: 30_000 };
const CLIENT_TESTS = 'client/**/*.test.{ts,tsx}';
const CLIENT_SETUP = 'test/helpers/clientTestSetup.ts';
/**
 * Client tests that replace a module (vi.mock): in a module graph shared with other files the
 * real module may already be loaded, so each of these gets a graph of its own.
 */
const REPLACE_MODULES = globSync(CLIENT_TESTS).filter((file) => /\bvi\.(doMock|mock)\(/.test(readFileSync(file, 'utf8')));

export default defineConfig({
  test: {
    globalSetup: ['test/helpers/scratchDir.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['signaling/**/*.test.ts', 'server/**/*.test.ts'],
          exclude: [INTEGRATION_NEXT_TO_CODE, '**/node_modules/**'],
          maxWorkers: 2,
          isolate: false,
          ...PURE_TIMEOUTS,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'client',
          include: [CLIENT_TESTS],
          setupFiles: [CLIENT_SETUP],
          exclude: [INTEGRATION_NEXT_TO_CODE, ...REPLACE_MODULES, '**/node_modules/**'],
          maxWorkers: 2,
          isolate: false,
          ...PURE_TIMEOUTS,
          sequence: { groupOrder: 1 },
        },
      },
      // Only while there are such files: a project that includes nothing is an error.
      ...(REPLACE_MODULES.length > 0
        ? [{ test: { name: 'client-mocks', include: REPLACE_MODULES, setupFiles: [CLIENT_SETUP], maxWorkers: 2, ...PURE_TIMEOUTS, sequence: { groupOrder: 1 } } }]
        : []),
      {
        test: {
          name: 'services',
          include: ['test/**/*.test.ts', INTEGRATION_NEXT_TO_CODE],
          exclude: ['test/e2e/**', ...ALONE, '**/node_modules/**'],
          maxWorkers: 1,
          ...SLOW,
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          name: 'alone',
          include: ALONE,
          maxWorkers: 1,
          ...SLOW,
          sequence: { groupOrder: 4 },
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
          isolate: false,
          ...SLOW,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});
