/**
 * RtpSinks in a thread of their own (see SinkHost): tens of thousands of packets a second on
 * the sinks must not delay what else the bench's main thread does — in bench/audience-media.ts,
 * the program's relay, which in the product runs in the server's main thread.
 */
import { parentPort } from 'node:worker_threads';
import { z } from 'zod';
import { RtpSinks } from './rtpSinks.js';

export const ToSinks = z.discriminatedUnion('type', [
  z.object({ type: z.literal('open'), id: z.number(), count: z.number().int().min(1), lateMs: z.number() }),
  z.object({ type: z.literal('expect'), id: z.number(), index: z.number().int(), ssrc: z.number() }),
  z.object({ type: z.literal('live'), id: z.number() }),
  z.object({ type: z.literal('openWindow'), id: z.number() }),
  z.object({ type: z.literal('closeWindow'), id: z.number(), fallbackExpected: z.number() }),
  z.object({ type: z.literal('close'), id: z.number() }),
]);
export type ToSinks = z.infer<typeof ToSinks>;

export const FromSinks = z.object({ id: z.number(), ok: z.boolean(), data: z.unknown().optional(), error: z.string().optional() });
export type FromSinks = z.infer<typeof FromSinks>;

let sinks: RtpSinks | null = null;

function opened(): RtpSinks {
  if (!sinks) throw new Error('sinks not open');
  return sinks;
}

async function handle(message: ToSinks): Promise<unknown> {
  switch (message.type) {
    case 'open':
      sinks = await RtpSinks.open(message.count, message.lateMs);
      return sinks.ports;
    case 'expect':
      opened().expectSsrc(message.index, message.ssrc);
      return null;
    case 'live':
      return opened().live;
    case 'openWindow':
      opened().openWindow();
      return null;
    case 'closeWindow': {
      const s = opened();
      const window = s.closeWindow(message.fallbackExpected);
      if (s.error) throw s.error;
      return window;
    }
    case 'close':
      await sinks?.close();
      sinks = null;
      return null;
  }
}

parentPort?.on('message', (raw: unknown) => {
  const message = ToSinks.parse(raw);
  handle(message).then(
    (data) => parentPort?.postMessage({ id: message.id, ok: true, data }),
    (error: unknown) => parentPort?.postMessage({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
