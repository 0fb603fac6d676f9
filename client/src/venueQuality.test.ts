import { describe, expect, test } from 'vitest';
import { fullRoom } from '../../signaling/room/testing.js';
import { qualityLevel, venueQualities } from './venueQuality.js';

describe('qualityLevel()', () => {
  test('8–10 is good, 5–7 fair, below 5 poor', () => {
    expect([10, 8, 7, 5, 4, 0].map(qualityLevel)).toEqual(['good', 'good', 'fair', 'fair', 'poor', 'poor']);
  });
});

describe('venueQualities()', () => {
  // fullRoom: host, m1 in city; m2 in d1; v1 in d2.
  test('gives each venue its worst and average score, rated by the worst', () => {
    const room = fullRoom().state;
    expect(venueQualities(room, { host: 10, m1: 7, m2: 3 })).toEqual([
      { venue: 'city', name: '主会场', measured: 2, score: { worst: 7, average: 8.5, level: 'fair' } },
      { venue: 'd1', name: '一区', measured: 1, score: { worst: 3, average: 3, level: 'poor' } },
      { venue: 'd2', name: '二区', measured: 0, score: null },
    ]);
  });

  test('ignores scores of peers the room does not know', () => {
    expect(venueQualities(fullRoom().state, { stranger: 0 }).every((v) => v.measured === 0)).toBe(true);
  });
});
