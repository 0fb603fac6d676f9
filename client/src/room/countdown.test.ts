import { describe, expect, test } from 'vitest';
import type { Floor } from '../../../signaling/room/state.js';
import { clockOffset, countdown, formatMmSs, secondsUntil, serverNow } from './countdown.js';

const T0 = 1_700_000_000_000;
const settings = { warningSeconds: 30, graceSeconds: 15 };

function floor(over: Partial<Floor> = {}): Floor {
  return {
    holder: { kind: 'participant', participantId: 'm1' },
    type: 'statement',
    note: '',
    grantedAt: T0,
    limitMs: 180_000,
    pausedAt: null,
    pausedMs: 0,
    ...over,
  };
}

describe('formatMmSs()', () => {
  test.each([
    [180_000, 'up', '03:00'],
    [61_000, 'up', '01:01'],
    [60_001, 'up', '01:01'],
    [400, 'up', '00:01'],
    [0, 'up', '00:00'],
    [3_600_000, 'up', '60:00'],
    [4_900, 'down', '00:04'],
    [-5, 'up', '00:00'],
  ] as const)('%d ms rounded %s is %s', (ms, round, text) => {
    expect(formatMmSs(ms, round)).toBe(text);
  });
});

describe('countdown() from a fake clock', () => {
  test('counts down in the normal phase', () => {
    expect(countdown(floor(), settings, T0)).toEqual({ text: '03:00', phase: 'normal', paused: false, overtime: false });
    expect(countdown(floor(), settings, T0 + 30_500).text).toBe('02:30');
  });

  test('turns to warning at the warning mark and to grace at the limit', () => {
    expect(countdown(floor(), settings, T0 + 149_999)).toMatchObject({ phase: 'normal', text: '00:31' });
    expect(countdown(floor(), settings, T0 + 150_000)).toMatchObject({ phase: 'warning', text: '00:30' });
    expect(countdown(floor(), settings, T0 + 180_000)).toMatchObject({ phase: 'grace', text: '+00:00', overtime: true });
    expect(countdown(floor(), settings, T0 + 187_900)).toMatchObject({ phase: 'grace', text: '+00:07' });
    expect(countdown(floor(), settings, T0 + 195_000)).toMatchObject({ phase: 'over', text: '+00:15' });
  });

  test('a paused clock stands still and says so', () => {
    const paused = floor({ pausedAt: T0 + 20_000 });
    const at = countdown(paused, settings, T0 + 20_000);
    const later = countdown(paused, settings, T0 + 500_000);
    expect(later).toEqual(at);
    expect(later).toMatchObject({ paused: true, text: '02:40', phase: 'normal' });
  });

  test('time spent paused does not count, extensions do', () => {
    const resumed = floor({ pausedMs: 60_000, limitMs: 240_000 });
    expect(countdown(resumed, settings, T0 + 100_000).text).toBe('03:20');
  });
});

describe('server clock', () => {
  test('the offset puts the answer half way through the round trip', () => {
    // Local clock 5 s behind the server; 200 ms round trip.
    const offset = clockOffset(T0, T0 + 200, T0 + 5_100);
    expect(offset).toBe(5_000);
    expect(serverNow(T0 + 1_000, offset)).toBe(T0 + 6_000);
  });

  test('secondsUntil() rounds up and never goes below zero', () => {
    expect(secondsUntil(null, T0)).toBeNull();
    expect(secondsUntil(T0 + 10_200, T0)).toBe(11);
    expect(secondsUntil(T0 - 1, T0)).toBe(0);
  });
});
