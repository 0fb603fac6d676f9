import zlib from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { brotliWindowBits } from './sendJson.js';

describe('brotliWindowBits', () => {
  test('the smallest window that holds the answer, within what Brotli allows (2^10 to 2^24 bytes)', () => {
    expect(brotliWindowBits(0)).toBe(10);
    expect(brotliWindowBits(1)).toBe(10);
    expect(brotliWindowBits(1024)).toBe(10);
    expect(brotliWindowBits(4096)).toBe(12);
    expect(brotliWindowBits(40_159)).toBe(16);
    expect(brotliWindowBits(65_536)).toBe(16);
    expect(brotliWindowBits(65_537)).toBe(17);
    expect(brotliWindowBits(50 * 1024 * 1024)).toBe(24);
  });

  test('an answer compressed with it comes back whole, no larger than with the default window', () => {
    const data = Buffer.from(JSON.stringify(Array.from({ length: 300 }, (_, i) => ({ id: i, text: `第 ${i} 条留言：${'加装电梯'.repeat(i % 13)}` }))));
    const C = zlib.constants;
    const small = zlib.brotliCompressSync(data, { params: { [C.BROTLI_PARAM_QUALITY]: 5, [C.BROTLI_PARAM_LGWIN]: brotliWindowBits(data.length) } });
    const usual = zlib.brotliCompressSync(data, { params: { [C.BROTLI_PARAM_QUALITY]: 5 } });
    expect(zlib.brotliDecompressSync(small).equals(data)).toBe(true);
    expect(small.length).toBeLessThanOrEqual(usual.length);
  });
});
