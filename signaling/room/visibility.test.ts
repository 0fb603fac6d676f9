import { describe, expect, test } from 'vitest';
import { apply } from './apply.js';
import type { ClientCommand } from './commands.js';
import { emptyRoom, type RoomState } from './state.js';
import { fullRoom, type TestRoom } from './testing.js';
import { eventForViewer, stateForViewer, viewersWithOwnView, type Viewer } from './visibility.js';

const host: Viewer = { participantId: 'host', role: 'host' };
const secretary: Viewer = { participantId: 'sec', role: 'secretary' };
const member: Viewer = { participantId: 'm1', role: 'member' };
const observer: Viewer = { participantId: 'obs', role: 'observer' };

/** A yes/no poll, opened, with m1 赞成, m2 反对, v1 赞成; closed unless `open` is left true. */
function votedPoll(secret: boolean, { close = true } = {}): { room: TestRoom; id: string } {
  const room = fullRoom();
  const create: ClientCommand = {
    type: 'poll:create',
    question: '是否同意加装电梯方案？',
    kind: 'yesno',
    options: [],
    secret,
    // Secret ballots cannot be changed (a changed ballot would have to be found again).
    allowChange: !secret,
    quorumPercent: null,
    threshold: 'simple',
    durationSeconds: null,
  };
  room.ok(create, 'host');
  const id = room.state.pollOrder[room.state.pollOrder.length - 1] ?? '';
  room.ok({ type: 'poll:open', pollId: id }, 'host');
  room.ok({ type: 'poll:vote', pollId: id, choices: [0] }, 'm1');
  room.ok({ type: 'poll:vote', pollId: id, choices: [1] }, 'm2');
  room.ok({ type: 'poll:vote', pollId: id, choices: [0] }, 'v1');
  if (close) room.ok({ type: 'poll:close', pollId: id }, 'host');
  return { room, id };
}

/** What `viewer` holds after folding every event as they receive it. */
const folded = (room: TestRoom, viewer: Viewer): RoomState => room.log.map((e) => eventForViewer(e, viewer)).reduce<RoomState>(apply, emptyRoom('test-room'));

describe('poll results for the secretary', () => {
  test('the secretary receives a closed named poll’s result before publication, but nobody’s choices', () => {
    const { room, id } = votedPoll(false);
    const closed = room.log.find((e) => e.type === 'poll.closed')!;
    expect(eventForViewer(closed, secretary)).toEqual(closed);
    expect(eventForViewer(closed, secretary).data).toMatchObject({ result: { counts: [2, 1, 0], votes: 3, eligible: 3, passed: true } });
    // Named choices stay with the host: the secretary's copy of each vote has none.
    for (const e of room.log.filter((e) => e.type === 'poll.voted')) expect(eventForViewer(e, secretary).data).not.toHaveProperty('choices');
    const poll = stateForViewer(room.state, secretary).polls[id];
    expect(poll).toMatchObject({ status: 'closed', result: { counts: [2, 1, 0], votes: 3 } });
    expect(poll?.choices).toEqual({});
    // The host's own view keeps the choices: what the secretary lacks is on purpose.
    expect(stateForViewer(room.state, host).polls[id]?.choices).toEqual({ m1: [0], m2: [1], v1: [0] });
  });

  test('members and observers still see no result until the host publishes it', () => {
    const { room, id } = votedPoll(false);
    const closed = room.log.find((e) => e.type === 'poll.closed')!;
    for (const viewer of [member, observer]) {
      expect(eventForViewer(closed, viewer).data).toEqual({ pollId: id });
      expect(stateForViewer(room.state, viewer).polls[id]?.result).toBeNull();
    }
    room.ok({ type: 'poll:publish', pollId: id }, 'host');
    expect(stateForViewer(room.state, member).polls[id]?.result).toMatchObject({ counts: [2, 1, 0] });
  });

  test('a secret poll gives the secretary what it gives the host: counts, never a voter’s choice', () => {
    const { room, id } = votedPoll(true);
    const closed = room.log.find((e) => e.type === 'poll.closed')!;
    expect(eventForViewer(closed, secretary)).toEqual(eventForViewer(closed, host));
    expect(stateForViewer(room.state, secretary).polls[id]?.result).toEqual(stateForViewer(room.state, host).polls[id]?.result);
    expect(stateForViewer(room.state, secretary).polls[id]?.result).toMatchObject({ counts: [2, 1, 0], votes: 3 });
    // No choice of anyone, in any event or in the state the secretary is sent.
    const seen = JSON.stringify([room.log.map((e) => eventForViewer(e, secretary)), stateForViewer(room.state, secretary).polls]);
    expect(seen).not.toContain('"choices":[');
    expect(seen).not.toMatch(/"choices":\{"/);
  });

  test('an open poll shows the secretary no result and no running count', () => {
    const { room, id } = votedPoll(false, { close: false });
    expect(stateForViewer(room.state, secretary).polls[id]).toMatchObject({ status: 'open', result: null, choices: {} });
    expect(folded(room, secretary).polls[id]).toMatchObject({ status: 'open', result: null, choices: {} });
  });

  test('the fold of what the secretary receives agrees with the snapshot they would be sent', () => {
    for (const secret of [false, true]) {
      const { room } = votedPoll(secret);
      for (const viewer of [secretary, member]) expect(folded(room, viewer).polls).toEqual(stateForViewer(room.state, viewer).polls);
    }
  });

  test('viewersWithOwnView names the secretaries for a closed poll, nobody else', () => {
    const { room } = votedPoll(false);
    room.arrive('sec2', 'secretary');
    room.ok({ type: 'lobby:admitAll' }, 'host');
    const closed = room.log.find((e) => e.type === 'poll.closed')!;
    expect(viewersWithOwnView(closed, room.state).sort()).toEqual(['sec', 'sec2']);
    const opened = room.log.find((e) => e.type === 'poll.opened')!;
    expect(viewersWithOwnView(opened, room.state)).toEqual([]);
  });
});
