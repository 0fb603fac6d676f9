import { describe, expect, test } from 'vitest';
import { fullRoom } from '../../../signaling/room/testing.js';
import { nextInLine, onDeckDuring } from './onDeck.js';

/** m1 speaks for 60 s (warning 30 s by default); m2 then obs wait. */
function speechWithQueue() {
  const room = fullRoom();
  room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, 'm1');
  room.ok({ type: 'floor:grant', target: { kind: 'next' }, seconds: 60 }, 'host');
  room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, 'm2');
  room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, 'obs');
  return room;
}

describe('onDeckDuring()', () => {
  test('the first in line is on deck from the warning on, not before; nobody else is', () => {
    const room = speechWithQueue();
    const grantedAt = room.state.floor?.grantedAt ?? 0;
    expect(onDeckDuring(room.state, 'm2', grantedAt + 29_999)).toBeNull();
    expect(onDeckDuring(room.state, 'm2', grantedAt + 30_000)).toBe(grantedAt);
    // In grace and past it, still on deck.
    expect(onDeckDuring(room.state, 'm2', grantedAt + 70_000)).toBe(grantedAt);
    expect(onDeckDuring(room.state, 'obs', grantedAt + 30_000)).toBeNull();
    expect(onDeckDuring(room.state, 'm1', grantedAt + 30_000)).toBeNull();
  });

  test('follows the room’s order and settings: a point of order goes first; a longer warning starts earlier', () => {
    const room = speechWithQueue();
    const grantedAt = room.state.floor?.grantedAt ?? 0;
    room.ok({ type: 'queue:raise', speechType: 'order', note: '' }, 'dept');
    expect(onDeckDuring(room.state, 'm2', grantedAt + 45_000)).toBeNull();
    expect(onDeckDuring(room.state, 'dept', grantedAt + 45_000)).toBe(grantedAt);
    room.ok({ type: 'room:settings', warningSeconds: 50 }, 'host');
    expect(onDeckDuring(room.state, 'dept', grantedAt + 10_000)).toBe(grantedAt);
  });

  test('a paused clock stops where it is: on deck only if it stopped inside the warning', () => {
    const room = speechWithQueue();
    const grantedAt = room.state.floor?.grantedAt ?? 0;
    room.advance(20_000);
    room.ok({ type: 'floor:pause' }, 'host');
    expect(onDeckDuring(room.state, 'm2', grantedAt + 600_000)).toBeNull();
  });

  test('nobody is on deck without a speech, and the one on the floor is never next in line', () => {
    const room = speechWithQueue();
    room.ok({ type: 'floor:revoke' }, 'host');
    expect(onDeckDuring(room.state, 'm2', room.now + 600_000)).toBeNull();
    expect(nextInLine(room.state, 'm2')).toBe(true);
    room.ok({ type: 'floor:grant', target: { kind: 'next' } }, 'host');
    expect(nextInLine(room.state, 'm2')).toBe(false);
    expect(nextInLine(room.state, 'obs')).toBe(true);
  });
});
