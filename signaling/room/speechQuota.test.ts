/**
 * The per-venue speech quota (RoomSettings.speechesPerVenue) binds the chair's grant too: past
 * it, the grant is refused unless it says `overrideQuota`, and the log records the override.
 * Who may override is written out here, not read from roles.ts.
 */
import { describe, expect, test } from 'vitest';
import type { ClientCommand } from './commands.js';
import type { RoomEvent } from './events.js';
import { fullRoom, type TestRoom } from './testing.js';

const raise = (speechType: 'statement' | 'order' = 'statement'): ClientCommand => ({ type: 'queue:raise', speechType, note: '' });
const grantTo = (participantId: string, overrideQuota?: boolean): ClientCommand => ({
  type: 'floor:grant',
  target: { kind: 'participant', participantId },
  ...(overrideQuota === undefined ? {} : { overrideQuota }),
});
const granted = (events: RoomEvent[]) => events.find((e) => e.type === 'floor.granted');

/** A room with a quota of one speech per venue, a second member in d1 (m3), and d1's one speech given by m2. */
function d1HasSpoken(): TestRoom {
  const room = fullRoom({ speechesPerVenue: 1 });
  room.arrive('m3', 'member', 'd1');
  room.ok({ type: 'lobby:admit', participantId: 'm3' }, 'host');
  room.ok(raise(), 'm3');
  room.ok(grantTo('m2'), 'host');
  room.ok({ type: 'floor:revoke' }, 'host');
  return room;
}

describe('the speech quota on the chair’s grant', () => {
  test('a grant to someone of a venue that has used its speeches is refused, and changes nothing', () => {
    const room = d1HasSpoken();
    const before = room.state;
    expect(room.run(grantTo('m3'), 'host')).toMatchObject({ ok: false, error: 'SPEECH_LIMIT' });
    expect(room.run({ type: 'floor:grant', target: { kind: 'next' } }, 'host')).toMatchObject({ ok: false, error: 'SPEECH_LIMIT' });
    expect(room.run({ type: 'floor:grant', target: { kind: 'venue', venue: 'd1' } }, 'host')).toMatchObject({ ok: false, error: 'SPEECH_LIMIT' });
    expect(room.run(grantTo('m3', false), 'host')).toMatchObject({ ok: false, error: 'SPEECH_LIMIT' });
    expect(room.state).toBe(before);
    // Another venue still has its speech.
    room.ok(grantTo('m1'), 'host');
  });

  test('with overrideQuota the floor is given, and floor.granted records the venue and where it stood', () => {
    const room = d1HasSpoken();
    const events = room.ok(grantTo('m3', true), 'host');
    expect(granted(events)?.data).toEqual({
      holder: { kind: 'participant', participantId: 'm3' },
      type: 'statement',
      note: '',
      limitMs: 180_000,
      quotaOverride: { venue: 'd1', used: 1, limit: 1 },
    });
    expect(room.state.floor?.holder).toEqual({ kind: 'participant', participantId: 'm3' });
    // The next one past the quota records the count as it then stands.
    room.ok({ type: 'floor:revoke' }, 'host');
    const again = room.ok({ type: 'floor:grant', target: { kind: 'venue', venue: 'd1' }, overrideQuota: true }, 'host');
    expect(granted(again)?.data).toMatchObject({ quotaOverride: { venue: 'd1', used: 2, limit: 1 } });
  });

  test('an override asked where none is needed records nothing', () => {
    const room = fullRoom({ speechesPerVenue: 2 });
    const events = room.ok(grantTo('m2', true), 'host');
    expect(granted(events)?.data).not.toHaveProperty('quotaOverride');
  });

  test('a speech of the whole venue counts against that venue’s quota', () => {
    const room = fullRoom({ speechesPerVenue: 1 });
    room.ok({ type: 'floor:grant', target: { kind: 'venue', venue: 'd1' } }, 'host');
    room.ok({ type: 'floor:revoke' }, 'host');
    expect(room.run(grantTo('m2'), 'host')).toMatchObject({ ok: false, error: 'SPEECH_LIMIT' });
    expect(room.run(raise(), 'm2')).toMatchObject({ ok: false, error: 'SPEECH_LIMIT' });
  });

  test('the speech on the floor counts: giving the same venue the floor again while it speaks needs the override', () => {
    const room = fullRoom({ speechesPerVenue: 1 });
    room.arrive('m3', 'member', 'd1');
    room.ok({ type: 'lobby:admit', participantId: 'm3' }, 'host');
    room.ok(grantTo('m2'), 'host');
    expect(room.run(grantTo('m3'), 'host')).toMatchObject({ ok: false, error: 'SPEECH_LIMIT' });
    expect(room.state.floor?.holder).toEqual({ kind: 'participant', participantId: 'm2' });
  });

  test('points of order do not count, and granting one never needs the override', () => {
    const room = fullRoom({ speechesPerVenue: 1 });
    room.ok(raise('order'), 'm2');
    room.ok({ type: 'floor:grant', target: { kind: 'next' } }, 'host');
    room.ok({ type: 'floor:revoke' }, 'host');
    // d1's point of order left its one speech untouched.
    room.ok(raise(), 'm2');
    room.ok({ type: 'floor:grant', target: { kind: 'next' } }, 'host');
    room.ok({ type: 'floor:revoke' }, 'host');
    // Now d1 has used it; a point of order from d1 is still raised and granted without override.
    room.ok(raise('order'), 'm2');
    const events = room.ok({ type: 'floor:grant', target: { kind: 'next' } }, 'host');
    expect(granted(events)?.data).toMatchObject({ type: 'order' });
    expect(granted(events)?.data).not.toHaveProperty('quotaOverride');
  });

  test('without a quota nothing is counted against anybody', () => {
    const room = fullRoom();
    for (let i = 0; i < 3; i++) {
      const events = room.ok(grantTo('m2'), 'host');
      expect(granted(events)?.data).not.toHaveProperty('quotaOverride');
    }
  });
});

describe('who may override the quota', () => {
  // The chair alone gives the floor; the override is part of giving it.
  const others = { secretary: 'sec', member: 'm1', venue: 'v1', observer: 'obs', department: 'dept', public: 'pub' } as const;
  for (const [role, id] of Object.entries(others)) {
    test(`a ${role} cannot grant past the quota, override or not`, () => {
      const room = d1HasSpoken();
      expect(room.run(grantTo('m3', true), id)).toMatchObject({ ok: false, error: 'FORBIDDEN' });
      expect(room.state.floor).toBeNull();
    });
  }

  test('the host can', () => {
    const room = d1HasSpoken();
    room.ok(grantTo('m3', true), 'host');
    expect(room.log.at(-1)?.actor).toBe('host');
  });
});
