import { describe, expect, test } from 'vitest';
import { levelFromMeanSquare, levelFromSamples } from './level.js';

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

describe('levelFromMeanSquare()', () => {
  test('agrees with levelFromSamples for the same block, and reads nothing, NaN or silence as 0', () => {
    const block = Float32Array.from({ length: 480 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 400 * i) / 48_000));
    const meanSquare = block.reduce((sum, s) => sum + s * s, 0) / block.length;
    expect(levelFromMeanSquare(meanSquare)).toBeCloseTo(levelFromSamples(block), 10);
    // Whole periods (4 of 400 Hz in 10 ms) of a sine of amplitude 0.3 have an RMS of 0.3/√2: -20.5 dBFS, about two thirds up the meter.
    expect(levelFromMeanSquare(meanSquare)).toBeCloseTo((20 * Math.log10(0.3 / Math.SQRT2) + 60) / 60, 5);
    expect(levelFromMeanSquare(0)).toBe(0);
    expect(levelFromMeanSquare(Number.NaN)).toBe(0);
  });
});
