/**
 * What the public sees and hears, as the organiser would state it:
 * - nobody speaks: the chair's picture and the chair's voice;
 * - someone speaks: their picture (their shared screen before their camera) and their voice,
 *   with the chair still heard on its own track;
 * - a speaker whose camera is off: the chair's picture, the speaker's voice;
 * - a venue speaks: its terminal's picture and voice first;
 * - a meeting over, or not yet known: nothing;
 * - the public's own devices, or anyone else's, never make the program.
 */
import { describe, expect, test } from 'vitest';
import { emptyRoom, type Floor, type Participant, type Role, type RoomState } from '../../signaling/room/state.js';
import { programSources, type SourceCandidate } from './programSources.js';

function person(id: string, role: Role, venue = 'city'): Participant {
  return { id, inviteId: id, name: id, role, venue, sector: '', status: 'admitted', online: true, presences: [], forceMuted: false, speeches: 0 };
}

function room(floor: Floor['holder'] | null, extra: Participant[] = []): RoomState {
  const people = [person('chair', 'host'), person('a', 'member'), person('b', 'member', 'd1'), person('d1-terminal', 'venue', 'd1'), person('viewer', 'public'), ...extra];
  return {
    ...emptyRoom('r'),
    participants: Object.fromEntries(people.map((p) => [p.id, p])),
    floor: floor && { holder: floor, type: 'statement', note: '', grantedAt: 0, limitMs: 180_000, pausedAt: null, pausedMs: 0 },
  };
}

/** Everybody's microphone and camera, live; `off` lists producer ids that are paused. */
function producers(off: string[] = [], more: SourceCandidate[] = []): SourceCandidate[] {
  const all: SourceCandidate[] = [];
  for (const peerId of ['chair', 'a', 'b', 'd1-terminal', 'viewer']) {
    all.push({ id: `${peerId}-mic`, peerId, kind: 'audio', source: 'mic', paused: false });
    all.push({ id: `${peerId}-cam`, peerId, kind: 'video', source: 'camera', paused: false });
  }
  return [...all, ...more].map((p) => ({ ...p, paused: off.includes(p.id) }));
}

describe('programSources', () => {
  test.each([
    ['nobody speaks', room(null), producers(), { video: 'chair-cam', floorAudio: null, chairAudio: 'chair-mic' }],
    ['a member speaks', room({ kind: 'participant', participantId: 'a' }), producers(), { video: 'a-cam', floorAudio: 'a-mic', chairAudio: 'chair-mic' }],
    [
      'a member speaks and shares a screen',
      room({ kind: 'participant', participantId: 'a' }),
      producers([], [{ id: 'a-screen', peerId: 'a', kind: 'video', source: 'screen', paused: false }]),
      { video: 'a-screen', floorAudio: 'a-mic', chairAudio: 'chair-mic' },
    ],
    ["a member speaks with the camera off", room({ kind: 'participant', participantId: 'a' }), producers(['a-cam']), { video: 'chair-cam', floorAudio: 'a-mic', chairAudio: 'chair-mic' }],
    // A muted microphone is still the floor's track: it is silent, and the media policy decides whether it may be heard.
    ['a member speaks, muted', room({ kind: 'participant', participantId: 'a' }), producers(['a-mic']), { video: 'a-cam', floorAudio: 'a-mic', chairAudio: 'chair-mic' }],
    ['a venue speaks', room({ kind: 'venue', venue: 'd1' }), producers(), { video: 'd1-terminal-cam', floorAudio: 'd1-terminal-mic', chairAudio: 'chair-mic' }],
    ['the chair holds the floor', room({ kind: 'participant', participantId: 'chair' }), producers(), { video: 'chair-cam', floorAudio: 'chair-mic', chairAudio: null }],
    ['nobody sends anything', room({ kind: 'participant', participantId: 'a' }), [], { video: null, floorAudio: null, chairAudio: null }],
    ['the meeting is over', { ...room({ kind: 'participant', participantId: 'a' }), ended: true }, producers(), { video: null, floorAudio: null, chairAudio: null }],
    ['the room is not known yet', undefined, producers(), { video: null, floorAudio: null, chairAudio: null }],
  ])('%s', (_, state, candidates, expected) => {
    expect(programSources(state, candidates)).toEqual(expected);
  });

  test('a public viewer is never on the program, whatever the state says', () => {
    const state = room({ kind: 'participant', participantId: 'viewer' });
    const chosen = programSources(state, producers());
    expect(Object.values(chosen).some((id) => id?.startsWith('viewer'))).toBe(false);
  });

  test('a participant who left (not admitted) is not on the program', () => {
    const state = room({ kind: 'participant', participantId: 'a' });
    const gone = { ...state, participants: { ...state.participants, a: { ...person('a', 'member'), status: 'left' as const } } };
    expect(programSources(gone, producers())).toEqual({ video: 'chair-cam', floorAudio: null, chairAudio: 'chair-mic' });
  });
});
