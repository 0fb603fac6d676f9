import { describe, expect, test } from 'vitest';
import { apply } from './apply.js';
import type { ClientCommand } from './commands.js';
import { floorClock } from './floorClock.js';
import { mayBeHeard, nextDeadline, quorumGauges } from './selectors.js';
import { eventForViewer, stateForViewer } from './visibility.js';
import { createdRoom, fullRoom, type TestRoom } from './testing.js';

const raise = (speechType: 'statement' | 'supplement' | 'question' | 'order' = 'statement', note = ''): ClientCommand => ({
  type: 'queue:raise',
  speechType,
  note,
});
const order = (room: TestRoom): string[] => room.state.queue.entries.map((q) => q.participantId);

describe('lobby', () => {
  test('members wait in the lobby; staff and the public go straight in; the host admits or denies', () => {
    const room = createdRoom();
    room.arrive('host', 'host');
    room.arrive('m1', 'member');
    room.arrive('m2', 'member');
    room.arrive('pub', 'public');
    expect(room.state.participants['host']?.status).toBe('admitted');
    expect(room.state.participants['pub']?.status).toBe('admitted');
    expect(room.state.participants['m1']?.status).toBe('lobby');
    room.ok({ type: 'lobby:admit', participantId: 'm1' }, 'host');
    room.ok({ type: 'lobby:deny', participantId: 'm2' }, 'host');
    expect(room.state.participants['m1']?.status).toBe('admitted');
    expect(room.state.participants['m2']?.status).toBe('denied');
    // A denied participant cannot come back by reconnecting.
    expect(room.arrive('m2', 'member')).toMatchObject({ ok: false, error: 'FORBIDDEN' });
  });

  test('observers and departments wait in the lobby like members; an open room lets them in; a locked one keeps them out', () => {
    const room = createdRoom();
    room.arrive('host', 'host');
    room.arrive('obs', 'observer');
    room.arrive('dept', 'department', 'city', '住建局');
    expect(room.state.participants['obs']?.status).toBe('lobby');
    expect(room.state.participants['dept']?.status).toBe('lobby');
    room.ok({ type: 'lobby:admit', participantId: 'dept' }, 'host');
    expect(room.state.participants['dept']?.status).toBe('admitted');

    const open = createdRoom({ open: true });
    open.arrive('dept', 'department');
    expect(open.state.participants['dept']?.status).toBe('admitted');
    open.arrive('h', 'host');
    open.ok({ type: 'room:settings', locked: true }, 'h');
    expect(open.arrive('dept2', 'department')).toMatchObject({ ok: false, error: 'ROOM_LOCKED' });
  });

  test('a department raises its hand and speaks when granted, like an observer', () => {
    const room = fullRoom();
    room.ok({ type: 'queue:raise', speechType: 'statement', note: '答复加装电梯的留言' }, 'dept');
    room.ok({ type: 'floor:grant', target: { kind: 'next' } }, 'host');
    expect(room.state.floor?.holder).toEqual({ kind: 'participant', participantId: 'dept' });
    room.ok({ type: 'floor:yield' }, 'dept');
    expect(room.state.speeches).toHaveLength(1);
    // It is not of the body that consults: it cannot take the chair.
    expect(room.run({ type: 'room:handOver', participantId: 'dept' }, 'host')).toMatchObject({ ok: false, error: 'NOT_ELIGIBLE' });
  });

  test('an open room admits on arrival; a locked room refuses newcomers but not the host', () => {
    const open = createdRoom({ open: true });
    open.arrive('m1', 'member');
    expect(open.state.participants['m1']?.status).toBe('admitted');

    const room = fullRoom();
    room.ok({ type: 'room:settings', locked: true }, 'host');
    expect(room.arrive('late', 'member')).toMatchObject({ ok: false, error: 'ROOM_LOCKED' });
    expect(room.arrive('host2', 'host')).toMatchObject({ ok: true });
  });

  test('someone who left comes back through the lobby, keeping their attendance record', () => {
    const room = fullRoom();
    room.ok({ type: 'system:leave', participantId: 'm1' }, { kind: 'system' });
    room.advance(1000);
    room.arrive('m1', 'member');
    expect(room.state.participants['m1']).toMatchObject({ status: 'lobby', online: true });
    room.ok({ type: 'lobby:admit', participantId: 'm1' }, 'host');
    expect(room.state.participants['m1']?.presences).toHaveLength(2);
  });

  test('a removed person cannot come back on the same invite as someone new; a shared public link still works', () => {
    const room = fullRoom();
    const arriveWith = (participantId: string, inviteId: string, role: 'member' | 'public') =>
      room.run({ type: 'system:arrive', participantId, inviteId, name: 'x', role, venue: 'city', sector: '' }, { kind: 'system' });
    room.ok({ type: 'participant:remove', participantId: 'm1' }, 'host');
    expect(arriveWith('m1-again', 'inv-m1', 'member')).toMatchObject({ ok: false, error: 'FORBIDDEN' });
    room.ok({ type: 'participant:remove', participantId: 'pub' }, 'host');
    expect(arriveWith('pub-2', 'inv-pub', 'public')).toMatchObject({ ok: true });
  });

  test('a reconnecting participant keeps their status and place', () => {
    const room = fullRoom();
    room.ok(raise(), 'm1');
    room.ok({ type: 'system:disconnect', participantId: 'm1' }, { kind: 'system' });
    expect(room.state.participants['m1']?.online).toBe(false);
    expect(order(room)).toEqual(['m1']);
    room.arrive('m1', 'member');
    expect(room.state.participants['m1']).toMatchObject({ online: true, status: 'admitted' });
    expect(order(room)).toEqual(['m1']);
  });
});

describe('speaking queue', () => {
  test('points of order go first, first-time speakers before repeat speakers, the rest in arrival order', () => {
    const room = fullRoom();
    room.ok(raise(), 'm2');
    room.ok({ type: 'floor:grant', target: { kind: 'next' } }, 'host');
    room.ok({ type: 'floor:revoke' }, 'host');
    room.ok(raise('supplement'), 'm2'); // repeat speaker
    room.ok(raise('question'), 'm1'); // first time: goes ahead of m2
    room.ok(raise('statement'), 'obs');
    room.ok(raise('order', '程序问题'), 'v1'); // point of order: to the front
    expect(order(room)).toEqual(['v1', 'm1', 'obs', 'm2']);
    expect(room.state.queue.entries[0]).toMatchObject({ type: 'order', note: '程序问题' });
  });

  test('withdraw, remove, move and lower all', () => {
    const room = fullRoom();
    for (const id of ['m1', 'm2', 'obs', 'v1']) room.ok(raise(), id);
    room.ok({ type: 'queue:withdraw' }, 'm2');
    room.ok({ type: 'queue:move', participantId: 'v1', toIndex: 0 }, 'host');
    expect(order(room)).toEqual(['v1', 'm1', 'obs']);
    room.ok({ type: 'queue:remove', participantId: 'm1' }, 'host');
    expect(order(room)).toEqual(['v1', 'obs']);
    expect(room.run(raise(), 'v1')).toMatchObject({ ok: false, error: 'INVALID_STATE' });
    room.ok({ type: 'queue:lowerAll' }, 'host');
    expect(order(room)).toEqual([]);
  });

  test('a closed list refuses hands except points of order; reopening takes them again', () => {
    const room = fullRoom();
    room.ok({ type: 'queue:setOpen', open: false }, 'host');
    expect(room.run(raise(), 'm1')).toMatchObject({ ok: false, error: 'QUEUE_CLOSED' });
    room.ok(raise('order'), 'm2');
    room.ok({ type: 'queue:setOpen', open: true }, 'host');
    room.ok(raise(), 'm1');
    expect(order(room)).toEqual(['m2', 'm1']);
  });

  test('a venue that has used its speeches cannot raise again', () => {
    const room = fullRoom({ speechesPerVenue: 1 });
    room.arrive('m3', 'member', 'd1');
    room.ok({ type: 'lobby:admit', participantId: 'm3' }, 'host');
    room.ok(raise(), 'm2'); // venue d1
    room.ok({ type: 'floor:grant', target: { kind: 'next' } }, 'host');
    expect(room.run(raise(), 'm3')).toMatchObject({ ok: false, error: 'SPEECH_LIMIT' });
    room.ok(raise(), 'm1'); // city is unaffected
  });
});

describe('floor', () => {
  test('the countdown runs from server timestamps: warning, grace, then the floor ends by itself', () => {
    const room = fullRoom();
    room.ok(raise('question', '资金来源'), 'm1');
    room.ok({ type: 'floor:grant', target: { kind: 'next' }, seconds: 60 }, 'host');
    const floor = () => room.state.floor;
    expect(floor()).toMatchObject({ holder: { kind: 'participant', participantId: 'm1' }, type: 'question', limitMs: 60_000 });
    const settings = room.state.settings; // warning 30 s, grace 15 s
    expect(floorClock(floor()!, settings, room.now + 10_000).phase).toBe('normal');
    expect(floorClock(floor()!, settings, room.now + 40_000)).toMatchObject({ phase: 'warning', remainingMs: 20_000 });
    expect(floorClock(floor()!, settings, room.now + 65_000)).toMatchObject({ phase: 'grace', remainingMs: -5_000 });
    expect(nextDeadline(room.state, room.now)).toBe(room.now + 75_000);

    room.advance(74_000);
    expect(room.ok({ type: 'system:tick' }, { kind: 'system' })).toEqual([]);
    room.advance(1_000);
    const [ended] = room.ok({ type: 'system:tick' }, { kind: 'system' });
    expect(ended).toMatchObject({ type: 'floor.ended', data: { end: 'expired' } });
    expect(room.state.floor).toBeNull();
    expect(room.state.speeches).toEqual([
      expect.objectContaining({ venue: 'city', type: 'question', note: '资金来源', spokenMs: 75_000, end: 'expired' }),
    ]);
  });

  test('pause stops the clock, extend adds time, and spoken time excludes the pause', () => {
    const room = fullRoom();
    room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'obs' }, seconds: 60 }, 'host');
    room.advance(20_000);
    room.ok({ type: 'floor:pause' }, 'host');
    room.advance(100_000);
    expect(room.ok({ type: 'system:tick' }, { kind: 'system' })).toEqual([]);
    expect(nextDeadline(room.state, room.now)).toBeNull();
    room.ok({ type: 'floor:resume' }, 'host');
    room.ok({ type: 'floor:extend', seconds: 30 }, 'host');
    expect(floorClock(room.state.floor!, room.state.settings, room.now).remainingMs).toBe(70_000);
    room.advance(10_000);
    room.ok({ type: 'floor:yield' }, 'obs');
    expect(room.state.speeches[0]).toMatchObject({ spokenMs: 30_000, end: 'yielded' });
  });

  test('granting while someone speaks ends that speech first; a whole venue can hold the floor', () => {
    const room = fullRoom();
    room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm1' } }, 'host');
    const events = room.ok({ type: 'floor:grant', target: { kind: 'venue', venue: 'd2' } }, 'host');
    expect(events.map((e) => e.type)).toEqual(['floor.ended', 'floor.granted']);
    expect(room.state.speeches[0]).toMatchObject({ end: 'revoked', venue: 'city' });
    expect(mayBeHeard(room.state, 'v1')).toBe(true); // the d2 terminal
    expect(mayBeHeard(room.state, 'm1')).toBe(false);
    expect(room.run({ type: 'floor:grant', target: { kind: 'venue', venue: 'nowhere' } }, 'host')).toMatchObject({
      error: 'NOT_FOUND',
    });
  });

  test('granting the floor to the public or to an empty queue is refused', () => {
    const room = fullRoom();
    expect(room.run({ type: 'floor:grant', target: { kind: 'next' } }, 'host')).toMatchObject({ error: 'INVALID_STATE' });
    expect(room.run({ type: 'floor:grant', target: { kind: 'participant', participantId: 'pub' } }, 'host')).toMatchObject({
      error: 'INVALID_STATE',
    });
  });

  test('a speaker who leaves loses the floor; the speech is logged as revoked', () => {
    const room = fullRoom();
    room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm2' } }, 'host');
    room.advance(5_000);
    room.ok({ type: 'system:leave', participantId: 'm2' }, { kind: 'system' });
    expect(room.state.floor).toBeNull();
    expect(room.state.speeches[0]).toMatchObject({ spokenMs: 5_000, end: 'revoked' });
  });
});

describe('media policy', () => {
  test('with floor-only speaking, members are heard only on the floor; the host mutes and allows', () => {
    const room = fullRoom();
    expect(mayBeHeard(room.state, 'host')).toBe(true);
    expect(mayBeHeard(room.state, 'sec')).toBe(true);
    expect(mayBeHeard(room.state, 'm1')).toBe(false);
    expect(mayBeHeard(room.state, 'pub')).toBe(false);
    room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm1' } }, 'host');
    expect(mayBeHeard(room.state, 'm1')).toBe(true);
    room.ok({ type: 'floor:revoke' }, 'host');
    expect(mayBeHeard(room.state, 'm1')).toBe(false);

    room.ok({ type: 'room:settings', floorOnly: false }, 'host');
    expect(mayBeHeard(room.state, 'm1')).toBe(true);
    room.ok({ type: 'media:forceMute', participantId: 'm1' }, 'host');
    expect(mayBeHeard(room.state, 'm1')).toBe(false);
    room.ok({ type: 'media:muteAll' }, 'host');
    expect(mayBeHeard(room.state, 'm2')).toBe(false);
    expect(mayBeHeard(room.state, 'sec')).toBe(true);
    room.ok({ type: 'media:allowUnmute' }, 'host');
    expect(mayBeHeard(room.state, 'm1')).toBe(true);
    expect(mayBeHeard(room.state, 'm2')).toBe(true);
  });
});

describe('polls', () => {
  const create = (room: TestRoom, over: Partial<Extract<ClientCommand, { type: 'poll:create' }>> = {}): string => {
    room.ok(
      {
        type: 'poll:create',
        question: '是否同意该方案?',
        kind: 'yesno',
        options: [],
        secret: false,
        allowChange: true,
        quorumPercent: null,
        threshold: 'simple',
        durationSeconds: null,
        ...over,
      },
      'host',
    );
    return room.state.pollOrder[room.state.pollOrder.length - 1] ?? '';
  };
  const voteAs = (room: TestRoom, pollId: string, id: string, choices: number[], reason?: string) =>
    room.run({ type: 'poll:vote', pollId, choices, ...(reason ? { reason } : {}) }, id);

  test('eligible voters are snapshotted at open: members and venues, not observers, departments, public or latecomers', () => {
    const room = fullRoom();
    const id = create(room);
    room.ok({ type: 'poll:open', pollId: id }, 'host');
    expect(room.state.polls[id]?.eligible.sort()).toEqual(['m1', 'm2', 'v1']);
    room.arrive('late', 'member');
    room.ok({ type: 'lobby:admit', participantId: 'late' }, 'host');
    expect(voteAs(room, id, 'late', [0])).toMatchObject({ ok: false, error: 'NOT_ELIGIBLE' });
    expect(voteAs(room, id, 'obs', [0])).toMatchObject({ ok: false, error: 'FORBIDDEN' });
    expect(voteAs(room, id, 'dept', [0])).toMatchObject({ ok: false, error: 'FORBIDDEN' });
  });

  test('one vote each unless changes are allowed; no votes before open or after close', () => {
    const room = fullRoom();
    const fixed = create(room, { allowChange: false });
    expect(voteAs(room, fixed, 'm1', [0])).toMatchObject({ ok: false, error: 'INVALID_STATE' });
    room.ok({ type: 'poll:open', pollId: fixed }, 'host');
    expect(voteAs(room, fixed, 'm1', [0])).toMatchObject({ ok: true });
    expect(voteAs(room, fixed, 'm1', [1])).toMatchObject({ ok: false, error: 'ALREADY_VOTED' });

    const changeable = create(room);
    room.ok({ type: 'poll:open', pollId: changeable }, 'host');
    voteAs(room, changeable, 'm1', [0]);
    voteAs(room, changeable, 'm1', [1]);
    room.ok({ type: 'poll:close', pollId: changeable }, 'host');
    expect(room.state.polls[changeable]?.result).toMatchObject({ counts: [0, 1, 0], votes: 1 });
    expect(voteAs(room, changeable, 'm2', [0])).toMatchObject({ ok: false, error: 'INVALID_STATE' });
  });

  test('yes/no: abstentions do not count against a simple majority; two thirds needs two thirds', () => {
    const room = fullRoom();
    const simple = create(room);
    room.ok({ type: 'poll:open', pollId: simple }, 'host');
    voteAs(room, simple, 'm1', [0]);
    voteAs(room, simple, 'm2', [2]);
    voteAs(room, simple, 'v1', [2]);
    room.ok({ type: 'poll:close', pollId: simple }, 'host');
    expect(room.state.polls[simple]?.result).toMatchObject({ counts: [1, 0, 2], votes: 3, eligible: 3, passed: true });

    const twoThirds = create(room, { threshold: 'twoThirds' });
    room.ok({ type: 'poll:open', pollId: twoThirds }, 'host');
    voteAs(room, twoThirds, 'm1', [0]);
    voteAs(room, twoThirds, 'm2', [1]);
    room.ok({ type: 'poll:close', pollId: twoThirds }, 'host');
    expect(room.state.polls[twoThirds]?.result?.passed).toBe(false);
  });

  test('a quorum that is not met fails the poll', () => {
    const room = fullRoom();
    const id = create(room, { quorumPercent: 60 });
    room.ok({ type: 'poll:open', pollId: id }, 'host');
    voteAs(room, id, 'm1', [0]);
    room.ok({ type: 'poll:close', pollId: id }, 'host');
    expect(room.state.polls[id]?.result).toMatchObject({ quorumMet: false, passed: false });
  });

  test('consensus scale: reasons go with dissent only; support is 赞同 + 基本赞同', () => {
    const room = fullRoom();
    const id = create(room, { kind: 'consensus' });
    room.ok({ type: 'poll:open', pollId: id }, 'host');
    expect(voteAs(room, id, 'm1', [0], '很好')).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
    voteAs(room, id, 'm1', [1]);
    voteAs(room, id, 'm2', [3], '资金不足');
    voteAs(room, id, 'v1', [0]);
    room.ok({ type: 'poll:close', pollId: id }, 'host');
    expect(room.state.polls[id]?.options).toEqual(['agree', 'basicallyAgree', 'needsDiscussion', 'disagree']);
    expect(room.state.polls[id]?.result).toMatchObject({ counts: [1, 1, 0, 1], passed: true, reasons: ['资金不足'] });
  });

  test('multiple choice respects min and max', () => {
    const room = fullRoom();
    const id = create(room, { kind: 'multiple', options: ['甲', '乙', '丙'], minChoices: 1, maxChoices: 2, threshold: 'none' });
    room.ok({ type: 'poll:open', pollId: id }, 'host');
    expect(voteAs(room, id, 'm1', [0, 1, 2])).toMatchObject({ error: 'BAD_REQUEST' });
    expect(voteAs(room, id, 'm1', [1, 1])).toMatchObject({ error: 'BAD_REQUEST' });
    expect(voteAs(room, id, 'm1', [5])).toMatchObject({ error: 'BAD_REQUEST' });
    expect(voteAs(room, id, 'm1', [2, 0])).toMatchObject({ ok: true });
    expect(room.state.polls[id]?.choices['m1']).toEqual([0, 2]);
  });

  test('a secret ballot never links voter and choice in the log, yet counts every ballot', () => {
    const room = fullRoom();
    expect(room.run({ type: 'poll:create', question: 'q', kind: 'yesno', options: [], secret: true, allowChange: true, quorumPercent: null, threshold: 'none', durationSeconds: null }, 'host')).toMatchObject({ error: 'BAD_REQUEST' });
    const id = create(room, { secret: true, allowChange: false });
    room.ok({ type: 'poll:open', pollId: id }, 'host');
    voteAs(room, id, 'm1', [1]);
    voteAs(room, id, 'm2', [0]);
    voteAs(room, id, 'v1', [1]);
    const votedEvents = room.log.filter((e) => e.type === 'poll.voted');
    expect(votedEvents).toHaveLength(3);
    for (const e of votedEvents) expect(Object.keys(e.data).sort()).toEqual(['pollId', 'voterId']);
    expect(JSON.stringify(room.state.polls[id])).not.toMatch(/"choices":\{"/);
    // The ballot box holds choices without voters: with their venue and sector (sealed while the
    // poll is open, for the results by group; server/rooms/BallotBox.ts drops them at close).
    expect(room.ballots.map((b) => Object.keys(b).sort())).toEqual([['choices', 'group', 'pollId'], ['choices', 'group', 'pollId'], ['choices', 'group', 'pollId']]);
    room.ok({ type: 'poll:close', pollId: id }, 'host');
    expect(room.state.polls[id]?.result).toMatchObject({ counts: [1, 2, 0], votes: 3 });
  });

  test('results reach members only on publication; named choices stay with the host', () => {
    const room = fullRoom();
    const id = create(room);
    room.ok({ type: 'poll:open', pollId: id }, 'host');
    voteAs(room, id, 'm1', [0]);
    voteAs(room, id, 'm2', [1]);
    room.ok({ type: 'poll:close', pollId: id }, 'host');
    const member = { participantId: 'm1', role: 'member' as const };
    const host = { participantId: 'host', role: 'host' as const };
    const seenByMember = room.log.map((e) => eventForViewer(e, member));
    const closed = seenByMember.find((e) => e.type === 'poll.closed');
    expect(closed?.data).toEqual({ pollId: id });
    const otherVote = seenByMember.find((e) => e.type === 'poll.voted' && e.data.voterId === 'm2');
    expect(otherVote?.data).toEqual({ pollId: id, voterId: 'm2' });
    const ownVote = seenByMember.find((e) => e.type === 'poll.voted' && e.data.voterId === 'm1');
    expect(ownVote?.data).toMatchObject({ choices: [0] });
    expect(room.log.map((e) => eventForViewer(e, host))).toEqual(room.log);
    expect(stateForViewer(room.state, member).polls[id]).toMatchObject({ result: null, choices: { m1: [0] } });

    room.ok({ type: 'poll:publish', pollId: id }, 'host');
    const published = eventForViewer(room.log[room.log.length - 1]!, member);
    expect(published).toMatchObject({ type: 'poll.published', data: { result: { counts: [1, 1, 0] } } });
    expect(stateForViewer(room.state, member).polls[id]).toMatchObject({ status: 'published', result: { votes: 2 }, choices: { m1: [0] } });
  });

  test('a poll with a duration closes by itself at its time', () => {
    const room = fullRoom();
    const id = create(room, { durationSeconds: 60 });
    room.ok({ type: 'poll:open', pollId: id }, 'host');
    expect(nextDeadline(room.state, room.now)).toBe(room.now + 60_000);
    room.advance(59_999);
    expect(room.ok({ type: 'system:tick' }, { kind: 'system' })).toEqual([]);
    room.advance(1);
    expect(room.ok({ type: 'system:tick' }, { kind: 'system' }).map((e) => e.type)).toEqual(['poll.closed']);
  });
});

describe('attendance', () => {
  test('presences record joins and leaves; roll call and quorum gauges', () => {
    const room = fullRoom({ quorumPercent: 50 });
    const joinedAt = room.now;
    room.advance(60_000);
    room.ok({ type: 'system:disconnect', participantId: 'm2' }, { kind: 'system' });
    room.advance(10_000);
    room.arrive('m2', 'member', 'd1');
    expect(room.state.participants['m2']?.presences).toEqual([
      { joinedAt, leftAt: joinedAt + 60_000 },
      { joinedAt: joinedAt + 70_000, leftAt: null },
    ]);

    room.ok({ type: 'rollCall:start' }, 'host');
    room.ok({ type: 'rollCall:confirm' }, 'm1');
    expect(room.run({ type: 'rollCall:confirm' }, 'm1')).toMatchObject({ error: 'INVALID_STATE' });
    room.ok({ type: 'rollCall:end' }, 'host');
    expect(Object.keys(room.state.rollCall?.confirmed ?? {})).toEqual(['m1']);
    expect(room.state.rollCall?.expected).not.toContain('pub');

    room.ok({ type: 'system:leave', participantId: 'v1' }, { kind: 'system' });
    const gauges = quorumGauges(room.state);
    expect(gauges[0]).toEqual({ venue: '*', present: 2, expected: 5, quorumMet: false });
    expect(gauges.find((g) => g.venue === 'd1')).toEqual({ venue: 'd1', present: 1, expected: 2, quorumMet: true });
  });
});

test('apply never mutates the state it is given', () => {
  const room = fullRoom();
  room.ok(raise(), 'm1');
  const frozen: unknown = JSON.parse(JSON.stringify(room.state));
  deepFreeze(room.state);
  const before = room.state;
  room.ok({ type: 'floor:grant', target: { kind: 'next' } }, 'host');
  expect(before).toEqual(frozen);
  expect(apply(before, room.log[room.log.length - 1]!)).toEqual(room.state);
});

function deepFreeze(value: unknown): void {
  if (value && typeof value === 'object') {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
}
