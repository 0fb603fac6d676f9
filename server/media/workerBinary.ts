/**
 * mediasoup spawns its C++ worker from a path fixed when the module loads. A missing binary
 * makes `createWorker()` crash the process with an uncaught `spawn ENOENT`, so the path is
 * checked first and reported with the command that builds it.
 */
import { accessSync, constants } from 'node:fs';
import { workerBin } from 'mediasoup';

/** Thrown when the mediasoup worker binary is absent or not executable. */
export class MissingWorkerError extends Error {}

/** Throws MissingWorkerError unless mediasoup's worker binary can be run. */
export function assertWorkerBinary(bin: string = workerBin): void {
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    throw new MissingWorkerError(
      `mediasoup worker not found at ${bin}.\n` +
        'Build it with `npm run setup` (or set MEDIASOUP_WORKER_BIN to a built worker).',
    );
  }
}
