/**
 * Worker-thread entry of bench/audience.ts: the room's host, on an event loop of its own, as
 * the chair's own computer is. The crowd's clients in the main thread open hundreds of
 * connections a second; a host sharing their event loop would wait for them too, and its
 * latency would measure the load generator as much as the server. Started through
 * lib/hostHandle.ts; speaks the messages below (checked with zod on both sides).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import { PROTOCOL_VERSION } from '../../signaling/protocol.js';
import { connect, isRecord, request } from './clients.js';

/** What the host thread starts with (its workerData). */
export const HostThreadOptions = z.object({ url: z.string(), invite: z.string(), name: z.string() });

/** main → host thread. */
export const ToHostThread = z.discriminatedUnion('type', [
  /**
   * Start the probe: a queue:setOpen every `intervalMs`, whether the ones before were answered
   * or not (a chair does not wait for the crowd either); each timed from when it was due.
   */
  z.object({ type: z.literal('probe'), intervalMs: z.number().positive() }),
  /** Stop the probe and answer its samples (`samples`). */
  z.object({ type: z.literal('stop') }),
  /** Give the floor to a participant for `seconds`; answers `granted`. */
  z.object({ type: z.literal('grant'), participantId: z.string(), seconds: z.number(), commandId: z.string() }),
  z.object({ type: z.literal('close') }),
]);
export type ToHostThread = z.infer<typeof ToHostThread>;

/** host thread → main. */
export const FromHostThread = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), participantId: z.string() }),
  z.object({ type: z.literal('samples'), samples: z.array(z.number()) }),
  z.object({ type: z.literal('granted') }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
export type FromHostThread = z.infer<typeof FromHostThread>;

if (parentPort) {
  const port = parentPort;
  const post = (message: FromHostThread): void => port.postMessage(message);
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  const fail = (error: unknown): void => post({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });

  const main = async (): Promise<void> => {
    const options = HostThreadOptions.parse(workerData);
    const socket = await connect(options.url);
    const joined = await request(socket, 'room:join', { protocolVersion: PROTOCOL_VERSION, invite: options.invite, name: options.name, rtpCapabilities: {} });
    if (!isRecord(joined) || typeof joined.participantId !== 'string') throw new TypeError('room:join: malformed answer');
    let probing: Promise<number[]> | null = null;
    let stopping = false;
    // Whether the list of speakers is open (the probe toggles it: a command that always changes the room).
    let open = true;
    // NOTE: at a steady rate, not one after another: a stall then delays every command due
    // during it (as it would a chair's), instead of one command that the next ones wait behind
    // unseen, and a window holds as many commands whatever the latency. Each is timed from when
    // it was due, so a late send of this thread counts against the figure, not for it.
    const probe = async (intervalMs: number): Promise<number[]> => {
      const samples: number[] = [];
      const answers: Array<Promise<void>> = [];
      const start = performance.now();
      for (let k = 0; !stopping; k++) {
        const due = start + k * intervalMs;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        if (stopping) break;
        open = !open;
        answers.push(
          request(socket, 'queue:setOpen', { commandId: `probe-${k}-${Date.now()}`, open }).then(() => {
            samples.push(performance.now() - due);
          }),
        );
      }
      await Promise.all(answers);
      return samples;
    };
    port.on('message', (raw: unknown) => {
      const message = ToHostThread.parse(raw);
      switch (message.type) {
        case 'probe':
          stopping = false;
          probing = probe(message.intervalMs);
          probing.catch(fail);
          break;
        case 'stop':
          stopping = true;
          (probing ?? Promise.resolve([])).then((samples) => post({ type: 'samples', samples }), fail);
          probing = null;
          break;
        case 'grant':
          request(socket, 'floor:grant', { commandId: message.commandId, target: { kind: 'participant', participantId: message.participantId }, seconds: message.seconds }).then(
            () => post({ type: 'granted' }),
            fail,
          );
          break;
        case 'close':
          socket.disconnect();
          port.close();
          break;
      }
    });
    post({ type: 'ready', participantId: joined.participantId });
  };
  main().catch(fail);
}
