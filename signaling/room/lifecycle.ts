/**
 * The meeting itself: created by the server, its settings changed by the chair, the chair
 * handed to someone present, and the end. `decideLifecycle` checks the room: commands (and
 * `decideCreate` the server's system:create), `foldLifecycle` folds the room. events.
 */
import type { SystemCommand } from './commands.js';
import { closePresence } from './participants.js';
import { accept, refuse, type DecideContext, type DecideResult } from './result.js';
import { FORMER_CHAIR_ROLE, mayTakeChair } from './roles.js';
import { endEverySpeech, withoutSpeaker } from './speaking.js';
import { DEFAULT_SETTINGS, type RoomState } from './state.js';
import { stopRecordingOnEnd } from './recording.js';
import { assertNever, mapAll, mapOne } from './util.js';
import { commandsOf, eventsOf, type CommandsOf, type EventsOf } from './parts.js';

/** The chair's commands of this part. */
export type LifecycleCommand = CommandsOf<'room:'>;
export const isLifecycleCommand = commandsOf('room:');

/** The events of this part. */
export type LifecycleEvent = EventsOf<'room.'>;
export const isLifecycleEvent = eventsOf('room.');

/** The server creates the room with its consultation's facts. */
export function decideCreate(s: RoomState, c: Extract<SystemCommand, { type: 'system:create' }>): DecideResult {
  if (s.seq !== 0) return refuse('INVALID_STATE', 'room exists');
  const { topic, startsAt, endsAt, venues, settings } = c;
  return accept({ type: 'room.created', data: { info: { topic, startsAt, endsAt, venues }, settings: { ...DEFAULT_SETTINGS, ...settings } } });
}

/** Checks a command about the meeting itself (its issuer's role was checked already). */
export function decideLifecycle(s: RoomState, c: LifecycleCommand, actorId: string, ctx: DecideContext): DecideResult {
  switch (c.type) {
    case 'room:settings': {
      const { type: _type, ...settings } = c;
      const merged = { ...s.settings, ...settings };
      if (merged.warningSeconds >= merged.defaultSpeechSeconds) {
        return refuse('BAD_REQUEST', 'the warning must come before the end of the default speaking time');
      }
      return accept({ type: 'room.settingsChanged', data: { settings } });
    }
    case 'room:end':
      // A recording running to the end stops there, in the log, so its last stretch has an end.
      return accept(...stopRecordingOnEnd(s), { type: 'room.ended', data: ctx.commentCounts ? { comments: ctx.commentCounts } : {} });
    case 'room:handOver': {
      const p = s.participants[c.participantId];
      if (!p) return refuse('NOT_FOUND', 'no such participant');
      if (p.id === actorId) return refuse('INVALID_STATE', 'you already chair the meeting');
      // Present: admitted and connected now, so that the meeting is never left with a chair who is not there.
      if (p.status !== 'admitted' || !p.online) return refuse('INVALID_STATE', `${p.name} is not present in the meeting`);
      if (!mayTakeChair(p.role)) return refuse('NOT_ELIGIBLE', `a ${p.role} cannot take the chair`);
      return accept({ type: 'room.chairHandedOver', data: { from: actorId, to: p.id } });
    }
    default:
      return assertNever(c);
  }
}

/** Folds an event about the meeting itself. */
export function foldLifecycle(s: RoomState, e: LifecycleEvent, at: number): RoomState {
  switch (e.type) {
    case 'room.created':
      return { ...s, info: e.data.info, settings: e.data.settings, createdAt: at };
    case 'room.settingsChanged':
      return { ...s, settings: { ...s.settings, ...e.data.settings } };
    case 'room.ended': {
      const participants = mapAll(s.participants, (p) => closePresence(p, at));
      // The stage comes down with the meeting; the counts the store held then go on the record.
      const comments = { ...s.comments, countsAtEnd: e.data.comments ?? null };
      return { ...endEverySpeech(s, at), participants, ended: true, queue: { ...s.queue, entries: [] }, stage: null, comments };
    }
    case 'room.chairHandedOver': {
      const { from, to } = e.data;
      // The new chair's hand comes down and a speech of theirs ends: the chair does not queue.
      const cleared = withoutSpeaker(s, to, at);
      const participants = mapOne(mapOne(cleared.participants, to, (p) => ({ ...p, role: 'host' as const })), from, (p) => ({
        ...p,
        role: FORMER_CHAIR_ROLE,
      }));
      return { ...cleared, participants };
    }
    default:
      return assertNever(e);
  }
}
