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
import { foldPolls, foldVote, isPollEvent, type BallotDraft } from './polls.js';
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
  return folder(state)(events);
}

/**
 * A fold of many events in steps, for a caller that keeps only the latest state (a batch of
 * commands, each decided on the state the ones before it made): each call folds more events
 * onto the state the last call returned and returns the new one. It equals `apply` event by
 * event, but the votes on a poll copy the poll's record of ballots once per folder, not once
 * per vote (a vote storm's votes would copy a record that grows with the voters). The price:
 * a state this returned may change when it folds more, so only the latest is to be used (and
 * handed on once the folding is done); `start`, and any state not returned by this folder,
 * never changes.
 */
export function folder(start: RoomState): (events: readonly RoomEvent[]) => RoomState {
  let state = start;
  const drafts = new Map<string, BallotDraft>();
  return (events) => {
    let s = state;
    for (const event of events) {
      const next = event.type === 'poll.voted' ? foldVote(s, event, drafts) : fold(s, event, event.at);
      s = { ...next, seq: event.seq, hash: event.hash };
    }
    // Only a step folded whole moves on (a caller that catches a failed fold goes on from the state before it).
    state = s;
    return s;
  };
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
