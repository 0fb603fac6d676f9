/**
 * The record's 录像: the parts the log knows (a draft) or the lock read, and where each speech
 * starts in them; and a meeting never recorded keeps the record's old shape, so the content
 * hashes locks recorded before recordings existed still hold.
 */
import { describe, expect, test } from 'vitest';
import { fullRoom, type TestRoom } from '../room/testing.js';
import type { RecordingSummary } from '../room/state.js';
import { recordingAt } from './recording.js';
import { minutesRecord, minutesSkeleton } from './skeleton.js';
import { recordedMeeting } from './testing.js';
import { MinutesSchema, type RecordingRecord } from './types.js';

const system = { kind: 'system' } as const;
const SECOND = 1000;

function speak(room: TestRoom, who: string, ms: number, during?: (room: TestRoom) => void): void {
  room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: who } }, 'host');
  if (during) during(room);
  room.advance(ms);
  room.ok({ type: 'floor:revoke' }, 'host');
}

function beginPart(room: TestRoom, name: string): number {
  room.ok({ type: 'system:recordingPart', name, startedAt: room.now }, system);
  return room.now;
}

/**
 * A meeting whose speeches fall everywhere a recording can put them: before it (0), in its
 * first part (1), in the part a restarted recorder began (2), across the start of a third part
 * (3), and after the host stopped it (4).
 */
function recordedStory(): { room: TestRoom; starts: number[] } {
  const room = fullRoom();
  room.advance(10 * SECOND);
  speak(room, 'm1', 60 * SECOND);
  room.ok({ type: 'recording:start' }, 'host');
  // The recorder's file starts a little after the host's click.
  room.advance(2 * SECOND);
  const first = beginPart(room, 'part-1');
  room.advance(30 * SECOND);
  speak(room, 'm2', 60 * SECOND);
  room.advance(10 * SECOND);
  // The process recording the room went away; the one taking the room over goes on in a new file.
  const second = beginPart(room, 'part-2');
  room.advance(20 * SECOND);
  speak(room, 'm1', 45 * SECOND);
  room.advance(5 * SECOND);
  let third = 0;
  speak(room, 'v1', 60 * SECOND, (r) => {
    r.advance(15 * SECOND);
    third = beginPart(r, 'part-3');
  });
  room.advance(5 * SECOND);
  room.ok({ type: 'recording:stop' }, 'host');
  room.advance(30 * SECOND);
  speak(room, 'm2', 30 * SECOND);
  room.ok({ type: 'room:end' }, 'host');
  return { room, starts: [first, second, third] };
}

describe('the recording in the record', () => {
  const { room, starts } = recordedStory();
  const [first = 0, second = 0, third = 0] = starts;
  const draft = minutesSkeleton(room.state);
  const speechStart = room.state.speeches.map((s) => s.startedAt);

  test('a draft lists the parts the log knows, in order, without length, size or hash', () => {
    expect(draft.recording).toEqual({
      parts: [
        { name: 'part-1', startedAt: first, durationMs: null, bytes: null, sha256: null },
        { name: 'part-2', startedAt: second, durationMs: null, bytes: null, sha256: null },
        { name: 'part-3', startedAt: third, durationMs: null, bytes: null, sha256: null },
      ],
    });
    expect(MinutesSchema.parse(draft)).toEqual(draft);
  });

  test('a speech before any part has recordingAt null', () => {
    expect(draft.speeches[0]).toHaveProperty('recordingAt', null);
  });

  test('a speech inside a part starts at its offset from the part’s time 0', () => {
    expect(draft.speeches[1]?.recordingAt).toEqual({ part: 0, offsetMs: (speechStart[1] ?? 0) - first });
    expect(draft.speeches[1]?.recordingAt?.offsetMs).toBe(30 * SECOND);
  });

  test('a speech after a restart is found in the second part, not the first', () => {
    expect(draft.speeches[2]?.recordingAt).toEqual({ part: 1, offsetMs: 20 * SECOND });
  });

  test('a speech during which a part began is found at offset 0 of that part', () => {
    expect(third).toBeGreaterThan(speechStart[3] ?? 0);
    expect(draft.speeches[3]?.recordingAt).toEqual({ part: 2, offsetMs: 0 });
  });

  test('in a draft a part of unknown length runs on; a locked part whose length ended before the speech leaves it null', () => {
    // Speech 4 came after the host stopped: the draft cannot know where part-3 ends.
    expect(draft.speeches[4]?.recordingAt).toEqual({ part: 2, offsetMs: (speechStart[4] ?? 0) - third });
    const read: RecordingSummary = {
      parts: [
        { name: 'part-1', startedAt: first, durationMs: second - first, bytes: 1_000, sha256: 'a'.repeat(64) },
        { name: 'part-2', startedAt: second, durationMs: third - second, bytes: 2_000, sha256: 'b'.repeat(64) },
        { name: 'part-3', startedAt: third, durationMs: 50 * SECOND, bytes: 3_000, sha256: 'c'.repeat(64) },
      ],
    };
    room.recordingSummary = read;
    room.ok({ type: 'minutes:lock' }, 'sec');
    const locked = minutesRecord(room.state, 1);
    expect(locked?.lockedAt).not.toBeNull();
    expect(locked?.recording).toEqual(read);
    expect(locked?.speeches.map((s) => s.recordingAt)).toEqual([
      null,
      { part: 0, offsetMs: 30 * SECOND },
      { part: 1, offsetMs: 20 * SECOND },
      { part: 2, offsetMs: 0 },
      null,
    ]);
    expect(MinutesSchema.parse(locked)).toEqual(locked);
  });
});

describe('recordingAt()', () => {
  const record = (...parts: Array<[number, number | null]>): RecordingRecord => ({
    parts: parts.map(([startedAt, durationMs], i) => ({ name: `p${i}`, startedAt, durationMs, bytes: null, sha256: null })),
  });

  test('a locked part that ended before the speech started gives null, even with no later part', () => {
    expect(recordingAt(record([0, 1_000]), { startedAt: 5_000, endedAt: 9_000 })).toBeNull();
    // Ending exactly as the speech starts leaves none of it recorded.
    expect(recordingAt(record([0, 5_000]), { startedAt: 5_000, endedAt: 9_000 })).toBeNull();
    expect(recordingAt(record([0, 5_001]), { startedAt: 5_000, endedAt: 9_000 })).toEqual({ part: 0, offsetMs: 5_000 });
  });

  test('a part begun after the speech ended does not cover it', () => {
    expect(recordingAt(record([10_000, null]), { startedAt: 5_000, endedAt: 9_000 })).toBeNull();
    expect(recordingAt(record([0, null], [10_000, null]), { startedAt: 5_000, endedAt: 9_000 })).toEqual({ part: 0, offsetMs: 5_000 });
  });

  test('a part begun at the very moment a speech ended does not take it from the part that recorded it', () => {
    expect(recordingAt(record([0, null], [9_000, null]), { startedAt: 5_000, endedAt: 9_000 })).toEqual({ part: 0, offsetMs: 5_000 });
  });
});

describe('a meeting never recorded', () => {
  const m = minutesSkeleton(recordedMeeting().state);

  test('its record keeps the shape it had before recordings: no recording key, no recordingAt on any speech', () => {
    // Listed here on purpose: a key added to an unrecorded record changes every content hash
    // a lock recorded before it, and the verifier would refuse those locked exports.
    expect(Object.keys(m)).toEqual([
      'format', 'roomId', 'topic', 'plannedStart', 'plannedEnd', 'actualStart', 'actualEnd', 'ended', 'quorumPercent',
      'attendance', 'speeches', 'polls', 'rollCall', 'conclusions', 'actions', 'statements', 'version', 'lockedAt', 'seq', 'chainHead',
    ]);
    expect(m.speeches.length).toBeGreaterThan(0);
    for (const s of m.speeches) {
      expect(Object.keys(s)).toEqual(['speaker', 'byVenue', 'venue', 'venueName', 'sector', 'type', 'startedAt', 'spokenMs', 'note', 'text', 'status', 'proposed']);
    }
  });

  test('a recording started and stopped without any part begun leaves the record as if never recorded', () => {
    const room = fullRoom();
    speak(room, 'm1', 10 * SECOND);
    room.ok({ type: 'recording:start' }, 'host');
    room.ok({ type: 'recording:stop' }, 'host');
    const record = minutesSkeleton(room.state);
    expect(record).not.toHaveProperty('recording');
    expect(record.speeches[0]).not.toHaveProperty('recordingAt');
  });
});
