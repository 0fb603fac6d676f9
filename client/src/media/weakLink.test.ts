import { describe, expect, test } from 'vitest';
import { afterAnswer, afterLinkReport, NO_WEAK_LINK, type WeakLink } from './weakLink.js';

/** The state after a series of reports. */
function run(scores: Array<number | null>, { audioOnly = false, from = NO_WEAK_LINK }: { audioOnly?: boolean; from?: WeakLink } = {}): WeakLink {
  return scores.reduce<WeakLink>((s, score) => afterLinkReport(s, score, audioOnly), from);
}

describe('proposing audio-only', () => {
  test('a link poor for three reports in a row is proposed audio-only, not before', () => {
    expect(run([3, 2]).proposed).toBe(false);
    expect(run([3, 2, 4]).proposed).toBe(true);
  });

  test('one fine report breaks the streak: hiccups are not a weak link', () => {
    expect(run([3, 2, 9, 3, 2]).proposed).toBe(false);
    expect(run([3, 2, 9, 3, 2, 1]).proposed).toBe(true);
  });

  test('scores of 5 and above are not poor; reports with nothing measured change nothing', () => {
    expect(run([5, 5, 5, 5]).proposed).toBe(false);
    expect(run([4, null, 4, null, 4]).proposed).toBe(true);
  });

  test('nothing is proposed to someone already audio-only', () => {
    expect(run([1, 1, 1, 1], { audioOnly: true }).proposed).toBe(false);
  });

  test('a proposal stays through a single fine report and is withdrawn once the link has recovered', () => {
    const proposed = run([1, 1, 1]);
    expect(run([8], { from: proposed }).proposed).toBe(true);
    expect(run([8, 8, 8], { from: proposed }).proposed).toBe(false);
  });

  test('"not now" holds while the link stays weak, and is forgotten once it recovered', () => {
    const declined = afterAnswer(run([1, 1, 1]), true);
    expect(declined.proposed).toBe(false);
    expect(run([1, 1, 1, 1, 1, 1], { from: declined }).proposed).toBe(false);
    // Fine again for a while, then weak again: proposed anew.
    const recovered = run([9, 9, 9], { from: declined });
    expect(recovered.declined).toBe(false);
    expect(run([2, 2, 2], { from: recovered }).proposed).toBe(true);
  });

  test('switching to audio-only closes the proposal without counting as "not now"', () => {
    const accepted = afterAnswer(run([1, 1, 1]), false);
    expect(accepted).toMatchObject({ proposed: false, declined: false });
  });
});
