import { describe, expect, test } from 'vitest';
import { fullRoom } from '../../signaling/room/testing.js';
import { audioOnlyNames, qualityLevel, venueQualities } from './venueQuality.js';

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

describe('audioOnlyNames()', () => {
  test('names the venue’s participants who are audio-only now, and nobody else', () => {
    const room = fullRoom().state;
    const m1 = room.participants['m1'];
    const m2 = room.participants['m2'];
    if (!m1 || !m2) throw new Error('fullRoom changed');
    expect(audioOnlyNames(room, 'city', { m1: true, m2: true, host: false })).toEqual([m1.name]);
    expect(audioOnlyNames(room, 'd1', { m1: true, m2: true })).toEqual([m2.name]);
    expect(audioOnlyNames(room, 'd1', { m2: false })).toEqual([]);
    expect(audioOnlyNames(room, 'city', { stranger: true })).toEqual([]);
  });

  test('leaves out someone who went offline', () => {
    const room = fullRoom().state;
    const m1 = room.participants['m1'];
    if (!m1) throw new Error('fullRoom changed');
    const gone = { ...room, participants: { ...room.participants, m1: { ...m1, online: false } } };
    expect(audioOnlyNames(gone, 'city', { m1: true })).toEqual([]);
  });
});
