import { describe, expect, test } from 'vitest';
import { levelFromSamples } from './level.js';

describe('levelFromSamples()', () => {
  test('silence and no samples read as 0', () => {
    expect(levelFromSamples(new Float32Array(256))).toBe(0);
    expect(levelFromSamples([])).toBe(0);
  });

  test('a full-scale square wave reads as 1', () => {
    expect(levelFromSamples(Float32Array.from({ length: 256 }, (_, i) => (i % 2 === 0 ? 1 : -1)))).toBe(1);
  });

  test('-30 dBFS reads as half', () => {
    const amplitude = 10 ** (-30 / 20);
    expect(levelFromSamples(Float32Array.from({ length: 256 }, (_, i) => (i % 2 === 0 ? amplitude : -amplitude)))).toBeCloseTo(0.5, 5);
  });

  test('below -60 dBFS is clamped to 0, and louder is monotonic', () => {
    expect(levelFromSamples([0.0001, -0.0001])).toBe(0);
    expect(levelFromSamples([0.1, -0.1])).toBeLessThan(levelFromSamples([0.2, -0.2]));
  });
});
