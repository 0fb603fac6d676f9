import { describe, expect, test } from 'vitest';
import { canonicalJson } from '../room/events.js';
import { minutesSkeleton } from './skeleton.js';
import { NAMES, recordedMeeting } from './testing.js';
import { MinutesSchema } from './types.js';

const MINUTE = 60_000;

describe('minutesSkeleton()', () => {
  const room = recordedMeeting();
  const start = room.log[0]?.at ?? 0;
  const m = minutesSkeleton(room.state);

  test('minutesSkeleton() carries the topic, the chain head and a shape the schema accepts', () => {
    expect(m.topic).toBe('老旧小区加装电梯');
    expect(m.seq).toBe(room.state.seq);
    expect(m.chainHead).toBe(room.state.hash);
    expect(m.seq).toBe(room.log.length);
    expect(MinutesSchema.parse(m)).toEqual(m);
    expect(m.ended).toBe(true);
    expect(m.actualStart).toBe(start);
    expect(m.actualEnd).toBe(room.now);
  });

  test('minutesSkeleton() lists attendance per venue with a disconnect counted out, and leaves the public out', () => {
    const [total, city, d1, d2] = m.attendance;
    expect(total).toMatchObject({ venue: '*', present: 3, expected: 5, quorumMet: true });
    expect(city?.attendees.map((a) => a.name)).toEqual([NAMES.host, NAMES.sec, NAMES.m1, NAMES.obs]);
    expect(city).toMatchObject({ name: '主会场', present: 1, expected: 2, quorumMet: false });
    expect(d2).toMatchObject({ present: 1, expected: 1, quorumMet: true });
    const m2 = d1?.attendees[0];
    expect(m2).toMatchObject({ name: NAMES.m2, sector: '教育界', stays: 2, leftAt: room.now });
    const m1 = city?.attendees.find((a) => a.name === NAMES.m1);
    expect(m1?.presentMs).toBe(room.now - start);
    expect(m2?.presentMs).toBe(room.now - start - 5 * MINUTE);
    expect(JSON.stringify(m)).not.toContain(NAMES.pub);
  });

  test('minutesSkeleton() lists every speech in order with speaker, venue, type, time and note', () => {
    expect(m.speeches).toEqual([
      { speaker: NAMES.m1, byVenue: false, venue: 'city', venueName: '主会场', sector: '经济界', type: 'statement', startedAt: start + 2 * MINUTE, spokenMs: 90_000, note: '建议按楼层分摊费用' },
      { speaker: '二区', byVenue: true, venue: 'd2', venueName: '二区', sector: '', type: 'statement', startedAt: start + 8.5 * MINUTE, spokenMs: MINUTE, note: '' },
      { speaker: NAMES.m2, byVenue: false, venue: 'd1', venueName: '一区', sector: '教育界', type: 'question', startedAt: start + 9.5 * MINUTE, spokenMs: 45_000, note: '低层住户如何补偿?' },
    ]);
  });

  test('minutesSkeleton() records a named poll with who voted what', () => {
    const named = m.polls[0];
    expect(named).toMatchObject({ secret: false, kind: 'yesno', eligible: 3, voted: 3, counts: [2, 1, 0], passed: true, quorumMet: true });
    expect(named?.ballots).toEqual([
      { name: NAMES.m1, choices: ['yes'], reason: null },
      { name: NAMES.m2, choices: ['no'], reason: null },
      { name: NAMES.v1, choices: ['yes'], reason: null },
    ]);
  });

  test('minutesSkeleton() gives a secret poll counts only, and its section names no voter', () => {
    const secret = m.polls[1];
    expect(secret).toMatchObject({ secret: true, options: ['东侧方案', '西侧方案', '暂缓'], eligible: 3, voted: 3, counts: [1, 2, 0], ballots: null });
    const text = canonicalJson(secret);
    for (const [id, name] of Object.entries(NAMES)) {
      expect(text).not.toContain(name);
      expect(text).not.toContain(`"${id}"`);
    }
    // No participant id anywhere in the record either: ids are what the log links to ballots.
    const whole = canonicalJson(m);
    for (const id of ['m1', 'm2', 'v1']) expect(whole).not.toContain(`"${id}"`);
  });

  test('minutesSkeleton() records the roll call with who answered and who did not', () => {
    expect(m.rollCall).toMatchObject({ expected: 5, confirmed: [NAMES.m1, NAMES.m2], absent: [NAMES.sec, NAMES.v1, NAMES.obs] });
  });

  test('minutesSkeleton() is pure: the same state gives the same canonical record', () => {
    expect(canonicalJson(minutesSkeleton(room.state))).toBe(canonicalJson(m));
  });
});
