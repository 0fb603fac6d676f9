/**
 * Answers with a body of the HTTP contract (signaling/http/*): the schema names the answer's
 * type, so a route cannot answer outside the contract without a type error. Nothing is parsed
 * here: the server builds its answers, the client parses them.
 *
 * A large answer (the public page of a topic's 100 comments, the staff's lists, an export) is
 * compressed for a client that accepts it, on the thread pool (zlib's asynchronous calls), not
 * on the event loop that runs the meetings: the public link is opened by phones, many times.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Response } from 'express';
import type { z } from 'zod';
import { preferred } from './compressedAssets.js';

/** Below this an answer is sent as it is: compressing it saves less than its headers cost. */
export const COMPRESS_FROM_BYTES = 4096;

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** A content encoding: its name in Content-Encoding, and how to compress to it. */
export type Encoding = { name: string; compress: (data: Buffer) => Promise<Buffer> };

/**
 * Brotli's window for `bytes` of input: the smallest that holds it (2^10 to 2^24 bytes). The
 * encoder's default, 4 MB, made it allocate and clear buffers far larger than an answer of a few
 * dozen KB, which cost about as much again as the compression itself; the output is the same.
 */
export function brotliWindowBits(bytes: number): number {
  return Math.min(24, Math.max(10, Math.ceil(Math.log2(Math.max(1, bytes)))));
}

/**
 * The encodings an answer may be sent in, Brotli first when a client rates both alike. Brotli
 * at quality 5 (of 11): most of the gain of the highest at a small part of its time.
 */
const ENCODINGS: readonly Encoding[] = [
  {
    name: 'br',
    compress: (data: Buffer) =>
      brotli(data, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: 5,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
          [zlib.constants.BROTLI_PARAM_LGWIN]: brotliWindowBits(data.length),
        },
      }),
  },
  { name: 'gzip', compress: (data: Buffer) => gzip(data, { level: 6 }) },
];

/**
 * An answer's JSON, ready to send to many clients: made once, and compressed once per encoding
 * however many clients it goes to (the public page of a topic opened from one QR poster). The
 * schema names the answer's type, as sendJson's does.
 */
export class PreparedJson<S extends z.ZodType = z.ZodType> {
  readonly data: Buffer;
  readonly #encoded = new Map<string, Promise<Buffer>>();
  constructor(_schema: S, body: z.input<NoInfer<S>>) {
    this.data = Buffer.from(JSON.stringify(body), 'utf8');
  }

  /** The data in `encoding`, compressed at the first call; a failed compression is tried again next time. */
  encoded(encoding: Encoding): Promise<Buffer> {
    const known = this.#encoded.get(encoding.name);
    if (known !== undefined) return known;
    const made = encoding.compress(this.data);
    this.#encoded.set(encoding.name, made);
    made.catch(() => this.#encoded.delete(encoding.name));
    return made;
  }
}

/** Sends `body`, which must be what `schema` accepts, as JSON with `status` (200 by default). */
export function sendJson<S extends z.ZodType>(res: Response, schema: S, body: z.input<NoInfer<S>>, status = 200): void {
  sendPrepared(res, new PreparedJson(schema, body), status);
}

/** Sends a prepared answer, compressed if large and the client accepts it. */
export function sendPrepared(res: Response, answer: PreparedJson, status = 200): void {
  const { data } = answer;
  res.status(status).type('application/json; charset=utf-8');
  if (data.length < COMPRESS_FROM_BYTES) {
    res.send(data);
    return;
  }
  res.vary('Accept-Encoding');
  const encoding = preferred(res.req.get('accept-encoding'), ENCODINGS);
  if (encoding === undefined) {
    res.send(data);
    return;
  }
  answer.encoded(encoding).then(
    (compressed) => {
      if (res.headersSent) return;
      res.set('Content-Encoding', encoding.name).send(compressed);
    },
    // Sent as it is rather than not at all.
    () => {
      if (!res.headersSent) res.send(data);
    },
  );
}
