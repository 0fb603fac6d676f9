/**
 * Brotli window benchmark: the CPU time of compressing one API answer as the server does
 * (server/http/sendJson.ts: Brotli quality 5 on Node's thread pool), with the window fitted to
 * the answer (brotliWindowBits) against Brotli's default window of 4 MB (the baseline), in the
 * same run, for answers of the sizes the comment routes send.
 *
 * The answers: JSON of N comments shaped as the public page's, of varied text
 * (lib/publicHttp.ts: variedText): 100 (the public page, about 40 KB) and 600 (about the staff's
 * lists, about 240 KB). For each, ROUNDS (4) alternating batches of COUNT (200) compressions,
 * CROWD (10) in flight, as concurrent requests compress.
 * Printed: this process's CPU time per answer (all threads: the pool does the work), the
 * compressed size, and the ratios fitted / default.
 *
 * Run: npm run bench -- bench/brotli-window.ts   (BROTLI_ROUNDS, BROTLI_COUNT, BROTLI_CROWD)
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { z } from 'zod';
import { brotliWindowBits } from '../server/http/sendJson.js';
import { variedText } from './lib/publicHttp.js';
import { times } from './lib/stats.js';

const NAME = 'brotli-window';
const Env = z.object({
  BROTLI_ROUNDS: z.coerce.number().int().min(1).max(100).default(4),
  BROTLI_COUNT: z.coerce.number().int().min(10).max(100_000).default(200),
  BROTLI_CROWD: z.coerce.number().int().min(1).max(100).default(10),
});
const brotli = promisify(zlib.brotliCompress);
const C = zlib.constants;

/** The JSON of `n` comments as the public page sends them. */
function answerOf(n: number): Buffer {
  const comments = Array.from({ length: n }, (_, i) => ({
    id: `c${i.toString(36).padStart(20, '0')}`,
    roomId: 'r0000000000000000',
    name: `居民${i + 1}`,
    place: '一区',
    text: variedText(i),
    createdAt: 1_796_400_000_000 + i * 1000,
    status: 'approved',
    upvotes: i % 9,
    themes: [],
    answer: null,
  }));
  return Buffer.from(JSON.stringify({ comments, mine: [], upvoted: [] }), 'utf8');
}

type Variant = { label: string; params: Record<number, number>; cpuMs: number; count: number; bytes: number };

async function batch(data: Buffer, variant: Variant, count: number, crowd: number): Promise<void> {
  const from = process.cpuUsage();
  let next = 0;
  await Promise.all(
    Array.from({ length: crowd }, async () => {
      while (next < count) {
        next++;
        variant.bytes = (await brotli(data, { params: variant.params })).length;
      }
    }),
  );
  const used = process.cpuUsage(from);
  variant.cpuMs += (used.user + used.system) / 1000;
  variant.count += count;
}

async function main(): Promise<void> {
  const env = Env.parse(process.env);
  console.log(`${NAME}: ${env.BROTLI_ROUNDS} alternating batches of ${env.BROTLI_COUNT} compressions per variant, ${env.BROTLI_CROWD} in flight`);
  for (const n of [100, 600]) {
    const data = answerOf(n);
    const common = { [C.BROTLI_PARAM_QUALITY]: 5, [C.BROTLI_PARAM_SIZE_HINT]: data.length };
    const usual: Variant = { label: 'default window, 4 MB (baseline)', params: common, cpuMs: 0, count: 0, bytes: 0 };
    const bits = brotliWindowBits(data.length);
    const fitted: Variant = { label: `fitted window, 2^${bits} bytes`, params: { ...common, [C.BROTLI_PARAM_LGWIN]: bits }, cpuMs: 0, count: 0, bytes: 0 };
    // Unmeasured: warms the pool's threads and the encoder.
    for (const v of [usual, fitted]) await batch(data, { ...v, cpuMs: 0, count: 0 }, env.BROTLI_CROWD, env.BROTLI_CROWD);
    for (let r = 0; r < env.BROTLI_ROUNDS; r++) {
      for (const v of r % 2 === 0 ? [usual, fitted] : [fitted, usual]) await batch(data, v, env.BROTLI_COUNT, env.BROTLI_CROWD);
    }
    const label = `${n} comments (${(data.length / 1024).toFixed(1)} KB)`;
    for (const v of [usual, fitted]) {
      console.log(`${NAME}: ${label}: ${v.label}: ${(v.cpuMs / v.count).toFixed(3)} ms of CPU per answer, ${(v.bytes / 1024).toFixed(1)} KB`);
    }
    console.log(`brotli window: ${label}: CPU per answer ${times(fitted.cpuMs / fitted.count, usual.cpuMs / usual.count)}×, bytes ${times(fitted.bytes, usual.bytes)}×`);
  }
}

main().catch((error: unknown) => {
  console.error(`${NAME}: failed:`, error);
  process.exitCode = 1;
});
