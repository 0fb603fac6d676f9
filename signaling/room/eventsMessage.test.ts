import { describe, expect, test } from 'vitest';
import { apply, applyAll } from './apply.js';
import type { RoomEvent } from './events.js';
import { packEvents, unpackEvents } from './eventsMessage.js';
import { createdRoom, type TestRoom } from './testing.js';
import { eventForViewer, type Viewer } from './visibility.js';

const ANYONE: Viewer = { participantId: '', role: 'public' };

/** A meeting of a host and `n` members m1…mn with two open yes/no polls (one secret). */
function meeting(n: number): { room: TestRoom; open: string; secret: string } {
  const room = createdRoom({ open: true });
  room.arrive('host', 'host');
  for (let i = 1; i <= n; i += 1) room.arrive(`m${i}`, 'member');
  const poll = (secret: boolean): string => {
    room.ok(
      { type: 'poll:create', question: '是否同意？', kind: 'yesno', options: [], secret, allowChange: false, quorumPercent: null, threshold: 'simple', basis: 'cast', durationSeconds: null },
      'host',
    );
    const pollId = room.state.pollOrder.at(-1) ?? '';
    room.ok({ type: 'poll:open', pollId }, 'host');
    return pollId;
  };
  return { room, open: poll(false), secret: poll(true) };
}

/** Runs `f` on the room and returns the events it logged. */
function logged(room: TestRoom, f: () => void): RoomEvent[] {
  const before = room.log.length;
  f();
  return room.log.slice(before);
}

describe('a room:events message', () => {
  test('folds to the same room as the events it carries, for anybody and for a voter with their own ballot', () => {
    const { room, open, secret } = meeting(8);
    const before = room.state;
    const batch = logged(room, () => {
      for (let i = 1; i <= 5; i += 1) {
        room.ok({ type: 'poll:vote', pollId: secret, choices: [i % 2] }, `m${i}`);
        room.advance(7 * i);
      }
      room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, 'm1');
      for (let i = 1; i <= 3; i += 1) room.ok({ type: 'poll:vote', pollId: open, choices: [0] }, `m${i}`);
      room.ok({ type: 'poll:vote', pollId: secret, choices: [1] }, 'm6');
    });

    const forAnyone = batch.map((e) => eventForViewer(e, ANYONE));
    const packed = packEvents(forAnyone);
    expect(packed.length).toBeLessThan(forAnyone.length);
    const unpacked = unpackEvents({ events: packed });
    expect(unpacked.map((e) => e.seq)).toEqual(forAnyone.map((e) => e.seq));
    // Every event as anybody sees it, but for the hashes a run leaves out (not the last one's).
    expect(unpacked.map((e) => ({ ...e, hash: '' }))).toEqual(forAnyone.map((e) => ({ ...e, hash: '' })));
    const folded = applyAll(before, unpacked);
    const expected = applyAll(before, forAnyone);
    expect(folded).toEqual(expected);
    expect(folded.hash).toBe(room.state.hash);

    // m3 sees their own ballot on the open poll in the clear, beside the others' view.
    const m3: Viewer = { participantId: 'm3', role: 'member' };
    const own = batch.filter((e) => e.type === 'poll.voted' && e.data.voterId === 'm3').map((e) => eventForViewer(e, m3));
    expect(own.length).toBe(2);
    const theirs = unpackEvents({ events: packed, own });
    expect(theirs).toHaveLength(batch.length);
    expect(applyAll(before, theirs)).toEqual(applyAll(before, batch.map((e) => eventForViewer(e, m3))));
  });

  test('a run of votes costs a fifth of the text of the same votes as full events', () => {
    const { room, secret } = meeting(40);
    const votes = logged(room, () => {
      for (let i = 1; i <= 40; i += 1) room.ok({ type: 'poll:vote', pollId: secret, choices: [0] }, `m${i}`);
    }).map((e) => eventForViewer(e, ANYONE));
    const full = JSON.stringify({ events: votes }).length;
    const packed = JSON.stringify({ events: packEvents(votes) }).length;
    expect(packEvents(votes)).toHaveLength(1);
    expect(packed * 5).toBeLessThan(full);
  });

  test('only what anybody may read goes into a run: a ballot in the clear, or votes apart, stay full events', () => {
    const { room, open } = meeting(4);
    const votes = logged(room, () => {
      for (let i = 1; i <= 4; i += 1) room.ok({ type: 'poll:vote', pollId: open, choices: [1] }, `m${i}`);
    });
    expect(votes.every((e) => e.type === 'poll.voted' && e.data.choices !== undefined)).toBe(true);
    // As the hosts see the votes of a poll that is not secret: choices in the clear, never in a run.
    expect(packEvents(votes).map((e) => e.type)).toEqual(['poll.voted', 'poll.voted', 'poll.voted', 'poll.voted']);
    // Not one after the other in the log: each stays as it is.
    const anon = votes.map((e) => eventForViewer(e, ANYONE));
    const apart = [anon[0], anon[2]].filter((e): e is RoomEvent => e !== undefined);
    expect(packEvents(apart)).toEqual(apart);
    // A lone vote stays a full event.
    expect(packEvents(anon.slice(0, 1))).toEqual(anon.slice(0, 1));
  });

  test('a replica that already holds the start of a run folds its rest once, and ends on its last hash', () => {
    const { room, secret } = meeting(6);
    const before = room.state;
    const votes = logged(room, () => {
      for (let i = 1; i <= 6; i += 1) room.ok({ type: 'poll:vote', pollId: secret, choices: [0] }, `m${i}`);
    }).map((e) => eventForViewer(e, ANYONE));
    const midway = applyAll(before, votes.slice(0, 2));
    let state = midway;
    for (const e of unpackEvents({ events: packEvents(votes) })) if (e.seq > state.seq) state = apply(state, e);
    expect(state).toEqual(applyAll(before, votes));
  });
});
