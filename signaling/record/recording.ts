/**
 * The recording in the minutes: its files as the lock read them (a draft lists the parts the
 * log knows, without length or hash), and where each speech starts in it.
 */
import type { RecordingSummary, RoomState, Speech } from '../room/state.js';
import type { RecordingRecord, SpeechRecord } from './types.js';

/** The record's recording section; undefined when nothing was recorded. */
export function recordingSection(state: RoomState, read: RecordingSummary | undefined): RecordingRecord | undefined {
  if (read && read.parts.length > 0) return { parts: read.parts.map(({ name, startedAt, durationMs, bytes, sha256 }) => ({ name, startedAt, durationMs, bytes, sha256 })) };
  if (state.recording.parts.length === 0) return undefined;
  return { parts: state.recording.parts.map(({ name, startedAt }) => ({ name, startedAt, durationMs: null, bytes: null, sha256: null })) };
}

/**
 * Where `speech` starts in the recording: the latest part begun before the speech ended that
 * still ran when it started (a draft part of unknown length is taken to run on), at the offset
 * of the speech's start, or 0 when the part began during the speech. Null when no part covers it.
 */
export function recordingAt(recording: RecordingRecord, speech: Pick<Speech, 'startedAt' | 'endedAt'>): SpeechRecord['recordingAt'] {
  for (let part = recording.parts.length - 1; part >= 0; part--) {
    const { startedAt, durationMs } = recording.parts[part]!;
    if (startedAt >= speech.endedAt) continue;
    if (durationMs !== null && startedAt + durationMs <= speech.startedAt) return null;
    return { part, offsetMs: Math.max(0, speech.startedAt - startedAt) };
  }
  return null;
}
