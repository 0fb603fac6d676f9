/**
 * What a change of the room means someone should notice at once: a person waiting at the door
 * or a raised hand for whoever runs the meeting, a new ballot for a voter, the floor coming to
 * me or ending. Pure: the previous and the next state in, the notices out; RoomClient keeps
 * them in the store and rings the chime, the Notices panel shows them.
 */
import { mayIssue } from '../../../signaling/room/roles.js';
import { floorClock, waitingClock } from '../../../signaling/room/floorClock.js';
import { holdsFloor } from '../../../signaling/room/selectors.js';
import type { RoomState, SpeechEnd, SpeechType } from '../../../signaling/room/state.js';

/** One notice; `id` is stable for the same happening, so a repeated state adds nothing twice. */
export type Notice =
  | { kind: 'lobbyWaiting'; id: string; participantId: string; name: string }
  | { kind: 'handRaised'; id: string; participantId: string; name: string; type: SpeechType }
  | { kind: 'pollOpened'; id: string; pollId: string }
  | { kind: 'floorGranted'; id: string; limitMs: number }
  | { kind: 'floorEnded'; id: string; end: SpeechEnd | 'other' }
  /** My speech waits for a point of order, with this much time left (interruption.ts). */
  | { kind: 'floorInterrupted'; id: string; remainingMs: number }
  /** My speech is back after a point of order, with this much time left. */
  | { kind: 'floorResumed'; id: string; remainingMs: number }
  /** Hosts: the public's live HLS stream failed and is restarting (`stream:status`); gone when it is live again. */
  | { kind: 'streamFailing'; id: string }
  /** Hosts: the recorder failed and is restarting in a new part (`recording:status`); gone when it records again. */
  | { kind: 'recordingFailing'; id: string };

/** The id of the stream notice: one at a time, dismissed by the server's `live`. */
export const STREAM_FAILING_NOTICE = 'stream:failing';
/** The id of the recorder's notice, as the stream's. */
export const RECORDING_FAILING_NOTICE = 'recording:failing';

/** Whether a notice should be heard as well as seen (things that ask the person to act). */
export function rings(notice: Notice): boolean {
  return notice.kind !== 'floorEnded' && notice.kind !== 'floorInterrupted' && notice.kind !== 'streamFailing' && notice.kind !== 'recordingFailing';
}

/** Is the speech waiting for a point of order mine (I speak in it, personally or with my venue)? */
function waitingIsMine(room: RoomState, me: string): boolean {
  const waiting = room.floor?.interrupted?.floor;
  return waiting !== undefined && holdsFloor({ ...room, floor: waiting }, me);
}

/**
 * The notices for me when the room goes from `previous` (null: the first state after joining)
 * to `next`. Joining a room where people already wait tells the chair so; a ballot already
 * open when I join opens for me too.
 */
export function noticesFor(previous: RoomState | null, next: RoomState, me: string): Notice[] {
  const self = next.participants[me];
  if (self === undefined || self.status !== 'admitted' || next.ended) return [];
  const notices: Notice[] = [];
  // Runs on every event the room receives: each part is looked at only when the fold gave it a
  // new object (it keeps the old one when an event leaves that part alone).
  if (mayIssue(self.role, 'lobby:admit') && previous?.participants !== next.participants) {
    for (const p of Object.values(next.participants)) {
      if (p.status !== 'lobby' || previous?.participants[p.id]?.status === 'lobby') continue;
      notices.push({ kind: 'lobbyWaiting', id: `lobby:${p.id}:${next.seq}`, participantId: p.id, name: p.name });
    }
  }
  // Hands already up when I (re)join are in the speakers tab; only new ones ring.
  if (mayIssue(self.role, 'floor:grant') && previous !== null && previous.queue !== next.queue) {
    const before = new Set(previous?.queue.entries.map((e) => `${e.participantId}:${e.raisedAt}`) ?? []);
    for (const entry of next.queue.entries) {
      if (entry.participantId === me || before.has(`${entry.participantId}:${entry.raisedAt}`)) continue;
      const name = next.participants[entry.participantId]?.name ?? '';
      notices.push({ kind: 'handRaised', id: `hand:${entry.participantId}:${entry.raisedAt}`, participantId: entry.participantId, name, type: entry.type });
    }
  }
  for (const pollId of previous?.polls === next.polls ? [] : next.pollOrder) {
    const poll = next.polls[pollId];
    if (poll === undefined || poll.status !== 'open' || previous?.polls[pollId]?.status === 'open') continue;
    if (poll.eligible.includes(me) && !poll.voted.includes(me)) notices.push({ kind: 'pollOpened', id: `poll:${pollId}`, pollId });
  }
  const heldBefore = previous !== null && holdsFloor(previous, me);
  const holdsNow = holdsFloor(next, me);
  const back = previous !== null && waitingIsMine(previous, me);
  if (holdsNow && !heldBefore && next.floor !== null && back) {
    // My speech is back after a point of order: the same speech goes on, with the time it had.
    const resumedAt = next.floor.interruptions?.at(-1)?.to ?? next.floor.grantedAt;
    const remainingMs = floorClock(next.floor, next.settings, resumedAt).remainingMs;
    notices.push({ kind: 'floorResumed', id: `floorResumed:${next.floor.grantedAt}:${resumedAt}`, remainingMs });
  } else if (holdsNow && !heldBefore && next.floor !== null) {
    notices.push({ kind: 'floorGranted', id: `floor:${next.floor.grantedAt}`, limitMs: next.floor.limitMs });
  }
  if (back && !holdsNow && !waitingIsMine(next, me) && previous.floor?.interrupted !== undefined) {
    // My waiting speech ended without coming back (the chair ended it, or the meeting did).
    const grantedAt = previous.floor.interrupted.floor.grantedAt;
    const speech = next.speeches.find((s) => s.startedAt === grantedAt);
    notices.push({ kind: 'floorEnded', id: `floorEnded:${grantedAt}`, end: speech?.end ?? 'other' });
  }
  const waiting = next.floor?.interrupted;
  if (heldBefore && !holdsNow && waiting !== undefined && waitingIsMine(next, me)) {
    const remainingMs = waitingClock(waiting, next.settings).remainingMs;
    notices.push({ kind: 'floorInterrupted', id: `floorInterrupted:${waiting.floor.grantedAt}:${waiting.at}`, remainingMs });
  } else if (heldBefore && !holdsNow && previous.floor !== null) {
    const grantedAt = previous.floor.grantedAt;
    const speech = next.speeches.find((s) => s.startedAt === grantedAt);
    notices.push({ kind: 'floorEnded', id: `floorEnded:${grantedAt}`, end: speech?.end ?? 'other' });
  }
  return notices;
}

/**
 * Is the notice still about something that needs doing? A person admitted meanwhile, a hand
 * taken down or given the floor, a ballot cast or closed: the notice goes away by itself.
 */
export function stillRelevant(notice: Notice, room: RoomState, me: string): boolean {
  switch (notice.kind) {
    case 'lobbyWaiting':
      return room.participants[notice.participantId]?.status === 'lobby';
    case 'handRaised':
      return room.queue.entries.some((e) => e.participantId === notice.participantId && `hand:${e.participantId}:${e.raisedAt}` === notice.id);
    case 'pollOpened': {
      const poll = room.polls[notice.pollId];
      return poll !== undefined && poll.status === 'open' && !poll.voted.includes(me);
    }
    case 'floorGranted':
      return holdsFloor(room, me);
    case 'floorEnded':
      return true;
    case 'floorInterrupted':
      return waitingIsMine(room, me);
    case 'floorResumed':
      return holdsFloor(room, me);
    case 'streamFailing':
    case 'recordingFailing':
      return true;
  }
}
