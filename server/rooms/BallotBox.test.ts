import { describe, expect, test } from 'vitest';
import { BallotBox, shuffled } from './BallotBox.js';

const SECRET = 'a-ballot-secret-of-at-least-32-chars';

describe('BallotBox', () => {
  const box = new BallotBox(SECRET);

  test('seal() hides the ballot and open() gives it back, for that room and poll only', () => {
    const ballot = { pollId: 'p1', choices: [3], reason: '不赞同：施工噪音' };
    const entry = box.seal('r1', ballot);
    expect(entry.startsWith('sealed:')).toBe(true);
    expect(entry).not.toContain('施工');
    expect(Buffer.from(entry.slice('sealed:'.length), 'base64url').toString('latin1')).not.toContain('choices');
    expect(box.open('r1', 'p1', entry)).toEqual(ballot);
    // The key and the authenticated data are per room and poll: an entry moved elsewhere does not open.
    expect(() => box.open('r1', 'p2', entry)).toThrow(/does not open/);
    expect(() => box.open('r2', 'p1', entry)).toThrow(/does not open/);
  });

  test('every sealed ballot has the same length, with or without a reason (a dissent must not show)', () => {
    const lengths = new Set([
      box.seal('r1', { pollId: 'p1', choices: [0] }).length,
      box.seal('r1', { pollId: 'p1', choices: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19] }).length,
      box.seal('r1', { pollId: 'p1', choices: [3], reason: '理'.repeat(500) }).length,
      box.seal('r1', { pollId: 'p1', choices: [3], reason: '\u0001'.repeat(500) }).length,
    ]);
    expect(lengths.size).toBe(1);
  });

  test('two seals of the same ballot differ (a fresh nonce each), so equal choices do not show either', () => {
    const ballot = { pollId: 'p1', choices: [1] };
    expect(box.seal('r1', ballot)).not.toBe(box.seal('r1', ballot));
  });

  test('a tampered sealed entry, another secret or an unknown kind of entry does not open', () => {
    const entry = box.seal('r1', { pollId: 'p1', choices: [1] });
    const raw = Buffer.from(entry.slice('sealed:'.length), 'base64url');
    raw[20] = (raw[20] ?? 0) ^ 1;
    expect(() => box.open('r1', 'p1', `sealed:${raw.toString('base64url')}`)).toThrow(/does not open/);
    expect(() => new BallotBox('another-ballot-secret-of-32-characters').open('r1', 'p1', entry)).toThrow(/does not open/);
    expect(() => box.open('r1', 'p1', 'plain:{"choices":[1]}')).toThrow(/unknown kind/);
    expect(() => box.open('r1', 'p1', 'sealed:AAAA')).toThrow(/wrong size/);
  });

  test('an open entry is the ballot in the clear, and reads back', () => {
    const ballot = { pollId: 'p1', choices: [0, 2], reason: '理由' };
    const entry = BallotBox.opened(ballot);
    expect(entry).toBe('open:{"choices":[0,2],"reason":"理由"}');
    expect(box.open('r1', 'p1', entry)).toEqual(ballot);
    expect(() => box.open('r1', 'p1', 'open:{"choices":"x"}')).toThrow(/wrong shape/);
  });

  test('the voter\'s venue and sector travel sealed with the ballot, and are dropped when the box is opened', () => {
    const ballot = { pollId: 'p1', choices: [1], group: { venue: 'd2', sector: '农业界' } };
    const sealed = box.seal('r1', ballot);
    expect(box.open('r1', 'p1', sealed)).toEqual(ballot);
    // A rare venue and sector would name its voter in a heap of open ballots: they stay out.
    const opened = BallotBox.opened(ballot);
    expect(opened).toBe('open:{"choices":[1]}');
    expect(box.open('r1', 'p1', opened)).toEqual({ pollId: 'p1', choices: [1] });
    // And a long group does not make a sealed ballot longer than the others.
    const long = box.seal('r1', { pollId: 'p1', choices: [3], reason: '理'.repeat(500), group: { venue: 'v'.repeat(64), sector: '界'.repeat(64) } });
    expect(long.length).toBe(sealed.length);
  });

  test('a secret shorter than 32 characters is refused', () => {
    expect(() => new BallotBox('short')).toThrow(TypeError);
  });
});

describe('shuffled()', () => {
  test('keeps every item and leaves the input alone', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const out = shuffled(items);
    expect([...out].sort((a, b) => a - b)).toEqual(items);
    expect(items).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  test('puts each item anywhere: over 2,000 shuffles of 4, every item lands in every position', () => {
    const seen = Array.from({ length: 4 }, () => new Set<number>());
    for (let n = 0; n < 2000; n++) shuffled([0, 1, 2, 3]).forEach((item, position) => seen[item]?.add(position));
    expect(seen.map((positions) => positions.size)).toEqual([4, 4, 4, 4]);
  });
});
