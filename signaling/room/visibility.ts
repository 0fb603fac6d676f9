/**
 * What each participant may see of the log. Until a poll is published, only those who keep
 * the minutes (the host and the secretary) see its result once it has closed: the secretary
 * writes the result into the minutes whether or not the host announces it. Named voters'
 * choices stay with the host (a voter sees their own); secret ballots never carry choices at
 * all. The minutes' texts are for the host and the secretary; a speaker sees the text of their
 * own speech sections, an author their own written statements. The server filters every
 * event and snapshot through these functions.
 */
import type { RoomEvent } from './events.js';
import { currentContent, sectionSpeaker } from './minutes.js';
import { keepsMinutes } from './roles.js';
import { emptyRoom, type MinutesContent, type MinutesSection, type MinutesState, type Poll, type Role, type RoomState } from './state.js';

/** Whoever looks at the room. */
export type Viewer = { participantId: string; role: Role };

/**
 * How much of the meeting a participant's connections may see, by their status: all of it as
 * far as their role allows (`full`: admitted, or back after the meeting for the minutes), the
 * topic and their own entry while waiting to be admitted (`lobby`), nothing once turned away
 * or gone (`none`: their connections are closed).
 */
export type Access = 'full' | 'lobby' | 'none';

/** The access a participant's status gives. */
export function accessOf(state: RoomState, participantId: string): Access {
  const p = state.participants[participantId];
  if (!p) return 'none';
  switch (p.status) {
    case 'admitted':
      return 'full';
    case 'lobby':
      return 'lobby';
    case 'left':
      // After the meeting those who come back for the minutes (核稿) are recorded as 'left'.
      return state.ended ? 'full' : 'none';
    case 'denied':
    case 'removed':
      return 'none';
  }
}

/**
 * The room as someone in the lobby sees it: the consultation's facts (topic, venues, times),
 * whether it is locked or over, and their own entry. No other participant, no queue, floor,
 * poll or minutes.
 */
export function lobbyView(state: RoomState, participantId: string): RoomState {
  const me = state.participants[participantId];
  return {
    ...emptyRoom(state.id),
    info: state.info,
    settings: state.settings,
    createdAt: state.createdAt,
    seq: state.seq,
    hash: state.hash,
    ended: state.ended,
    participants: me ? { [participantId]: me } : {},
  };
}

/**
 * Of a batch of events, what reaches the lobby: only that the meeting ended (carrying nothing
 * else), so that whoever waits learns it. A lobby client folds nothing; any event makes it ask
 * for the room again, and the answer follows its status.
 */
export function eventsForLobby(events: readonly RoomEvent[]): RoomEvent[] {
  return events.filter((e) => e.type === 'room.ended');
}

/** Does `event` read differently depending on who looks (so it must be encoded per viewer)? */
export function dependsOnViewer(event: RoomEvent): boolean {
  return event.type === 'poll.voted' || event.type === 'poll.closed' || event.type.startsWith('minutes.');
}

function seesResults(viewer: Viewer): boolean {
  return viewer.role === 'host';
}

/**
 * The result of a closed poll: counts, quorum, outcome and the anonymous reasons — what the
 * minutes record. Never anyone's choices: those stay with the host (named polls) or nowhere
 * (secret polls).
 */
function seesClosedResults(viewer: Viewer): boolean {
  return keepsMinutes(viewer.role);
}

/** The event as `viewer` receives it. */
export function eventForViewer(event: RoomEvent, viewer: Viewer): RoomEvent {
  // NOTE: every redaction below must be behind dependsOnViewer, which the server asks to know
  // whether a batch needs an encoding per viewer at all.
  if (seesResults(viewer) || !dependsOnViewer(event)) return event;
  if (event.type.startsWith('minutes.')) return minutesEventForViewer(event, viewer);
  if (event.type === 'poll.voted' && event.data.voterId !== viewer.participantId) {
    return { ...event, data: { pollId: event.data.pollId, voterId: event.data.voterId } };
  }
  if (event.type === 'poll.closed' && !seesClosedResults(viewer)) {
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
    const resultShown = poll.status === 'published' || (poll.status === 'closed' && seesClosedResults(viewer));
    polls[id] = resultShown ? { ...redacted, result: poll.result } : redacted;
  }
  return { ...state, polls, minutes: minutesForViewer(state, viewer) };
}

/**
 * Participants (besides hosts) whose view of `event` differs from an anonymous viewer's: the
 * server sends them their own encoding of a viewer-dependent event.
 */
export function viewersWithOwnView(event: RoomEvent, state: RoomState): string[] {
  if (event.type === 'poll.voted') return [event.data.voterId];
  if (event.type !== 'poll.closed' && !event.type.startsWith('minutes.')) return [];
  const staff = Object.values(state.participants)
    .filter((p) => p.role === 'secretary')
    .map((p) => p.id);
  // The secretary receives a closed poll's result (see seesClosedResults).
  if (event.type === 'poll.closed') return staff;
  const owner = minutesEventOwner(event);
  return owner === null ? staff : [...staff, owner];
}

/** The participant whose own text a minutes event carries (a speaker or an author), if any. */
function minutesEventOwner(event: RoomEvent): string | null {
  switch (event.type) {
    case 'minutes.statementSubmitted':
      return event.data.participantId;
    case 'minutes.edited':
    case 'minutes.correctionProposed':
    case 'minutes.correctionAccepted':
      return event.data.speakerId;
    default:
      return null;
  }
}

/** Withholds minutes texts from those who do not keep the minutes, but for their own. */
function minutesEventForViewer(event: RoomEvent, viewer: Viewer): RoomEvent {
  if (keepsMinutes(viewer.role) || minutesEventOwner(event) === viewer.participantId) return event;
  switch (event.type) {
    case 'minutes.edited': {
      const { text: _text, ...rest } = event.data;
      return { ...event, data: rest };
    }
    case 'minutes.correctionAccepted': {
      const { text: _text, ...rest } = event.data;
      return { ...event, data: rest };
    }
    case 'minutes.correctionProposed': {
      const { text: _text, ...rest } = event.data;
      return { ...event, data: rest };
    }
    case 'minutes.actionAdded':
      return { ...event, data: { actionId: event.data.actionId } };
    case 'minutes.statementSubmitted':
      return { ...event, data: { participantId: event.data.participantId } };
    default:
      return event;
  }
}

function minutesForViewer(state: RoomState, viewer: Viewer): MinutesState {
  const m = state.minutes;
  if (keepsMinutes(viewer.role)) return m;
  // A locked version's content is the content folded so far, so it is withheld the same way.
  const lockedVersions = m.lockedVersions.map((v) => ({ ...v, content: contentForViewer(state, v.content, viewer) }));
  return { ...m, ...contentForViewer(state, currentContent(m), viewer), lockedVersions };
}

function contentForViewer(state: RoomState, content: MinutesContent, viewer: Viewer): MinutesContent {
  const sections: Record<string, MinutesSection> = {};
  for (const [key, section] of Object.entries(content.sections)) {
    if (sectionSpeaker(state, key) === viewer.participantId) {
      sections[key] = section;
      continue;
    }
    const confirmation = section.confirmation.status === 'correctionProposed' ? { status: 'correctionProposed' as const, text: '' } : section.confirmation;
    sections[key] = { ...section, text: '', confirmation };
  }
  return {
    sections,
    actions: [],
    statements: content.statements.filter((st) => st.participantId === viewer.participantId),
  };
}

function redactPoll(poll: Poll, viewerId: string): Poll {
  const own = <T>(record: Record<string, T>): Record<string, T> => {
    const value = record[viewerId];
    return value === undefined ? {} : { [viewerId]: value };
  };
  return { ...poll, choices: own(poll.choices), reasons: own(poll.reasons), result: null };
}
