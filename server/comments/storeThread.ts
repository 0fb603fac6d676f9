/**
 * Worker-thread entry of ThreadedCommentStore: the SQLite comment store on a thread of its own.
 * Speaks batches: [{ id, method, args }, …] → [{ id, ok, value } | { id, ok: false, code, message }, …].
 * The answers ready in one turn go back in one message (see ThreadedCommentStore.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import { AppError } from '../../signaling/errors.js';
import type { CommentStore } from './CommentStore.js';
import { SqliteCommentStore } from './SqliteCommentStore.js';
import { STORE_METHODS, type StoreReply } from './ThreadedCommentStore.js';

const Calls = z.array(z.object({ id: z.number(), method: z.enum(STORE_METHODS), args: z.array(z.unknown()) }));

if (!parentPort) throw new TypeError('storeThread.ts runs as a worker thread (see ThreadedCommentStore.ts)');
const port = parentPort;
const store = SqliteCommentStore.open(z.object({ file: z.string() }).parse(workerData).file);
port.postMessage({ ready: true });

/** The answers of this turn, sent together once it ends. */
let outbox: StoreReply[] = [];
const reply = (answer: StoreReply): void => {
  if (outbox.length === 0) {
    setImmediate(() => {
      const answers = outbox;
      outbox = [];
      port.postMessage(answers);
    });
  }
  outbox.push(answer);
};

port.on('message', (raw: unknown) => {
  for (const { id, method, args } of Calls.parse(raw)) {
    // The arguments were typed by the caller in this process; the method table is the interface's.
    const call = store[method] as (this: CommentStore, ...a: unknown[]) => Promise<unknown>;
    call.apply(store, args).then(
      (value) => reply({ id, ok: true, value }),
      (error: unknown) =>
        reply(
          error instanceof AppError
            ? { id, ok: false, code: error.code, message: error.message }
            : { id, ok: false, code: null, message: error instanceof Error ? (error.stack ?? error.message) : String(error) },
        ),
    );
  }
});
