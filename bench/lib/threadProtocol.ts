/**
 * Messages between a signaling benchmark (main thread: clients and measurements) and its
 * server thread (lib/serverThread.ts). Checked with zod on both sides: a thread boundary is a
 * boundary like any other.
 */
import { z } from 'zod';

/** What the server thread starts (its workerData). */
export const ServerThreadOptions = z.object({
  /** Also start a bare Socket.IO server (lib/bareServer.ts) in the same thread. */
  bare: z.boolean(),
  /** Settings on top of startTestServer's (e.g. lib/oneAddress.ts's raised limits). */
  env: z.record(z.string(), z.string()),
});
export type ServerThreadOptions = z.infer<typeof ServerThreadOptions>;

/** main → server thread. */
export const ToServerThread = z.discriminatedUnion('type', [
  /** Answer the thread's cumulative event-loop time. */
  z.object({ type: z.literal('elu') }),
  /**
   * Start a CPU profile of the server thread, or stop it and write it to `file` (a .cpuprofile
   * for Chrome's DevTools); answers `profiled` either way.
   */
  z.object({ type: z.literal('profile'), file: z.string().nullable() }),
  /** Close the servers, remove the data directory, answer `closed`. */
  z.object({ type: z.literal('close') }),
]);
export type ToServerThread = z.infer<typeof ToServerThread>;

/** server thread → main. */
export const FromServerThread = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), url: z.string(), adminSecret: z.string(), bareUrl: z.string().nullable() }),
  /**
   * performance.eventLoopUtilization() of the server thread, in ms since it started, and the
   * longest its event loop was held up since the previous `elu` (ms); in a process of its own,
   * also the process's CPU time over all its threads (ms), else null.
   */
  z.object({ type: z.literal('elu'), idle: z.number(), active: z.number(), maxStallMs: z.number(), cpuMs: z.number().nullable() }),
  z.object({ type: z.literal('profiled') }),
  z.object({ type: z.literal('closed') }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
export type FromServerThread = z.infer<typeof FromServerThread>;
