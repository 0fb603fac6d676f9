/**
 * apply(state, event) → state: the pure fold of the log, the same on server and clients.
 * It trusts its input (events were checked by `decide` before they were recorded) and never
 * mutates the state it is given. Each event is folded by the part of the meeting that owns
 * it (see decide.ts for the list).
 */
import type { RoomEvent } from './events.js';
import { foldLifecycle, isLifecycleEvent } from './lifecycle.js';
import { foldMinutes, isMinutesEvent } from './minutes.js';
import { foldMuting, isMutingEvent } from './muting.js';
import { foldParticipants, isParticipantEvent } from './participants.js';
import { foldPolls, isPollEvent } from './polls.js';
import { foldRecording, isRecordingEvent } from './recording.js';
import { foldRollCall, isRollCallEvent } from './rollCall.js';
import { foldSpeaking, isSpeakingEvent } from './speaking.js';
import { foldStage, isStageEvent } from './stage.js';
import type { RoomState } from './state.js';
import { assertNever } from './util.js';

/** Folds one event into the state. */
export function apply(state: RoomState, event: RoomEvent): RoomState {
  const next = fold(state, event, event.at);
  return { ...next, seq: event.seq, hash: event.hash };
}

/** Folds a list of events. */
export function applyAll(state: RoomState, events: readonly RoomEvent[]): RoomState {
  return events.reduce(apply, state);
}

function fold(s: RoomState, e: RoomEvent, at: number): RoomState {
  if (isSpeakingEvent(e)) return foldSpeaking(s, e, at);
  if (isParticipantEvent(e)) return foldParticipants(s, e, at);
  if (isPollEvent(e)) return foldPolls(s, e, at);
  if (isMinutesEvent(e)) return { ...s, minutes: foldMinutes(s.minutes, e, at) };
  if (isRollCallEvent(e)) return foldRollCall(s, e, at);
  if (isMutingEvent(e)) return foldMuting(s, e);
  if (isStageEvent(e)) return foldStage(s, e);
  if (isRecordingEvent(e)) return foldRecording(s, e, at);
  if (isLifecycleEvent(e)) return foldLifecycle(s, e, at);
  return assertNever(e);
}
