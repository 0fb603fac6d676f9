/**
 * The host's hold on microphones: force-mute one participant, mute everybody, allow unmuting.
 * A mute holds against the floor too: muting whoever is speaking also stops their speech,
 * which the host chooses to end or to pause (and the log records which). Who may be heard at
 * any moment is `mayBeHeard` (selectors.ts), which the server's media policy enforces.
 */
import type { Cmd } from './commands.js';
import type { NewRoomEvent } from './events.js';
import { accept, refuse, type DecideResult } from './result.js';
import type { RoomState } from './state.js';
import { assertNever, mapAll, mapOne } from './util.js';
import { commandsOf, eventsOf, type CommandsOf, type EventsOf } from './parts.js';

/** The commands of this part. */
export type MutingCommand = CommandsOf<'media:'>;
export const isMutingCommand = commandsOf('media:');

/** The events of this part. */
export type MutingEvent = EventsOf<'media.'>;
export const isMutingEvent = eventsOf('media.');

/** Checks a muting command (its issuer's role was checked already) and returns its events. */
export function decideMuting(s: RoomState, c: MutingCommand): DecideResult {
  switch (c.type) {
    case 'media:forceMute':
      return forceMute(s, c);
    case 'media:muteAll':
      return muteAll(s, c);
    case 'media:allowUnmute':
      return allowUnmute(s, c);
    default:
      return assertNever(c);
  }
}

/** Folds a muting event. */
export function foldMuting(s: RoomState, e: MutingEvent): RoomState {
  switch (e.type) {
    case 'media.forceMuted':
      return { ...s, participants: mapOne(s.participants, e.data.participantId, (p) => ({ ...p, forceMuted: true })) };
    case 'media.allMuted':
      return { ...s, allMuted: true };
    case 'media.unmuteAllowed': {
      // No ids: everybody, and the mute of all is lifted too.
      const ids = new Set(e.data.participantIds);
      const everybody = ids.size === 0;
      return {
        ...s,
        allMuted: everybody ? false : s.allMuted,
        participants: mapAll(s.participants, (p) => (everybody || ids.has(p.id) ? { ...p, forceMuted: false } : p)),
      };
    }
    default:
      return assertNever(e);
  }
}

/** What the host wants done with a running speech when muting its speaker. */
export type FloorOnMute = 'end' | 'pause';

/**
 * The floor events of muting while someone speaks: none when nobody speaks (or the clock is
 * already stopped), the host's choice otherwise; a refusal when the host did not choose.
 */
function stopTheSpeech(s: RoomState, choice: FloorOnMute | undefined): NewRoomEvent[] | 'choose' {
  if (!s.floor || s.floor.pausedAt !== null) return [];
  if (choice === undefined) return 'choose';
  return choice === 'end' ? [{ type: 'floor.ended', data: { end: 'revoked' } }] : [{ type: 'floor.paused', data: {} }];
}

const CHOOSE = 'someone is speaking: say whether their speech ends or pauses (floor: "end" | "pause")';

/** Host: mute one participant until allowed again. */
function forceMute(s: RoomState, c: Cmd<'media:forceMute'>): DecideResult {
  const p = s.participants[c.participantId];
  if (!p || p.status !== 'admitted') return refuse('NOT_FOUND', 'no such participant');
  if (p.role === 'host') return refuse('INVALID_STATE', 'the host cannot be muted');
  if (p.forceMuted) return refuse('INVALID_STATE', 'already muted');
  const speaking = s.floor?.holder.kind === 'participant' && s.floor.holder.participantId === p.id;
  const floor = speaking ? stopTheSpeech(s, c.floor) : [];
  if (floor === 'choose') return refuse('BAD_REQUEST', CHOOSE);
  return accept(...floor, { type: 'media.forceMuted', data: { participantId: p.id } });
}

/** Host: mute everybody but the host and the secretaries, the one speaking included. */
function muteAll(s: RoomState, c: Cmd<'media:muteAll'>): DecideResult {
  const floor = stopTheSpeech(s, c.floor);
  if (floor === 'choose') return refuse('BAD_REQUEST', CHOOSE);
  return accept(...floor, { type: 'media.allMuted', data: {} });
}

/** Host: let one participant (or, without an id, everybody) unmute again. */
function allowUnmute(s: RoomState, c: Cmd<'media:allowUnmute'>): DecideResult {
  if (c.participantId === undefined) return accept({ type: 'media.unmuteAllowed', data: { participantIds: [] } });
  const p = s.participants[c.participantId];
  if (!p) return refuse('NOT_FOUND', 'no such participant');
  return accept({ type: 'media.unmuteAllowed', data: { participantIds: [p.id] } });
}
