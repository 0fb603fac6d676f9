import { describe, expect, test } from 'vitest';
import { apply } from './apply.js';
import type { ClientCommand } from './commands.js';
import { seatOf } from './seats.js';
import { emptyRoom, type RoomState } from './state.js';
import { fullRoom, type TestRoom } from './testing.js';
import { eventForViewer, stateForViewer, viewersWithOwnView, type Viewer } from './visibility.js';

const edit = (section: string, text: string, baseVersion: number): ClientCommand => ({ type: 'minutes:edit', section, text, baseVersion });

/** m1 speaks (speech:0), then v1 (speech:1). */
function afterTwoSpeeches(): TestRoom {
  const room = fullRoom();
  for (const who of ['m1', 'v1']) {
    room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: who } }, 'host');
    room.advance(60_000);
    room.ok({ type: 'floor:revoke' }, 'host');
  }
  return room;
}

/** The meeting is over; the secretary drafted m1's passage and sent it to m1. */
function sentToM1(): TestRoom {
  const room = afterTwoSpeeches();
  room.ok(edit('speech:0', '张委员建议先行试点。', 0), 'sec');
  room.ok({ type: 'room:end' }, 'host');
  room.ok({ type: 'minutes:requestConfirmation', section: 'speech:0' }, 'sec');
  return room;
}

const member: Viewer = { participantId: 'm2', role: 'member' };
const speaker: Viewer = { participantId: 'm1', role: 'member' };
const secretary: Viewer = { participantId: 'sec', role: 'secretary' };

describe('minutes: editing sections', () => {
  test('minutes:edit with a stale baseVersion gets CONFLICT naming the current version, and the first edit survives', () => {
    const room = afterTwoSpeeches();
    room.arrive('sec2', 'secretary');
    // Both secretaries opened speech:0 at version 0.
    room.ok(edit('speech:0', '甲的记录', 0), 'sec');
    const second = room.run(edit('speech:0', '乙的记录', 0), 'sec2');
    expect(second).toEqual({ ok: false, error: 'CONFLICT', detail: expect.stringContaining('version 1') });
    expect(room.state.minutes.sections['speech:0']).toMatchObject({ text: '甲的记录', version: 1 });
    // Rebased on what is there now, the second edit goes through.
    room.ok(edit('speech:0', '甲的记录；乙补充', 1), 'sec2');
    expect(room.state.minutes.sections['speech:0']).toMatchObject({ text: '甲的记录；乙补充', version: 2 });
  });

  test('minutes:edit by two secretaries on different sections both succeed', () => {
    const room = afterTwoSpeeches();
    room.arrive('sec2', 'secretary');
    room.ok(edit('speech:0', '第一位', 0), 'sec');
    room.ok(edit('speech:1', '第二位', 0), 'sec2');
    room.ok(edit('conclusions', '会议认为', 0), 'host');
    expect(room.state.minutes.sections).toMatchObject({
      'speech:0': { text: '第一位', version: 1 },
      'speech:1': { text: '第二位', version: 1 },
      conclusions: { text: '会议认为', version: 1 },
    });
  });

  test('minutes:edit of a speech not (yet) in the log gets NOT_FOUND', () => {
    const room = afterTwoSpeeches();
    expect(room.run(edit('speech:2', 'x', 0), 'sec')).toMatchObject({ ok: false, error: 'NOT_FOUND' });
  });

  test('minutes:addAction numbers items for good; minutes:removeAction removes one', () => {
    const room = fullRoom();
    room.ok({ type: 'minutes:addAction', owner: '住建局', due: '2025-06-30', text: '拟定方案' }, 'sec');
    room.ok({ type: 'minutes:addAction', owner: '街道办', due: null, text: '征求居民意见' }, 'host');
    room.ok({ type: 'minutes:removeAction', actionId: 'action-1' }, 'sec');
    room.ok({ type: 'minutes:addAction', owner: '财政局', due: null, text: '测算资金' }, 'sec');
    expect(room.state.minutes.actions.map((a) => a.id)).toEqual(['action-2', 'action-3']);
    expect(room.run({ type: 'minutes:removeAction', actionId: 'action-1' }, 'sec')).toMatchObject({ error: 'NOT_FOUND' });
  });
});

describe('minutes: written statements', () => {
  test('minutes:submitStatement records the author and text, marked as written; the public may not', () => {
    const room = fullRoom();
    room.ok({ type: 'minutes:submitStatement', text: '建议分期实施' }, 'm2');
    expect(room.state.minutes.statements).toEqual([{ participantId: 'm2', text: '建议分期实施', submittedAt: room.now }]);
    expect(room.run({ type: 'minutes:submitStatement', text: 'x' }, 'pub')).toMatchObject({ error: 'FORBIDDEN' });
  });

  test('minutes:submitStatement is limited per participant', () => {
    const room = fullRoom();
    for (let i = 0; i < 3; i++) room.ok({ type: 'minutes:submitStatement', text: `意见${i}` }, 'm1');
    expect(room.run({ type: 'minutes:submitStatement', text: '再一条' }, 'm1')).toMatchObject({ error: 'INVALID_STATE' });
  });
});

describe('minutes: speaker confirmation (核稿)', () => {
  test('the whole flow: request → correction → reject → pending → correction → accept → confirmed with a new version', () => {
    const room = sentToM1();
    const status = (): string | undefined => room.state.minutes.sections['speech:0']?.confirmation.status;
    expect(status()).toBe('pending');
    room.ok({ type: 'minutes:proposeCorrection', section: 'speech:0', text: '张委员建议在两个小区先行试点。' }, 'm1');
    expect(status()).toBe('correctionProposed');
    // The secretary's edit would drop the proposal: refused until it is decided.
    expect(room.run(edit('speech:0', 'x', 1), 'sec')).toMatchObject({ error: 'INVALID_STATE' });
    room.ok({ type: 'minutes:rejectCorrection', section: 'speech:0' }, 'sec');
    expect(status()).toBe('pending');
    expect(room.state.minutes.sections['speech:0']).toMatchObject({ text: '张委员建议先行试点。', version: 1 });
    room.ok({ type: 'minutes:proposeCorrection', section: 'speech:0', text: '张委员建议在两个小区先行试点。' }, 'm1');
    room.ok({ type: 'minutes:acceptCorrection', section: 'speech:0' }, 'sec');
    expect(room.state.minutes.sections['speech:0']).toEqual({
      text: '张委员建议在两个小区先行试点。',
      version: 2,
      confirmation: { status: 'confirmed' },
    });
    // A secretary who still had version 1 open cannot overwrite the accepted correction.
    expect(room.run(edit('speech:0', '旧稿', 1), 'sec')).toMatchObject({ error: 'CONFLICT' });
  });

  test('minutes:confirm confirms; editing a confirmed passage sends it back to draft', () => {
    const room = sentToM1();
    room.ok({ type: 'minutes:confirm', section: 'speech:0' }, 'm1');
    expect(room.state.minutes.sections['speech:0']?.confirmation).toEqual({ status: 'confirmed' });
    expect(room.run({ type: 'minutes:confirm', section: 'speech:0' }, 'm1')).toMatchObject({ error: 'INVALID_STATE' });
    room.ok(edit('speech:0', '改动', 1), 'sec');
    expect(room.state.minutes.sections['speech:0']?.confirmation).toEqual({ status: 'draft' });
  });

  test('only the speaker confirms or corrects their speech', () => {
    const room = sentToM1();
    expect(room.run({ type: 'minutes:confirm', section: 'speech:0' }, 'm2')).toMatchObject({ error: 'FORBIDDEN' });
    expect(room.run({ type: 'minutes:confirm', section: 'speech:0' }, 'v1')).toMatchObject({ error: 'FORBIDDEN' });
    expect(room.run({ type: 'minutes:proposeCorrection', section: 'speech:0', text: 'x' }, 'sec')).toMatchObject({ error: 'FORBIDDEN' });
    // v1's own speech is not pending yet.
    expect(room.run({ type: 'minutes:confirm', section: 'speech:1' }, 'v1')).toMatchObject({ error: 'INVALID_STATE' });
  });

  test('minutes:requestConfirmation waits for the end of the meeting and needs a single speaker', () => {
    const room = afterTwoSpeeches();
    expect(room.run({ type: 'minutes:requestConfirmation', section: 'speech:0' }, 'sec')).toMatchObject({ error: 'INVALID_STATE' });
    room.ok({ type: 'floor:grant', target: { kind: 'venue', venue: 'd1' } }, 'host');
    room.ok({ type: 'floor:revoke' }, 'host');
    room.ok({ type: 'room:end' }, 'host');
    expect(room.run({ type: 'minutes:requestConfirmation', section: 'speech:2' }, 'sec')).toMatchObject({ error: 'INVALID_STATE' });
    expect(room.run({ type: 'minutes:requestConfirmation', section: 'speech:9' }, 'sec')).toMatchObject({ error: 'NOT_FOUND' });
  });

  test('minutes commands are allowed after the meeting ended, also to those who have left; others are not', () => {
    const room = sentToM1();
    room.ok({ type: 'system:leave', participantId: 'm1' }, { kind: 'system' });
    room.ok({ type: 'minutes:confirm', section: 'speech:0' }, 'm1');
    room.ok(edit('conclusions', '会后整理', 0), 'sec');
    room.ok({ type: 'minutes:submitStatement', text: '会后补充书面意见' }, 'm2');
    expect(room.run({ type: 'queue:raise', speechType: 'statement', note: '' }, 'm2')).toMatchObject({ error: 'MEETING_ENDED' });
  });
});

describe('minutes: locking', () => {
  test('minutes:lock records the chain head and the content hash; edits are refused until a new version is started', () => {
    const room = afterTwoSpeeches();
    room.ok(edit('conclusions', '定稿', 0), 'sec');
    expect(room.run({ type: 'minutes:lock' }, 'sec')).toMatchObject({ ok: false, error: 'INVALID_STATE', detail: expect.stringContaining('after the meeting ends') });
    room.ok({ type: 'room:end' }, 'host');
    const { seq, hash } = room.state;
    const [locked] = room.ok({ type: 'minutes:lock' }, 'sec');
    expect(locked).toMatchObject({ type: 'minutes.locked', data: { version: 1, chainSeq: seq, chainHash: hash, contentHash: `content-of-seq-${seq}` } });
    expect(room.run(edit('conclusions', '偷偷改', 1), 'sec')).toMatchObject({ error: 'INVALID_STATE' });
    expect(room.run({ type: 'minutes:addAction', owner: 'x', due: null, text: 'y' }, 'host')).toMatchObject({ error: 'INVALID_STATE' });
    expect(room.run({ type: 'minutes:submitStatement', text: '锁定后补交' }, 'm2')).toMatchObject({ error: 'INVALID_STATE' });
    expect(room.run({ type: 'minutes:lock' }, 'sec')).toMatchObject({ error: 'INVALID_STATE' });
    expect(room.state.minutes.sections['conclusions']?.text).toBe('定稿');

    room.ok({ type: 'minutes:unlockNewVersion' }, 'sec');
    room.ok(edit('conclusions', '第二版', 1), 'sec');
    room.ok({ type: 'minutes:lock' }, 'host');
    expect(room.state.minutes).toMatchObject({ version: 2, locked: true });
    expect(room.state.minutes.lockedVersions.map((v) => [v.version, v.content.sections['conclusions']?.text])).toEqual([
      [1, '定稿'],
      [2, '第二版'],
    ]);
    expect(room.run({ type: 'minutes:unlockNewVersion' }, 'm1')).toMatchObject({ error: 'FORBIDDEN' });
  });

  test('minutes:lock waits for a poll that still closes by itself', () => {
    const room = fullRoom();
    room.ok({ type: 'poll:create', question: '?', kind: 'yesno', options: [], secret: false, allowChange: true, quorumPercent: null, threshold: 'none', durationSeconds: 60 }, 'host');
    room.ok({ type: 'poll:open', pollId: 'poll-1' }, 'host');
    room.ok({ type: 'room:end' }, 'host');
    expect(room.run({ type: 'minutes:lock' }, 'sec')).toMatchObject({ ok: false, error: 'INVALID_STATE', detail: expect.stringContaining('poll-1') });
    room.advance(61_000);
    room.ok({ type: 'system:tick' }, { kind: 'system' });
    room.ok({ type: 'minutes:lock' }, 'sec');
  });
});

describe('minutes: publishing', () => {
  test('minutes:publish needs a locked version, is the host\'s, and stays while a new version is drafted', () => {
    const room = afterTwoSpeeches();
    room.ok({ type: 'room:end' }, 'host');
    expect(room.run({ type: 'minutes:publish', published: true }, 'host')).toMatchObject({ ok: false, error: 'INVALID_STATE', detail: expect.stringContaining('lock') });
    room.ok({ type: 'minutes:lock' }, 'sec');
    expect(room.run({ type: 'minutes:publish', published: true }, 'sec')).toMatchObject({ ok: false, error: 'FORBIDDEN' });
    room.ok({ type: 'minutes:publish', published: true }, 'host');
    expect(room.state.minutes.published).toBe(true);
    expect(room.run({ type: 'minutes:publish', published: true }, 'host')).toMatchObject({ ok: false, error: 'INVALID_STATE' });
    room.ok({ type: 'minutes:unlockNewVersion' }, 'sec');
    expect(room.state.minutes.published).toBe(true);
    room.ok({ type: 'minutes:publish', published: false }, 'host');
    expect(room.state.minutes.published).toBe(false);
  });
});

describe('minutes: review after the meeting', () => {
  test('seatOf() finds the participant an invite stood for, never a public one', () => {
    const room = sentToM1();
    expect(seatOf(room.state, 'inv-m1', 'member')).toBe('m1');
    // A public participant's invite is a shared link: it stands for nobody, whatever it claims.
    expect(seatOf(room.state, 'inv-pub', 'member')).toBeUndefined();
    expect(seatOf(room.state, 'inv-pub', 'public')).toBeUndefined();
    expect(seatOf(room.state, 'inv-unknown', 'member')).toBeUndefined();
  });

  test('a speaker back on their own seat after the end gets no event (no new stay) and confirms; a new invite is a reviewer, not an attendee', () => {
    const room = sentToM1();
    room.ok({ type: 'system:leave', participantId: 'm1' }, { kind: 'system' });
    const presences = room.state.participants['m1']?.presences;
    expect(room.ok({ type: 'system:arrive', participantId: 'm1', inviteId: 'inv-m1', name: 'name-m1', role: 'member', venue: 'city', sector: '' }, { kind: 'system' })).toEqual([]);
    expect(room.state.participants['m1']?.presences).toEqual(presences);
    room.ok({ type: 'minutes:confirm', section: 'speech:0' }, 'm1');

    const [arrived] = room.ok({ type: 'system:arrive', participantId: 'absent', inviteId: 'inv-absent', name: '缺席委员', role: 'member', venue: 'd1', sector: '' }, { kind: 'system' });
    expect(arrived?.type).toBe('participant.arrivedForReview');
    expect(room.state.participants['absent']).toMatchObject({ status: 'left', online: false, presences: [] });
    room.ok({ type: 'minutes:submitStatement', text: '未能到会,提交书面发言' }, 'absent');
    expect(room.run({ type: 'queue:raise', speechType: 'statement', note: '' }, 'absent')).toMatchObject({ error: 'MEETING_ENDED' });
    expect(room.run(edit('conclusions', 'x', 0), 'absent')).toMatchObject({ error: 'FORBIDDEN' });
    room.arrive('sec2', 'secretary');
    room.ok(edit('conclusions', '会后整理', 0), 'sec2');
  });

  test('after the end a locked room admits returning participants and staff, not new members', () => {
    const room = afterTwoSpeeches();
    room.ok({ type: 'room:settings', locked: true }, 'host');
    room.ok({ type: 'participant:remove', participantId: 'm2' }, 'host');
    room.ok({ type: 'room:end' }, 'host');
    expect(room.arrive('newbie', 'member')).toMatchObject({ ok: false, error: 'ROOM_LOCKED' });
    expect(room.arrive('sec2', 'secretary')).toMatchObject({ ok: true });
    expect(room.arrive('m1', 'member')).toMatchObject({ ok: true, events: [] });
    // Someone removed stays out after the end as well.
    expect(room.arrive('m2', 'member')).toMatchObject({ ok: false, error: 'FORBIDDEN' });
  });
});

describe('minutes: who sees what', () => {
  test('minutes texts reach the host, the secretary and the section’s own speaker only', () => {
    const room = sentToM1();
    room.ok({ type: 'minutes:proposeCorrection', section: 'speech:0', text: '更正稿' }, 'm1');
    room.ok({ type: 'minutes:acceptCorrection', section: 'speech:0' }, 'sec');
    room.ok(edit('speech:1', 'v1 的发言', 0), 'sec');
    room.ok({ type: 'minutes:addAction', owner: '住建局', due: null, text: '拟定方案' }, 'sec');
    room.ok({ type: 'minutes:submitStatement', text: 'm2 的书面意见' }, 'm2');
    room.ok({ type: 'minutes:lock' }, 'sec');

    const text = JSON.stringify;
    const seenBy = (v: Viewer): string => text(room.log.map((e) => eventForViewer(e, v)));
    expect(room.log.map((e) => eventForViewer(e, secretary))).toEqual(room.log);
    expect(seenBy(speaker)).toContain('更正稿');
    expect(seenBy(speaker)).not.toContain('v1 的发言');
    expect(seenBy(speaker)).not.toContain('m2 的书面意见');
    const bystander = seenBy(member);
    for (const secret of ['张委员建议先行试点', '更正稿', 'v1 的发言', '拟定方案']) expect(bystander).not.toContain(secret);
    expect(bystander).toContain('m2 的书面意见');

    // The fold of what each viewer receives agrees with the snapshot they would be sent.
    for (const v of [member, speaker, secretary, { participantId: 'pub', role: 'public' } satisfies Viewer]) {
      const folded = room.log.map((e) => eventForViewer(e, v)).reduce<RoomState>(apply, emptyRoom('test-room'));
      expect(folded.minutes).toEqual(stateForViewer(room.state, v).minutes);
    }
  });

  test('viewersWithOwnView names the secretaries and the section’s speaker', () => {
    const room = sentToM1();
    const [edited] = room.ok(edit('speech:0', '再改', 1), 'sec');
    expect(edited && viewersWithOwnView(edited, room.state).sort()).toEqual(['m1', 'sec']);
  });
});
