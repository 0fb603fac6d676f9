/**
 * What each participant may see of the log. Until a poll is published, only the host sees
 * its result and named voters' choices (a voter sees their own). Secret ballots never carry
 * choices at all. The server filters every event and snapshot through these functions.
 */
import type { RoomEvent } from './events.js';
import type { Poll, Role, RoomState } from './state.js';

/** Whoever looks at the room. */
export type Viewer = { participantId: string; role: Role };

function seesResults(viewer: Viewer): boolean {
  return viewer.role === 'host';
}

/** The event as `viewer` receives it. */
export function eventForViewer(event: RoomEvent, viewer: Viewer): RoomEvent {
  if (seesResults(viewer)) return event;
  if (event.type === 'poll.voted' && event.data.voterId !== viewer.participantId) {
    return { ...event, data: { pollId: event.data.pollId, voterId: event.data.voterId } };
  }
  if (event.type === 'poll.closed') {
    return { ...event, data: { pollId: event.data.pollId } };
  }
  return event;
}

/** The state as `viewer` may hold it (for a joining or far-behind client). */
export function stateForViewer(state: RoomState, viewer: Viewer): RoomState {
  if (seesResults(viewer)) return state;
  const polls: Record<string, Poll> = {};
  for (const [id, poll] of Object.entries(state.polls)) {
    // Named choices stay with the host even after publication: the event fold agrees.
    const redacted = redactPoll(poll, viewer.participantId);
    polls[id] = poll.status === 'published' ? { ...redacted, result: poll.result } : redacted;
  }
  return { ...state, polls };
}

function redactPoll(poll: Poll, viewerId: string): Poll {
  const own = <T>(record: Record<string, T>): Record<string, T> => {
    const value = record[viewerId];
    return value === undefined ? {} : { [viewerId]: value };
  };
  return { ...poll, choices: own(poll.choices), reasons: own(poll.reasons), result: null };
}
