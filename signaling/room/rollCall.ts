/**
 * The roll call (点名): the chair calls every seat that has been in the meeting
 * (attendance.ts says who that is), seats confirm, the chair ends it. `decideRollCall` checks
 * the rollCall: commands, `foldRollCall` folds the rollCall. events.
 */
import { mayAnswerRollCall, rollCallList } from './attendance.js';
import { accept, refuse, type DecideResult } from './result.js';
import type { RoomState } from './state.js';
import { assertNever } from './util.js';
import { commandsOf, eventsOf, type CommandsOf, type EventsOf } from './parts.js';

/** The commands of this part. */
export type RollCallCommand = CommandsOf<'rollCall:'>;
export const isRollCallCommand = commandsOf('rollCall:');

/** The events of this part. */
export type RollCallEvent = EventsOf<'rollCall.'>;
export const isRollCallEvent = eventsOf('rollCall.');

/** Checks a roll call command (its issuer's role was checked already) and returns its events. */
export function decideRollCall(s: RoomState, c: RollCallCommand, actorId: string): DecideResult {
  const running = s.rollCall !== null && s.rollCall.endedAt === null;
  switch (c.type) {
    case 'rollCall:start':
      if (running) return refuse('INVALID_STATE', 'a roll call is running');
      return accept({ type: 'rollCall.started', data: { expected: rollCallList(s) } });
    case 'rollCall:confirm':
      if (!running) return refuse('INVALID_STATE', 'no roll call is running');
      if (!mayAnswerRollCall(s, actorId)) return refuse('NOT_ELIGIBLE', 'you were not called');
      if (s.rollCall?.confirmed[actorId] !== undefined) return refuse('INVALID_STATE', 'already confirmed');
      return accept({ type: 'rollCall.confirmed', data: { participantId: actorId } });
    case 'rollCall:end':
      if (!running) return refuse('INVALID_STATE', 'no roll call is running');
      return accept({ type: 'rollCall.ended', data: {} });
    default:
      return assertNever(c);
  }
}

/** Folds a roll call event. */
export function foldRollCall(s: RoomState, e: RollCallEvent, at: number): RoomState {
  switch (e.type) {
    case 'rollCall.started':
      return { ...s, rollCall: { startedAt: at, endedAt: null, expected: e.data.expected, confirmed: {} } };
    case 'rollCall.confirmed': {
      if (!s.rollCall) return s;
      // A seat that arrived while the roll call ran answers it too (attendance.ts).
      const id = e.data.participantId;
      const expected = s.rollCall.expected.includes(id) ? s.rollCall.expected : [...s.rollCall.expected, id];
      return { ...s, rollCall: { ...s.rollCall, expected, confirmed: { ...s.rollCall.confirmed, [id]: at } } };
    }
    case 'rollCall.ended':
      return s.rollCall ? { ...s, rollCall: { ...s.rollCall, endedAt: at } } : s;
    default:
      return assertNever(e);
  }
}
