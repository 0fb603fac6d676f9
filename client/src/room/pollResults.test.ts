import { describe, expect, test } from 'vitest';
import { ownPercentages, resultBars, sharedPercentages, turnout } from './pollResults.js';

describe('sharedPercentages()', () => {
  test('whole percentages that add up to 100', () => {
    expect(sharedPercentages([1, 1, 1], 3)).toEqual([34, 33, 33]);
    expect(sharedPercentages([2, 1], 3)).toEqual([67, 33]);
    expect(sharedPercentages([7, 0, 0, 0], 7)).toEqual([100, 0, 0, 0]);
    const many = sharedPercentages([3, 3, 3, 3, 3, 3, 1], 19);
    expect(many.reduce((a, b) => a + b, 0)).toBe(100);
  });

  test('no votes is zero everywhere, not NaN', () => {
    expect(sharedPercentages([0, 0, 0], 0)).toEqual([0, 0, 0]);
  });
});

describe('resultBars()', () => {
  test('a yes/no poll shares 100 % among its options', () => {
    const bars = resultBars({ kind: 'yesno' }, { counts: [5, 2, 1], votes: 8 });
    expect(bars).toEqual([
      { index: 0, count: 5, percent: 63 },
      { index: 1, count: 2, percent: 25 },
      { index: 2, count: 1, percent: 12 },
    ]);
    expect(bars.reduce((a, b) => a + b.percent, 0)).toBe(100);
  });

  test('a multiple-choice poll gives each option its share of ballots', () => {
    // 4 ballots; option 0 chosen by all, option 1 by half.
    expect(resultBars({ kind: 'multiple' }, { counts: [4, 2, 0], votes: 4 }).map((b) => b.percent)).toEqual([100, 50, 0]);
    expect(ownPercentages([1], 3)).toEqual([33]);
  });
});

describe('turnout()', () => {
  test('counts voters against eligible voters', () => {
    expect(turnout({ voted: ['a', 'b'], eligible: ['a', 'b', 'c'] })).toEqual({ voted: 2, eligible: 3 });
  });
});
