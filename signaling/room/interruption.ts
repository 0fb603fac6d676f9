/**
 * A point of order interrupts the speech (程序性问题): the chair pauses the current speech and
 * gives the floor to a queued point of order in one step; when that ends, however it ends
 * (yielded, revoked, expired, its speaker gone), the speech takes the floor back with its clock
 * where it stopped: its limit, extensions and earlier pauses kept, the interruption left out of
 * its spoken time.
 *
 * The speech log records two speeches, each as it ended: the point of order, then the whole
 * interrupted speech with the stretch it waited (`Speech.interruptions`). One speech and not
 * two parts, because the minutes, the speaker's confirmation (核稿) and the venue's quota all
 * count speeches by their entry in the log (`speech:<i>`): a speech cut in two would be two
 * passages to confirm and two turns on the quota. Entries are only ever appended, so every
 * index already written stays what it was.
 *
 * Rules: only the host interrupts, only for a point of order waiting in the list, only a speech
 * that is not itself a point of order (a second point of order waits at the head of the list
 * and alerts the chair; the chair may interrupt again once the speech is back). While a speech
 * waits the chair cannot give the floor to someone else (revoke the waiting speech first:
 * `floor:revoke` with `interrupted`). Its speaker is not on the floor meanwhile, so under
 * floor-only speaking the server keeps their microphone paused (selectors.mayBeHeard) until the
 * speech is back. A waiting speaker who leaves ends their speech there (revoked).
 */
import type { Cmd } from './commands.js';
import type { RoomEventData } from './events.js';
import { accept, refuse, type DecideResult } from './result.js';
import { speechOf } from './speechRecord.js';
import type { Floor, RoomState } from './state.js';
import { mapOne } from './util.js';

/** Host: pause the current speech and give the floor to a queued point of order. */
export function interruptFloor(s: RoomState, c: Cmd<'floor:interrupt'>): DecideResult {
  const floor = s.floor;
  if (!floor) return refuse('INVALID_STATE', 'nobody is speaking: give the point of order the floor instead');
  if (floor.type === 'order') return refuse('INVALID_STATE', 'a point of order has the floor: the next one waits until it ends');
  const entry =
    c.participantId === undefined
      ? s.queue.entries.find((q) => q.type === 'order')
      : s.queue.entries.find((q) => q.participantId === c.participantId && q.type === 'order');
  if (!entry) return refuse('INVALID_STATE', 'no point of order is waiting');
  const limitMs = (c.seconds ?? s.settings.defaultSpeechSeconds) * 1000;
  return accept({
    type: 'floor.interrupted',
    data: { holder: { kind: 'participant', participantId: entry.participantId }, note: entry.note, limitMs },
  });
}

/** Host: end the speech a point of order interrupted, which then never resumes. */
export function revokeInterrupted(s: RoomState): DecideResult {
  if (!s.floor?.interrupted) return refuse('INVALID_STATE', 'no speech is waiting for a point of order');
  return accept({ type: 'floor.interruptedRevoked', data: {} });
}

/** Would a grant now cut off a speech waiting for a point of order? Then the grant is refused. */
export function grantBlocked(s: RoomState): DecideResult | null {
  return s.floor?.interrupted
    ? refuse('INVALID_STATE', 'a speech waits for the point of order on the floor: it resumes when that ends (or revoke it first)')
    : null;
}

/** The point of order takes the floor; the speech it interrupts waits with it, clock stopped. */
export function foldInterrupted(s: RoomState, d: RoomEventData['floor.interrupted'], at: number): RoomState {
  const waiting = s.floor;
  if (!waiting) return s;
  const id = d.holder.kind === 'participant' ? d.holder.participantId : null;
  return {
    ...s,
    participants: id === null ? s.participants : mapOne(s.participants, id, (p) => ({ ...p, speeches: p.speeches + 1 })),
    queue: { ...s.queue, entries: s.queue.entries.filter((q) => q.participantId !== id) },
    floor: {
      holder: d.holder,
      type: 'order',
      note: d.note,
      grantedAt: at,
      limitMs: d.limitMs,
      pausedAt: null,
      pausedMs: 0,
      interrupted: { floor: waiting, at },
    },
  };
}

/**
 * The interrupted speech as it takes the floor back at `at`: a clock that ran before goes on
 * with the interruption left out; one the chair had stopped before stays stopped (its pause
 * covers the interruption too) until the chair restarts it.
 */
export function resumed(interrupted: NonNullable<Floor['interrupted']>, at: number): Floor {
  const f = interrupted.floor;
  const interruptions = [...(f.interruptions ?? []), { from: interrupted.at, to: at }];
  return f.pausedAt === null ? { ...f, pausedMs: f.pausedMs + (at - interrupted.at), interruptions } : { ...f, interruptions };
}

/** The interrupted speech ends (revoked) without resuming: on the record; the point of order goes on. */
export function dropInterrupted(s: RoomState, at: number): RoomState {
  const floor = s.floor;
  const interrupted = floor?.interrupted;
  if (!floor || !interrupted) return s;
  // Its clock stays where the interruption stopped it: the record is the speech as back at `at`, stopped.
  const back = resumed(interrupted, at);
  const stopped: Floor = back.pausedAt === null ? { ...back, pausedAt: at } : back;
  const rest: Floor = { ...floor };
  delete rest.interrupted;
  return { ...s, floor: rest, speeches: [...s.speeches, speechOf(s, stopped, 'revoked', at)] };
}

/** Is `participantId` the speaker of the speech waiting for a point of order? */
export function waitsForFloor(s: RoomState, participantId: string): boolean {
  const holder = s.floor?.interrupted?.floor.holder;
  return holder?.kind === 'participant' && holder.participantId === participantId;
}
