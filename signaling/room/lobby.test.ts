import { describe, expect, test } from 'vitest';
import { CLIENT_COMMANDS } from './commands.js';
import { fullRoom } from './testing.js';

/** A full room with k1, k2 (city) and k3 (d1) waiting in the lobby. */
function knocking() {
  const room = fullRoom();
  room.arrive('k1', 'member', 'city');
  room.arrive('k2', 'member', 'city');
  room.arrive('k3', 'member', 'd1');
  return room;
}

const statuses = (room: ReturnType<typeof knocking>, ids: string[]) => ids.map((id) => room.state.participants[id]?.status);

describe('lobby:admitAll with the list the chair confirmed', () => {
  test('admits only those listed who still wait, in one event', () => {
    const room = knocking();
    room.arrive('k4', 'member', 'd2');
    // k2 left the lobby before the chair confirmed; m1 is in the room already; ghost never came.
    room.run({ type: 'system:leave', participantId: 'k2' }, { kind: 'system' });
    const events = room.ok({ type: 'lobby:admitAll', participantIds: ['k1', 'k2', 'k3', 'm1', 'ghost'] }, 'host');
    expect(events.map((e) => [e.type, e.data])).toEqual([['participant.admitted', { participantIds: ['k1', 'k3'] }]]);
    expect(statuses(room, ['k1', 'k2', 'k3', 'k4'])).toEqual(['admitted', 'left', 'admitted', 'lobby']);
  });

  test('a list of nobody still waiting records nothing', () => {
    const room = knocking();
    const seq = room.state.seq;
    expect(room.run({ type: 'lobby:admitAll', participantIds: ['m1'] }, 'host')).toMatchObject({ ok: true });
    expect(room.state.seq).toBe(seq);
  });

  test('without a list, everybody waiting comes in (older clients)', () => {
    const room = knocking();
    room.ok({ type: 'lobby:admitAll' }, 'host');
    expect(statuses(room, ['k1', 'k2', 'k3'])).toEqual(['admitted', 'admitted', 'admitted']);
  });

  test('the list is an array of ids, not empty, at most 1000', () => {
    const schema = CLIENT_COMMANDS['lobby:admitAll'];
    expect(schema.safeParse({ participantIds: ['k1'] }).success).toBe(true);
    expect(schema.safeParse({}).success).toBe(true);
    expect(schema.safeParse({ participantIds: [] }).success).toBe(false);
    expect(schema.safeParse({ participantIds: 'k1' }).success).toBe(false);
    expect(schema.safeParse({ participantIds: [''] }).success).toBe(false);
    expect(schema.safeParse({ participantIds: Array.from({ length: 1001 }, (_, i) => `p${i}`) }).success).toBe(false);
  });
});
