import { describe, expect, test } from 'vitest';
import type { RoomCommand } from './commands.js';
import type { RecordingSummary, Role } from './state.js';
import { fullRoom, ROLE_IDS, type TestRoom } from './testing.js';
import { eventsForLobby, lobbyView } from './visibility.js';

const system = { kind: 'system' } as const;
const SHA = 'ab'.repeat(32);

/**
 * Who may do what with the recording, written out here rather than read from roles.ts: the
 * host alone starts, stops and publishes it; every other role is refused.
 */
const NOT_THE_HOST: Role[] = ['secretary', 'member', 'venue', 'observer', 'department', 'public'];

function part(room: TestRoom, name: string): ReturnType<TestRoom['run']> {
  return room.run({ type: 'system:recordingPart', name, startedAt: room.now }, system);
}

/** The meeting recorded in one part of 10 minutes, ended, and its minutes locked with the files read. */
function recordedEndedLocked(): TestRoom {
  const room = fullRoom();
  room.ok({ type: 'recording:start' }, 'host');
  room.ok({ type: 'system:recordingPart', name: 'part-1', startedAt: room.now }, system);
  room.advance(600_000);
  room.ok({ type: 'room:end' }, 'host');
  room.recordingSummary = summary(room.state.recording.parts[0]?.startedAt ?? 0);
  room.ok({ type: 'minutes:lock' }, 'sec');
  return room;
}

function summary(startedAt: number): RecordingSummary {
  return { parts: [{ name: 'part-1', startedAt, durationMs: 600_000, bytes: 123_456, sha256: SHA }] };
}

describe('recording:start and recording:stop', () => {
  test('the host starts and stops the recording; each start opens a stretch and each stop closes it', () => {
    const room = fullRoom();
    const startedAt = room.now;
    expect(room.ok({ type: 'recording:start' }, 'host').map((e) => e.type)).toEqual(['recording.started']);
    expect(room.state.recording.on).toBe(true);
    room.advance(60_000);
    expect(room.ok({ type: 'recording:stop' }, 'host').map((e) => e.type)).toEqual(['recording.stopped']);
    expect(room.state.recording).toMatchObject({ on: false, stretches: [{ from: startedAt, to: startedAt + 60_000 }] });
  });

  for (const role of NOT_THE_HOST) {
    test(`recording:start, recording:stop and recording:publish by the ${role} get FORBIDDEN`, () => {
      const room = recordedEndedLocked();
      const stillOn = fullRoom();
      stillOn.ok({ type: 'recording:start' }, 'host');
      const id = ROLE_IDS[role];
      expect(fullRoom().run({ type: 'recording:start' }, id)).toMatchObject({ ok: false, error: 'FORBIDDEN' });
      expect(stillOn.run({ type: 'recording:stop' }, id)).toMatchObject({ ok: false, error: 'FORBIDDEN' });
      expect(stillOn.state.recording.on).toBe(true);
      expect(room.run({ type: 'recording:publish', published: true }, id)).toMatchObject({ ok: false, error: 'FORBIDDEN' });
      expect(room.state.recording.published).toBe(false);
    });
  }

  test('recording:start while the recording runs gets INVALID_STATE and opens no second stretch', () => {
    const room = fullRoom();
    room.ok({ type: 'recording:start' }, 'host');
    expect(room.run({ type: 'recording:start' }, 'host')).toMatchObject({ ok: false, error: 'INVALID_STATE' });
    expect(room.state.recording.stretches).toHaveLength(1);
  });

  test('recording:stop when nothing is recorded gets INVALID_STATE, before any start and after a stop', () => {
    const room = fullRoom();
    expect(room.run({ type: 'recording:stop' }, 'host')).toMatchObject({ ok: false, error: 'INVALID_STATE' });
    room.ok({ type: 'recording:start' }, 'host');
    room.ok({ type: 'recording:stop' }, 'host');
    expect(room.run({ type: 'recording:stop' }, 'host')).toMatchObject({ ok: false, error: 'INVALID_STATE' });
  });

  test('the meeting ending while it records logs recording.stopped before room.ended and closes the stretch', () => {
    const room = fullRoom();
    room.ok({ type: 'recording:start' }, 'host');
    room.advance(90_000);
    const events = room.ok({ type: 'room:end' }, 'host');
    expect(events.map((e) => e.type)).toEqual(['recording.stopped', 'room.ended']);
    expect(room.state.recording.on).toBe(false);
    expect(room.state.recording.stretches.at(-1)?.to).toBe(room.now);
  });

  test('the meeting ending without a recording logs no recording.stopped', () => {
    const room = fullRoom();
    expect(room.ok({ type: 'room:end' }, 'host').map((e) => e.type)).toEqual(['room.ended']);
  });
});

describe('system:recordingPart', () => {
  test('a part begun while recording is logged with the time its file starts', () => {
    const room = fullRoom();
    room.ok({ type: 'recording:start' }, 'host');
    room.advance(2_000);
    expect(part(room, 'part-1')).toMatchObject({ ok: true });
    expect(room.state.recording.parts).toEqual([{ name: 'part-1', startedAt: room.now }]);
  });

  test('a part is refused with INVALID_STATE when the recording is off, before any start and after a stop', () => {
    const room = fullRoom();
    expect(part(room, 'part-1')).toMatchObject({ ok: false, error: 'INVALID_STATE' });
    room.ok({ type: 'recording:start' }, 'host');
    room.ok({ type: 'recording:stop' }, 'host');
    expect(part(room, 'part-2')).toMatchObject({ ok: false, error: 'INVALID_STATE' });
    expect(room.state.recording.parts).toEqual([]);
  });

  test('a part whose name was logged already is refused with INVALID_STATE', () => {
    const room = fullRoom();
    room.ok({ type: 'recording:start' }, 'host');
    part(room, 'part-1');
    expect(part(room, 'part-1')).toMatchObject({ ok: false, error: 'INVALID_STATE' });
    expect(room.state.recording.parts).toHaveLength(1);
  });

  for (const name of ['', '../etc/passwd', 'Part-1', '-leading-dash', 'part 1', 'part.mp4', 'x'.repeat(65)]) {
    const shown = name.length > 20 ? `${name.slice(0, 8)}…(${name.length})` : name;
    test(`a part named ${JSON.stringify(shown)} is refused and not logged`, () => {
      const room = fullRoom();
      room.ok({ type: 'recording:start' }, 'host');
      const seq = room.state.seq;
      expect(part(room, name)).toMatchObject({ ok: false });
      expect(room.state.seq).toBe(seq);
    });
  }

  test('a participant sending system:recordingPart, the host included, gets FORBIDDEN', () => {
    const room = fullRoom();
    room.ok({ type: 'recording:start' }, 'host');
    const command: RoomCommand = { type: 'system:recordingPart', name: 'part-1', startedAt: room.now };
    for (const id of Object.values(ROLE_IDS)) expect(room.run(command, id)).toMatchObject({ ok: false, error: 'FORBIDDEN' });
    expect(room.state.recording.parts).toEqual([]);
  });
});

describe('recording:publish', () => {
  test('the lock records the recording summary the server read', () => {
    const room = recordedEndedLocked();
    const lock = room.log.find((e) => e.type === 'minutes.locked');
    expect(lock?.type === 'minutes.locked' ? lock.data.recording : undefined).toEqual(room.recordingSummary);
    expect(room.state.minutes.lockedVersions.at(-1)?.recording).toEqual(room.recordingSummary);
  });

  test('the host publishes after the meeting ended and the lock, and may withdraw it', () => {
    const room = recordedEndedLocked();
    expect(room.state.ended).toBe(true);
    expect(room.ok({ type: 'recording:publish', published: true }, 'host')).toMatchObject([{ type: 'recording.published', data: { published: true } }]);
    expect(room.state.recording.published).toBe(true);
    expect(room.run({ type: 'recording:publish', published: true }, 'host')).toMatchObject({ ok: false, error: 'INVALID_STATE' });
    room.ok({ type: 'recording:publish', published: false }, 'host');
    expect(room.state.recording.published).toBe(false);
  });

  test('publishing before the minutes are locked with a recording gets INVALID_STATE', () => {
    const room = fullRoom();
    room.ok({ type: 'recording:start' }, 'host');
    part(room, 'part-1');
    expect(room.run({ type: 'recording:publish', published: true }, 'host')).toMatchObject({ ok: false, error: 'INVALID_STATE' });
    room.ok({ type: 'room:end' }, 'host');
    expect(room.run({ type: 'recording:publish', published: true }, 'host')).toMatchObject({ ok: false, error: 'INVALID_STATE' });
    expect(room.state.recording.published).toBe(false);
  });

  test('publishing after a lock of a meeting never recorded gets INVALID_STATE', () => {
    const room = fullRoom();
    room.ok({ type: 'room:end' }, 'host');
    room.ok({ type: 'minutes:lock' }, 'sec');
    expect(room.run({ type: 'recording:publish', published: true }, 'host')).toMatchObject({ ok: false, error: 'INVALID_STATE' });
  });
});

describe('someone waiting in the lobby', () => {
  test('sees 录制中 while the meeting is recorded, and nothing of the recording’s files', () => {
    const room = fullRoom();
    room.arrive('late', 'member', 'd1');
    expect(lobbyView(room.state, 'late').recording.on).toBe(false);
    const started = room.ok({ type: 'recording:start' }, 'host');
    const logged = part(room, 'part-1');
    expect(logged.ok).toBe(true);
    expect(lobbyView(room.state, 'late').recording).toEqual({ on: true, stretches: [], parts: [], published: false });
    // The lobby is told of the start (to ask for the room again), never of the files.
    expect(eventsForLobby([...started, ...room.log.slice(-1)]).map((e) => e.type)).toEqual(['recording.started']);
    const stopped = room.ok({ type: 'recording:stop' }, 'host');
    expect(eventsForLobby(stopped).map((e) => e.type)).toEqual(['recording.stopped']);
    expect(lobbyView(room.state, 'late').recording.on).toBe(false);
  });
});
