/**
 * What each participant may see of the log: by their status, all of it, the lobby's view or
 * nothing (accessOf); within the meeting, what each part shows them. The parts that show
 * different participants different things own that rule next to their other rules: the polls
 * (polls.ts: ballots and results) and the minutes (minutes.ts: their texts). The server
 * filters every event and snapshot through these functions, and asks `dependsOnViewer`
 * whether a batch needs an encoding per viewer at all.
 */
import type { RoomEvent } from './events.js';
import { isMinutesEvent, minutesEventForViewer, minutesForViewer, minutesViewersWithOwnView } from './minutes.js';
import { isPollEvent, pollEventDependsOnViewer, pollEventForViewer, pollsForViewer, pollViewersWithOwnView } from './polls.js';
import { emptyRoom, type RoomState, type Viewer } from './state.js';

export type { Viewer } from './state.js';

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
 * whether it is locked, over or being recorded (录制中: nobody enters a recording without
 * knowing), and their own entry. No other participant, no queue, floor, poll, minutes or
 * recording files.
 */
export function lobbyView(state: RoomState, participantId: string): RoomState {
  const me = state.participants[participantId];
  const empty = emptyRoom(state.id);
  return {
    ...empty,
    recording: { ...empty.recording, on: state.recording.on },
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
 * Of a batch of events, what reaches the lobby: only that the meeting ended, or its recording
 * started or stopped (each carrying nothing else), so that whoever waits learns it. A lobby
 * client folds nothing; any event makes it ask for the room again, and the answer follows its
 * status.
 */
export function eventsForLobby(events: readonly RoomEvent[]): RoomEvent[] {
  return events.filter((e) => e.type === 'room.ended' || e.type === 'recording.started' || e.type === 'recording.stopped');
}

/** Does `event` read differently depending on who looks (so it must be encoded per viewer)? */
export function dependsOnViewer(event: RoomEvent): boolean {
  return (isPollEvent(event) && pollEventDependsOnViewer(event)) || isMinutesEvent(event);
}

/** The event as `viewer` receives it. */
export function eventForViewer(event: RoomEvent, viewer: Viewer): RoomEvent {
  // NOTE: every part that redacts must say so in dependsOnViewer, which the server asks to
  // know whether a batch needs an encoding per viewer at all.
  if (isPollEvent(event)) return pollEventForViewer(event, viewer);
  if (isMinutesEvent(event)) return minutesEventForViewer(event, viewer);
  return event;
}

/** The state as `viewer` may hold it (for a joining or far-behind client). */
export function stateForViewer(state: RoomState, viewer: Viewer): RoomState {
  const polls = pollsForViewer(state, viewer);
  const minutes = minutesForViewer(state, viewer);
  return polls === state.polls && minutes === state.minutes ? state : { ...state, polls, minutes };
}

/**
 * Participants (besides hosts) whose view of `event` differs from an anonymous viewer's: the
 * server sends them their own encoding of a viewer-dependent event.
 */
export function viewersWithOwnView(event: RoomEvent, state: RoomState): string[] {
  if (isPollEvent(event)) return pollViewersWithOwnView(event, state);
  if (isMinutesEvent(event)) return minutesViewersWithOwnView(event, state);
  return [];
}
