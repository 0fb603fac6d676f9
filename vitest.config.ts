import { defineConfig } from 'vitest/config';

// Unit tests run in parallel; integration and browser tests share real servers, workers and
// Chromium on a small machine, so their files run one after another.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['signaling/**/*.test.ts', 'server/**/*.test.ts', 'client/**/*.test.{ts,tsx}'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
