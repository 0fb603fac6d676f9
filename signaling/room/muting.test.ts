import { describe, expect, test } from 'vitest';
import { mayBeHeard } from './selectors.js';
import { fullRoom, type TestRoom } from './testing.js';

/** m1 speaks. */
function m1OnTheFloor(): TestRoom {
  const room = fullRoom();
  room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm1' } }, 'host');
  expect(mayBeHeard(room.state, 'm1')).toBe(true);
  return room;
}

describe('a mute holds against the floor', () => {
  test('force-muting the speaker needs the chair to say whether the speech ends or pauses', () => {
    const room = m1OnTheFloor();
    expect(room.run({ type: 'media:forceMute', participantId: 'm1' }, 'host')).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
    expect(room.state.participants['m1']?.forceMuted).toBe(false);
  });

  test('…pause: the clock stops, the speaker is silenced, and the log says both', () => {
    const room = m1OnTheFloor();
    const result = room.ok({ type: 'media:forceMute', participantId: 'm1', floor: 'pause' }, 'host');
    expect(result.map((e) => e.type)).toEqual(['floor.paused', 'media.forceMuted']);
    expect(room.state.floor?.pausedAt).not.toBeNull();
    expect(mayBeHeard(room.state, 'm1')).toBe(false);
    // Resuming the clock does not lift the mute: only the chair's allowance does.
    room.ok({ type: 'floor:resume' }, 'host');
    expect(mayBeHeard(room.state, 'm1')).toBe(false);
    room.ok({ type: 'media:allowUnmute', participantId: 'm1' }, 'host');
    expect(mayBeHeard(room.state, 'm1')).toBe(true);
  });

  test('…end: the speech is over (revoked) and the speaker silenced', () => {
    const room = m1OnTheFloor();
    const result = room.ok({ type: 'media:forceMute', participantId: 'm1', floor: 'end' }, 'host');
    expect(result.map((e) => e.type)).toEqual(['floor.ended', 'media.forceMuted']);
    expect(room.state.floor).toBeNull();
    expect(room.state.speeches.at(-1)?.end).toBe('revoked');
    expect(mayBeHeard(room.state, 'm1')).toBe(false);
  });

  test('muting someone else leaves the speech alone, and needs no choice', () => {
    const room = m1OnTheFloor();
    room.ok({ type: 'room:settings', floorOnly: false }, 'host');
    expect(room.ok({ type: 'media:forceMute', participantId: 'm2' }, 'host').map((e) => e.type)).toEqual(['media.forceMuted']);
    expect(mayBeHeard(room.state, 'm1')).toBe(true);
    expect(mayBeHeard(room.state, 'm2')).toBe(false);
  });

  test('mute all with a speech running: the chair chooses, and the speaker falls silent with the rest', () => {
    const room = m1OnTheFloor();
    expect(room.run({ type: 'media:muteAll' }, 'host')).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
    room.ok({ type: 'media:muteAll', floor: 'pause' }, 'host');
    expect(mayBeHeard(room.state, 'm1')).toBe(false);
    // The chair and the secretary are still heard; a new speech the chair grants is heard.
    expect(mayBeHeard(room.state, 'host')).toBe(true);
    expect(mayBeHeard(room.state, 'sec')).toBe(true);
    room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm2' } }, 'host');
    expect(mayBeHeard(room.state, 'm2')).toBe(true);
  });

  test('a paused speech is not heard; resumed, it is', () => {
    const room = m1OnTheFloor();
    room.ok({ type: 'floor:pause' }, 'host');
    expect(mayBeHeard(room.state, 'm1')).toBe(false);
    room.ok({ type: 'floor:resume' }, 'host');
    expect(mayBeHeard(room.state, 'm1')).toBe(true);
  });

  test('the chair cannot be muted, and is always heard', () => {
    const room = m1OnTheFloor();
    expect(room.run({ type: 'media:forceMute', participantId: 'host' }, 'host')).toMatchObject({ ok: false, error: 'INVALID_STATE' });
    room.ok({ type: 'media:muteAll', floor: 'end' }, 'host');
    expect(mayBeHeard(room.state, 'host')).toBe(true);
  });
});
