import { describe, expect, test } from 'vitest';
import { canonicalJson } from '../room/events.js';
import { latestLockedVersion, minutesRecord, minutesSkeleton } from './skeleton.js';
import { fillMinutes, NAMES, recordedMeeting } from './testing.js';
import { MinutesSchema } from './types.js';

const MINUTE = 60_000;
/** A speech nobody has written up yet. */
const unwritten = { text: '', status: 'draft', proposed: null } as const;

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
      { speaker: NAMES.m1, byVenue: false, venue: 'city', venueName: '主会场', sector: '经济界', type: 'statement', startedAt: start + 2 * MINUTE, spokenMs: 90_000, note: '建议按楼层分摊费用', ...unwritten },
      { speaker: '二区', byVenue: true, venue: 'd2', venueName: '二区', sector: '', type: 'statement', startedAt: start + 8.5 * MINUTE, spokenMs: MINUTE, note: '', ...unwritten, status: 'none' },
      { speaker: NAMES.m2, byVenue: false, venue: 'd1', venueName: '一区', sector: '教育界', type: 'question', startedAt: start + 9.5 * MINUTE, spokenMs: 45_000, note: '低层住户如何补偿？', ...unwritten },
    ]);
    expect(m).toMatchObject({ conclusions: '', actions: [], statements: [], version: 1, lockedAt: null });
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

  test('minutesSkeleton() records the roll call of the seats: who answered, who did not, against 应到', () => {
    // The secretary and the observer are not called (attendance.ts): never "未应答" in the record.
    expect(m.rollCall).toMatchObject({ expected: 5, confirmed: [NAMES.m1, NAMES.m2], absent: [NAMES.v1] });
  });

  test('minutesSkeleton() is pure: the same state gives the same canonical record', () => {
    expect(canonicalJson(minutesSkeleton(room.state))).toBe(canonicalJson(m));
  });
});

describe('the written minutes in the record', () => {
  const room = fillMinutes(recordedMeeting());
  const m = minutesSkeleton(room.state);

  test('each speech carries its written text and where it stands with its speaker', () => {
    const [first, venue, last] = m.speeches;
    expect(first).toMatchObject({ speaker: NAMES.m1, status: 'confirmed', proposed: null });
    expect(first?.text).toContain(`${NAMES.m1}认为`);
    expect(first?.text.split('\n').length).toBeGreaterThan(1);
    // A venue's speech has nobody to confirm it; its text is still written up.
    expect(venue).toMatchObject({ byVenue: true, status: 'none', proposed: null });
    expect(venue?.text).toContain('该分会场认为');
    expect(last).toMatchObject({ speaker: NAMES.m2, status: 'correctionProposed' });
    expect(last?.proposed).toContain('（发言人更正）');
    expect(last?.text).not.toContain('（发言人更正）');
  });

  test('conclusions, action items and written statements with their authors are in the record', () => {
    expect(m.conclusions).toContain('会议认为');
    expect(m.actions).toEqual([
      { owner: '区住建局', due: '2025-06-30', text: '会同街道拟定加装电梯实施方案并公示' },
      { owner: '街道办事处', due: null, text: '逐户征求低层住户意见，形成书面记录' },
      { owner: '区财政局', due: '2025-07-15', text: '测算补贴资金并提出分摊建议' },
    ]);
    expect(m.statements.map((st) => [st.author, st.venueName, st.sector])).toEqual([
      [NAMES.m1, '主会场', '经济界'],
      [NAMES.m2, '一区', '教育界'],
    ]);
    expect(m.statements[1]?.text).toContain('以上为书面发言。');
    expect(MinutesSchema.parse(m)).toEqual(m);
  });

  test('minutesRecord() gives a locked version with its lock, also while the next version is drafted', () => {
    const locking = fillMinutes(recordedMeeting());
    const draft = minutesSkeleton(locking.state);
    const [lock] = locking.ok({ type: 'minutes:lock' }, 'sec');
    expect(lock).toMatchObject({ type: 'minutes.locked', data: { contentHash: `content-of-seq-${draft.seq}` } });
    // Events after the lock (people leaving, a reviewer coming) do not change the locked record.
    locking.ok({ type: 'system:leave', participantId: 'm1' }, { kind: 'system' });
    locking.arrive('late', 'member', 'd1');
    const v1 = minutesRecord(locking.state);
    expect(v1).toEqual({ ...draft, lockedAt: lock?.at });
    locking.ok({ type: 'minutes:unlockNewVersion' }, 'sec');
    locking.ok({ type: 'minutes:edit', section: 'conclusions', text: '第二版结论', baseVersion: 1 }, 'sec');
    expect(minutesRecord(locking.state, 1)).toEqual(v1);
    expect(minutesRecord(locking.state)).toMatchObject({ version: 2, lockedAt: null, conclusions: '第二版结论', seq: locking.state.seq });
    expect(minutesRecord(locking.state, 3)).toBeUndefined();
    expect(latestLockedVersion(locking.state)).toBe(1);
    expect(latestLockedVersion(recordedMeeting().state)).toBeNull();
  });
});
