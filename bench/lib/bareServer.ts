/**
 * The baseline of the signaling fan-out benchmark: a bare Socket.IO server with the product's
 * engine settings and nothing else. A client's `bench:fire` (with ack) broadcasts one
 * `room:events` batch of the requested JSON size to every connected socket, then acks with a
 * seq, the same order as the product (fan-out inside the command, then the ack).
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { z } from 'zod';

const Fire = z.object({ bytes: z.number().int().min(16).max(256 * 1024) });
const CHANNEL = 'all';

/** A running bare server. */
export type BareServer = { url: string; close(): Promise<void> };

/** A `room:events`-shaped batch with one event whose JSON is `bytes` long (or just over). */
export function paddedBatch(seq: number, bytes: number): { events: Array<{ seq: number; type: string; data: string }> } {
  const batch = { events: [{ seq, type: 'bench.padding', data: '' }] };
  const missing = bytes - Buffer.byteLength(JSON.stringify(batch));
  if (missing > 0) batch.events[0] = { seq, type: 'bench.padding', data: 'x'.repeat(missing) };
  return batch;
}

/** Starts the bare server on a free loopback port. */
export async function startBareServer(): Promise<BareServer> {
  const http = createServer();
  // The same engine settings as server/app.ts, so only the product's own work differs.
  const io = new Server(http, { maxHttpBufferSize: 256 * 1024, serveClient: false, pingInterval: 10_000, pingTimeout: 5_000 });
  let seq = 0;
  io.on('connection', (socket) => {
    // The in-memory adapter joins synchronously.
    void socket.join(CHANNEL);
    socket.on('bench:fire', (payload: unknown, callback: unknown) => {
      if (typeof callback !== 'function') return;
      const parsed = Fire.safeParse(payload);
      if (!parsed.success) {
        callback({ ok: false, error: 'BAD_REQUEST' });
        return;
      }
      seq += 1;
      io.to(CHANNEL).emit('room:events', paddedBatch(seq, parsed.data.bytes));
      callback({ ok: true, data: { seq } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  const address = http.address();
  if (address === null || typeof address === 'string') throw new TypeError('bare server: no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => io.close(() => resolve())),
  };
}
