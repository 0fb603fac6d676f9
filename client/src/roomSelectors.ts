/**
 * What the meeting panels show, derived from the folded room and the client state by pure
 * functions (the shared selectors in signaling/room/selectors.ts answer the rules; these
 * answer "what does this screen need").
 */
import type { ClientCommandType } from '../../signaling/room/commands.js';
import { commentsPartOf, mayIssue } from '../../signaling/room/roles.js';
import { holdsFloor, mayBeHeard } from '../../signaling/room/selectors.js';
import type { FloorHolder, Participant, Role, RoomState } from '../../signaling/room/state.js';
import type { State } from './store.js';

/** How my microphone stands, as the mic button explains it. */
export type MicStatus = 'none' | 'off' | 'live' | 'waitingFloor' | 'mutedByHost';

/** Me as a participant of the room, once known. */
export function myParticipant(state: State): Participant | null {
  const { room, peerId } = state;
  if (room === null || peerId === null) return null;
  return room.participants[peerId] ?? null;
}

/** My role: from the room once joined, else from the invite. */
export function myRole(state: State): Role | null {
  const me = myParticipant(state);
  if (me !== null) return me.role;
  return state.invite.kind === 'ready' ? state.invite.info.invite.role : null;
}

/** May I issue this command at all (so its control is shown)? */
export function canIssue(state: State, command: ClientCommandType): boolean {
  const role = myRole(state);
  return role !== null && mayIssue(role, command);
}

/** My part in public comments during the meeting (roles.ts: commentsPartOf); none before I have a role. */
export function commentsPart(role: Role | null): 'moderate' | 'answer' | null {
  return role === null ? null : commentsPartOf(role);
}

/**
 * Do I have a part in the minutes: keeping them, or adding to them (a written statement, my
 * own passages to confirm)? The public has none.
 */
export function takesPartInMinutes(role: Role | null): boolean {
  return role !== null && (mayIssue(role, 'minutes:edit') || mayIssue(role, 'minutes:submitStatement'));
}

/**
 * My microphone: off when I muted myself; otherwise live only while the room lets me be
 * heard, else waiting for the floor or muted by the host (the server holds it paused).
 */
export function micStatus(state: State): MicStatus {
  const mic = state.local.mic;
  if (mic === null) return 'none';
  if (mic.paused) return 'off';
  const { room, peerId } = state;
  if (room === null || peerId === null) return state.micRefused ? 'waitingFloor' : 'live';
  if (mayBeHeard(room, peerId)) return 'live';
  const me = room.participants[peerId];
  if (me?.forceMuted === true || (room.allMuted && !holdsFloor(room, peerId))) return 'mutedByHost';
  return 'waitingFloor';
}

/** The speaking time (seconds) the host gives with the next floor: as chosen, else the room's default. */
export function speechSeconds(state: State, room: RoomState): number {
  return state.speechSeconds ?? room.settings.defaultSpeechSeconds;
}

/** Is the floor held by exactly this holder (this person, or this venue as a whole)? */
export function floorHeldBy(room: RoomState, holder: FloorHolder): boolean {
  const current = room.floor?.holder;
  if (current === undefined) return false;
  if (current.kind === 'participant') return holder.kind === 'participant' && holder.participantId === current.participantId;
  return holder.kind === 'venue' && holder.venue === current.venue;
}

/** A venue's display name (its id if unknown). */
export function venueName(room: RoomState, venueId: string): string {
  return room.info.venues.find((v) => v.id === venueId)?.name ?? venueId;
}

/** My place in the list of speakers (1 = next), or null when my hand is down. */
export function queuePlace(room: RoomState, participantId: string | null): number | null {
  if (participantId === null) return null;
  const index = room.queue.entries.findIndex((q) => q.participantId === participantId);
  return index === -1 ? null : index + 1;
}

/** Who is shown on the stage for the floor holder. */
export type FloorView = {
  name: string;
  venue: string;
  /** The participant whose camera is shown (the holder, or a terminal of the venue). */
  cameraOf: string | null;
  isMe: boolean;
};

/** The stage's view of a floor holder. */
export function floorView(state: State, holder: FloorHolder): FloorView {
  const room = state.room;
  if (room === null) return { name: '', venue: '', cameraOf: null, isMe: false };
  if (holder.kind === 'participant') {
    const p = room.participants[holder.participantId];
    return {
      name: p?.name ?? holder.participantId,
      venue: p === undefined ? '' : venueName(room, p.venue),
      cameraOf: holder.participantId,
      isMe: holder.participantId === state.peerId,
    };
  }
  // A venue speaks through its terminal(s): show the first one with a camera.
  const inVenue = Object.values(room.participants).filter(
    (p) => p.venue === holder.venue && p.status === 'admitted' && p.role !== 'public',
  );
  const withCamera = (p: Participant): boolean =>
    p.id === state.peerId
      ? state.local.camera !== null
      : Object.values(state.consumers).some((c) => c.peerId === p.id && c.source === 'camera');
  const shown = inVenue.find((p) => p.role === 'venue' && withCamera(p)) ?? inVenue.find(withCamera) ?? null;
  return {
    name: venueName(room, holder.venue),
    venue: venueName(room, holder.venue),
    cameraOf: shown?.id ?? null,
    isMe: holdsFloor(room, state.peerId ?? ''),
  };
}

/** The camera consumer of a participant, if I receive one (the newest, as on their tile). */
export function cameraConsumerOf(state: State, participantId: string): string | null {
  const c = Object.values(state.consumers)
    .reverse()
    .find((x) => x.peerId === participantId && x.source === 'camera' && x.kind === 'video');
  return c?.id ?? null;
}

/** Participants of the meeting (admitted), grouped by venue in the room's venue order. */
export function participantsByVenue(room: RoomState): Array<{ venue: string; name: string; people: Participant[] }> {
  const admitted = Object.values(room.participants).filter((p) => p.status === 'admitted');
  const groups = room.info.venues.map((v) => ({ venue: v.id, name: v.name, people: admitted.filter((p) => p.venue === v.id) }));
  const known = new Set(room.info.venues.map((v) => v.id));
  const strays = admitted.filter((p) => !known.has(p.venue));
  if (strays.length > 0) groups.push({ venue: '', name: '—', people: strays });
  return groups;
}

/** People present now: admitted and online. */
export function presentCount(room: RoomState): number {
  return Object.values(room.participants).filter((p) => p.status === 'admitted' && p.online).length;
}
