import { describe, expect, test } from 'vitest';
import { chooseHlsEngine, delaySeconds, retryDelayMs } from './hlsPlayback.js';

describe('chooseHlsEngine()', () => {
  test.each([
    [{ hlsJs: true, nativeHls: true }, 'hls.js'],
    [{ hlsJs: true, nativeHls: false }, 'hls.js'],
    [{ hlsJs: false, nativeHls: true }, 'native'],
    [{ hlsJs: false, nativeHls: false }, 'none'],
  ] as const)('%o plays with %s', (support, engine) => {
    expect(chooseHlsEngine(support)).toBe(engine);
  });
});

describe('retryDelayMs()', () => {
  test('doubles from one second and stops at fifteen', () => {
    expect([0, 1, 2, 3, 4, 5, 50].map(retryDelayMs)).toEqual([1000, 2000, 4000, 8000, 15000, 15000, 15000]);
  });
});

describe('delaySeconds()', () => {
  test('whole seconds, at least one; nothing without an estimate', () => {
    expect(delaySeconds(4.4)).toBe(4);
    expect(delaySeconds(4.6)).toBe(5);
    expect(delaySeconds(0.3)).toBe(1);
    expect(delaySeconds(0)).toBeNull();
    expect(delaySeconds(NaN)).toBeNull();
    expect(delaySeconds(null)).toBeNull();
    expect(delaySeconds(undefined)).toBeNull();
  });
});
