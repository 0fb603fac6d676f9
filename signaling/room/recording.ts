/**
 * The recording (录像) of the meeting's program. The host starts and stops it, and everybody
 * sees 录制中 while it runs; the meeting's end stops it. The server's recorder writes the files
 * and records each one it begins (`system:recordingPart`), so every process knows where the
 * recording's time 0 lies and a process taking over a room goes on in a new part. When the
 * minutes are locked the server reads the files (length, size, SHA-256) into the lock; after
 * that the host may publish the recording to the public.
 */
import type { Cmd, SystemCommand } from './commands.js';
import type { RoomEvent } from './events.js';
import { accept, refuse, type DecideResult } from './result.js';
import type { RecordedPart, RecordingState, RoomState } from './state.js';
import { assertNever } from './util.js';

/** The commands of this part. */
export type RecordingCommand = Cmd<'recording:start' | 'recording:stop' | 'recording:publish'>;

/** The events of this part. */
export type RecordingEvent = Extract<RoomEvent, { type: `recording.${string}` }>;

/** Is `e` a recording event? */
export function isRecordingEvent(e: { type: string }): e is RecordingEvent {
  return e.type.startsWith('recording.');
}

/** Is `c` a recording command? */
export function isRecordingCommand(c: { type: string }): c is RecordingCommand {
  return c.type.startsWith('recording:');
}

/** Publishing comes after the lock, so it outlives the meeting as the minutes' work does. */
export function outlivesMeeting(c: { type: string }): boolean {
  return c.type === 'recording:publish';
}

/** A part's name: what the recorder names its file (`<name>.mp4`), nothing a path could escape with. */
export const PART_NAME = /^[0-9a-z][0-9a-z-]{0,63}$/;

/** Checks a recording command (its issuer's role was checked already) and returns its events. */
export function decideRecording(s: RoomState, c: RecordingCommand): DecideResult {
  switch (c.type) {
    case 'recording:start':
      if (s.recording.on) return refuse('INVALID_STATE', 'the recording is already running');
      return accept({ type: 'recording.started', data: {} });
    case 'recording:stop':
      if (!s.recording.on) return refuse('INVALID_STATE', 'the recording is not running');
      return accept({ type: 'recording.stopped', data: {} });
    case 'recording:publish': {
      if (c.published === s.recording.published) return refuse('INVALID_STATE', c.published ? 'the recording is already published' : 'the recording is not published');
      if (c.published && recordedAtLastLock(s).length === 0) return refuse('INVALID_STATE', 'publish the recording once the minutes are locked with it');
      return accept({ type: 'recording.published', data: { published: c.published } });
    }
    default:
      return assertNever(c);
  }
}

/** The recorder began a part: recorded only while the recording is on, and each name once. */
export function decideRecordingPart(s: RoomState, c: Extract<SystemCommand, { type: 'system:recordingPart' }>): DecideResult {
  if (!s.recording.on || s.ended) return refuse('INVALID_STATE', 'the recording is not running');
  if (!PART_NAME.test(c.name)) return refuse('BAD_REQUEST', `part name ${c.name} is not a part name`);
  if (s.recording.parts.some((p) => p.name === c.name)) return refuse('INVALID_STATE', `part ${c.name} is recorded already`);
  return accept({ type: 'recording.partStarted', data: { name: c.name, startedAt: c.startedAt } });
}

/** The events that stop a running recording, for the meeting's end. */
export function stopRecordingOnEnd(s: RoomState): Array<{ type: 'recording.stopped'; data: Record<string, never> }> {
  return s.recording.on ? [{ type: 'recording.stopped', data: {} }] : [];
}

/** Folds a recording event. */
export function foldRecording(s: RoomState, e: RecordingEvent, at: number): RoomState {
  const r = s.recording;
  return { ...s, recording: foldRecordingState(r, e, at) };
}

function foldRecordingState(r: RecordingState, e: RecordingEvent, at: number): RecordingState {
  switch (e.type) {
    case 'recording.started':
      return { ...r, on: true, stretches: [...r.stretches, { from: at, to: null }] };
    case 'recording.stopped':
      return { ...r, on: false, stretches: r.stretches.map((stretch) => (stretch.to === null ? { ...stretch, to: at } : stretch)) };
    case 'recording.partStarted':
      return { ...r, parts: [...r.parts, { name: e.data.name, startedAt: e.data.startedAt }] };
    case 'recording.published':
      return { ...r, published: e.data.published };
    default:
      return assertNever(e);
  }
}

/** The parts the latest lock read (none when nothing was locked, or nothing recorded then). */
export function recordedAtLastLock(s: RoomState): RecordedPart[] {
  return s.minutes.lockedVersions.at(-1)?.recording?.parts ?? [];
}
