import { describe, expect, test } from 'vitest';
import { preferred } from './compressedAssets.js';

const BOTH = [{ name: 'br' }, { name: 'gzip' }] as const;
const choose = (header: string | undefined, offered: readonly { name: string }[] = BOTH) => preferred(header, offered)?.name;

describe('preferred(): which compressed copy a browser gets', () => {
  test('browsers as they send it: Brotli when it is accepted as much as gzip', () => {
    expect(choose('gzip, deflate, br, zstd')).toBe('br'); // Chromium
    expect(choose('gzip, deflate, br')).toBe('br'); // Firefox, Safari
    expect(choose('gzip, deflate')).toBe('gzip'); // an older browser
  });

  test('the weights decide first; 0 refuses', () => {
    expect(choose('br;q=0.5, gzip;q=0.8')).toBe('gzip');
    expect(choose('br;q=0, gzip')).toBe('gzip');
    expect(choose('br;q=0, gzip;q=0')).toBeUndefined();
    expect(choose('*')).toBe('br');
    expect(choose('*;q=0')).toBeUndefined();
    expect(choose('gzip;q=0, *')).toBe('br');
    expect(choose('BR;Q=1')).toBe('br');
  });

  test('no header, identity only, or only what was not written: none', () => {
    expect(choose(undefined)).toBeUndefined();
    expect(choose('')).toBeUndefined();
    expect(choose('identity')).toBeUndefined();
    expect(choose('deflate, zstd')).toBeUndefined();
    expect(choose('gzip, br', [{ name: 'gzip' }])).toBe('gzip');
  });

  test('malformed entries are ignored, not trusted', () => {
    expect(choose('br;q=abc, gzip')).toBe('gzip');
    expect(choose('br;q=2')).toBeUndefined();
    expect(choose('br;q=-1, gzip;q=0.001')).toBe('gzip');
    expect(choose(', ,;;; =, q=1')).toBeUndefined();
    expect(choose(`${'x;'.repeat(10_000)}, gzip`)).toBe('gzip');
  });
});
