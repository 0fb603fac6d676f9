import { describe, expect, test } from 'vitest';
import { fullRoom } from '../../signaling/room/testing.js';
import { canIssue, floorView, micStatus, participantsByVenue, queuePlace } from './roomSelectors.js';
import { initialState, type State } from './store.js';

function as(me: string, room = fullRoom(), micPaused = false): State {
  return {
    ...initialState(),
    phase: 'joined',
    peerId: me,
    room: room.state,
    local: { ...initialState().local, mic: { trackId: 't', producerId: 'p', paused: micPaused } },
  };
}

describe('micStatus()', () => {
  test('a member in a floor-only room waits for the floor until granted', () => {
    const room = fullRoom();
    expect(micStatus(as('m1', room))).toBe('waitingFloor');
    room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm1' } }, 'host');
    expect(micStatus(as('m1', room))).toBe('live');
  });

  test('muting myself wins over everything', () => {
    const room = fullRoom();
    room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm1' } }, 'host');
    expect(micStatus(as('m1', room, true))).toBe('off');
  });

  test('a host mute says so', () => {
    const room = fullRoom();
    room.ok({ type: 'media:forceMute', participantId: 'sec' }, 'host');
    expect(micStatus(as('sec', room))).toBe('mutedByHost');
    expect(micStatus(as('host', room))).toBe('live');
  });

  test('no microphone is none', () => {
    expect(micStatus({ ...as('m1'), local: initialState().local })).toBe('none');
  });
});

describe('panel selectors', () => {
  test('host controls only for roles allowed to use them', () => {
    expect(canIssue(as('host'), 'floor:grant')).toBe(true);
    expect(canIssue(as('m1'), 'floor:grant')).toBe(false);
    expect(canIssue(as('m1'), 'poll:vote')).toBe(true);
    expect(canIssue(as('obs'), 'poll:vote')).toBe(false);
  });

  test('queue place counts from 1; points of order go first', () => {
    const room = fullRoom();
    room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, 'm1');
    room.ok({ type: 'queue:raise', speechType: 'order', note: '' }, 'm2');
    expect(queuePlace(room.state, 'm2')).toBe(1);
    expect(queuePlace(room.state, 'm1')).toBe(2);
    expect(queuePlace(room.state, 'obs')).toBeNull();
  });

  test('a venue on the floor is shown by its name', () => {
    const room = fullRoom();
    room.ok({ type: 'floor:grant', target: { kind: 'venue', venue: 'd2' } }, 'host');
    const floor = room.state.floor;
    if (floor === null) throw new Error('no floor');
    expect(floorView(as('v1', room), floor.holder)).toMatchObject({ name: '二区', isMe: true });
    expect(floorView(as('m1', room), floor.holder)).toMatchObject({ name: '二区', isMe: false });
  });

  test('participants are grouped by venue in the room order', () => {
    const groups = participantsByVenue(fullRoom().state);
    expect(groups.map((g) => g.venue)).toEqual(['city', 'd1', 'd2']);
    expect(groups[1]?.people.map((p) => p.id)).toEqual(['m2']);
  });
});
