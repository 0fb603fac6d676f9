/**
 * What a point of order interrupting the speech asks each participant to notice: the chair is
 * alerted (and may interrupt from the notice), the interrupted speaker is told their speech
 * waits with its time left and then that it is back; nobody else is told anything.
 */
import { describe, expect, test } from 'vitest';
import type { RoomState } from '../../../signaling/room/state.js';
import { fullRoom, type TestRoom } from '../../../signaling/room/testing.js';
import { noticesFor, rings, stillRelevant, type Notice } from './notices.js';
import { onDeckDuring } from './onDeck.js';
import { pointOfOrderToTake } from './pointOfOrder.js';

/** The notices each participant gets for one step of the meeting. */
function step(room: TestRoom, act: () => void): Record<string, Notice[]> {
  const before: RoomState = room.state;
  act();
  const out: Record<string, Notice[]> = {};
  for (const id of Object.keys(room.state.participants)) {
    const notices = noticesFor(before, room.state, id);
    if (notices.length > 0) out[id] = notices;
  }
  return out;
}

/** m2 speaks for two minutes; after 50 s obs raises a point of order. */
function speaking(): TestRoom {
  const room = fullRoom();
  room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm2' }, seconds: 120 }, 'host');
  room.advance(50_000);
  return room;
}

describe('a point of order interrupting the speech, as notices', () => {
  test('raised while someone speaks: the chair alone is alerted, urgently and audibly; it is the one to take', () => {
    const room = speaking();
    const told = step(room, () => room.ok({ type: 'queue:raise', speechType: 'order', note: '偏离议题' }, 'obs'));
    expect(Object.keys(told)).toEqual(['host']);
    expect(told['host']).toEqual([expect.objectContaining({ kind: 'handRaised', type: 'order', participantId: 'obs' })]);
    expect(told['host']?.every(rings)).toBe(true);
    expect(pointOfOrderToTake(room.state)?.participantId).toBe('obs');
  });

  test('the speaker is told their speech waits with its time left (no chime), then that it is back with that time', () => {
    const room = speaking();
    room.ok({ type: 'queue:raise', speechType: 'order', note: '' }, 'obs');
    const paused = step(room, () => room.ok({ type: 'floor:interrupt' }, 'host'));
    expect(paused['m2']).toEqual([expect.objectContaining({ kind: 'floorInterrupted', remainingMs: 70_000 })]);
    expect(paused['m2']?.some(rings)).toBe(false);
    expect(Object.keys(paused).sort()).toEqual(['m2', 'obs']);
    expect(paused['obs']?.map((n) => n.kind)).toEqual(['floorGranted']);
    // Nothing left to interrupt for.
    expect(pointOfOrderToTake(room.state)).toBeNull();

    const waiting = paused['m2']?.[0];
    room.advance(40_000);
    const back = step(room, () => room.ok({ type: 'floor:yield' }, 'obs'));
    expect(back['m2']).toEqual([expect.objectContaining({ kind: 'floorResumed', remainingMs: 70_000 })]);
    expect(back['m2']?.every(rings)).toBe(true);
    expect(back['obs']?.map((n) => n.kind)).toEqual(['floorEnded']);
    // The waiting notice goes once the speech is back.
    expect(waiting && stillRelevant(waiting, room.state, 'm2')).toBe(false);
  });

  test('a waiting speech the chair ends is told as ended, and nothing comes back after the point of order', () => {
    const room = speaking();
    room.ok({ type: 'queue:raise', speechType: 'order', note: '' }, 'obs');
    room.ok({ type: 'floor:interrupt' }, 'host');
    const ended = step(room, () => room.ok({ type: 'floor:revoke', interrupted: true }, 'host'));
    expect(ended).toEqual({ m2: [expect.objectContaining({ kind: 'floorEnded', end: 'revoked' })] });
    const afterwards = step(room, () => room.ok({ type: 'floor:yield' }, 'obs'));
    expect(afterwards['m2']).toBeUndefined();
  });

  test('the next in line is not on deck while a point of order runs: the interrupted speech comes back first', () => {
    const room = speaking();
    room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, 'm1');
    room.ok({ type: 'queue:raise', speechType: 'order', note: '' }, 'obs');
    room.ok({ type: 'floor:interrupt', seconds: 60 }, 'host');
    room.advance(45_000);
    // The point of order is within its warning, yet m1 waits for the speech after it.
    expect(onDeckDuring(room.state, 'm1', room.now)).toBeNull();
    room.ok({ type: 'floor:yield' }, 'obs');
    // Back: 70 s left, more than the 30 s warning; at the warning m1 is on deck for that speech.
    expect(onDeckDuring(room.state, 'm1', room.now)).toBeNull();
    room.advance(40_000);
    expect(onDeckDuring(room.state, 'm1', room.now)).toBe(room.state.floor?.grantedAt);
  });

  test('no point of order to take while a point of order itself has the floor, or nobody speaks', () => {
    const room = fullRoom();
    room.ok({ type: 'queue:raise', speechType: 'order', note: '' }, 'obs');
    expect(pointOfOrderToTake(room.state)).toBeNull();
    room.ok({ type: 'floor:grant', target: { kind: 'next' } }, 'host');
    room.ok({ type: 'queue:raise', speechType: 'order', note: '' }, 'm1');
    expect(pointOfOrderToTake(room.state)).toBeNull();
  });
});
