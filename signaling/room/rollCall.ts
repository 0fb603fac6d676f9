/**
 * The roll call (点名): the chair calls every seat that has been in the meeting
 * (attendance.ts says who that is), seats confirm, the chair ends it. A click is not enough:
 * a seat is present when it confirms AND the server heard its microphone carry sound within
 * the minute before (or at any time after, while the roll call runs). What was heard is the
 * server's observation (server/media/MicActivity.ts), passed to decide (DecideContext.mic) or
 * sent as `system:micHeard`, never a client's claim.
 *
 * Venue terminals also report how many members sit in their hall (`rollCall:headcount`): the
 * quorum counts them instead of the terminal as one (attendance.ts).
 *
 * `decideRollCall` checks the rollCall: commands, `foldRollCall` folds the rollCall. events.
 */
import { mayAnswerRollCall, rollCallList } from './attendance.js';
import type { Cmd } from './commands.js';
import { accept, refuse, type DecideContext, type DecideResult } from './result.js';
import type { RollCall, RoomState } from './state.js';
import { assertNever } from './util.js';
import { commandsOf, eventsOf, type CommandsOf, type EventsOf } from './parts.js';

/** The commands of this part. */
export type RollCallCommand = CommandsOf<'rollCall:'>;
export const isRollCallCommand = commandsOf('rollCall:');

/** The events of this part. */
export type RollCallEvent = EventsOf<'rollCall.'>;
export const isRollCallEvent = eventsOf('rollCall.');

/** Sound heard this long before a confirm still vouches for it: "live audio in the last minute". */
export const LIVE_AUDIO_MS = 60_000;

/**
 * The most members a terminal may report for a hall whose venue the organiser gave no
 * expected number: a large district hall, not a typo's 10 000.
 */
export const HALL_MAX_MEMBERS = 500;

/**
 * Where one called seat stands in the roll call, as the chair reads it:
 * - `present`: confirmed, and its microphone heard (the only answer that counts as present);
 * - `silent`: confirmed, but its microphone was not heard;
 * - `noMic`: confirmed without sending any microphone (a venue's hall microphone counts as one);
 * - `heard`: its microphone was heard, but it has not confirmed;
 * - `none`: neither.
 */
export type RollCallAnswer = 'present' | 'silent' | 'noMic' | 'heard' | 'none';

/** The answer of one participant to a roll call. A roll call of an old log (no `media`) took a confirm alone. */
export function rollCallAnswer(rc: RollCall, participantId: string): RollCallAnswer {
  const confirmedAt = rc.confirmed[participantId];
  if (rc.media === undefined) return confirmedAt === undefined ? 'none' : 'present';
  const heardAt = rc.media.heard[participantId];
  if (confirmedAt === undefined) return heardAt === undefined ? 'none' : 'heard';
  if (heardAt !== undefined && heardAt >= confirmedAt - LIVE_AUDIO_MS) return 'present';
  return rc.media.noMic.includes(participantId) ? 'noMic' : 'silent';
}

/** How many of those called are present (confirmed and heard). */
export function presentCount(rc: RollCall): number {
  const called = new Set([...rc.expected, ...Object.keys(rc.confirmed)]);
  return [...called].filter((id) => rollCallAnswer(rc, id) === 'present').length;
}

/**
 * Would hearing this participant's microphone now change the roll call (a running roll call
 * checked by media, a seat it calls, not yet heard in a way that counts)? The server asks
 * before it records `system:micHeard`, so a speaker heard every second adds nothing to the log.
 */
export function wantsMicHeard(s: RoomState, participantId: string): boolean {
  const rc = s.rollCall;
  if (rc === null || rc.endedAt !== null || rc.media === undefined || !mayAnswerRollCall(s, participantId)) return false;
  const answer = rollCallAnswer(rc, participantId);
  return answer === 'none' || answer === 'silent' || answer === 'noMic';
}

/** The server heard a participant's microphone: recorded when it changes their standing, else nothing. */
export function decideMicHeard(s: RoomState, participantId: string): DecideResult {
  return wantsMicHeard(s, participantId) ? accept({ type: 'rollCall.heard', data: { participantId } }) : accept();
}

/** Checks a roll call command (its issuer's role was checked already) and returns its events. */
export function decideRollCall(s: RoomState, c: RollCallCommand, actorId: string, ctx: DecideContext): DecideResult {
  const running = s.rollCall !== null && s.rollCall.endedAt === null;
  switch (c.type) {
    case 'rollCall:start':
      if (running) return refuse('INVALID_STATE', 'a roll call is running');
      return accept({ type: 'rollCall.started', data: { expected: rollCallList(s), media: true } });
    case 'rollCall:confirm': {
      if (!running) return refuse('INVALID_STATE', 'no roll call is running');
      if (!mayAnswerRollCall(s, actorId)) return refuse('NOT_ELIGIBLE', 'you were not called');
      if (s.rollCall?.confirmed[actorId] !== undefined) return refuse('INVALID_STATE', 'already confirmed');
      // A roll call started before the check by media (an old log still running) takes the click alone.
      if (s.rollCall?.media === undefined) return accept({ type: 'rollCall.confirmed', data: { participantId: actorId } });
      const heard = ctx.mic?.heardAt ?? null;
      const heardAt = heard !== null && heard >= ctx.now - LIVE_AUDIO_MS && heard <= ctx.now ? heard : null;
      return accept({ type: 'rollCall.confirmed', data: { participantId: actorId, heardAt, mic: ctx.mic?.hasMic ?? false } });
    }
    case 'rollCall:end':
      if (!running) return refuse('INVALID_STATE', 'no roll call is running');
      return accept({ type: 'rollCall.ended', data: {} });
    case 'rollCall:headcount':
      return decideHeadcount(s, c, actorId);
    default:
      return assertNever(c);
  }
}

/** The most members a terminal of `venue` may report: what the organiser expects there, else HALL_MAX_MEMBERS. */
export function headcountLimit(s: RoomState, venue: string): number {
  const expected = s.info.venues.find((v) => v.id === venue)?.expectedMembers ?? 0;
  return expected > 0 ? expected : HALL_MAX_MEMBERS;
}

function decideHeadcount(s: RoomState, c: Cmd<'rollCall:headcount'>, actorId: string): DecideResult {
  const me = s.participants[actorId];
  if (!me) return refuse('NOT_JOINED', 'not a participant of this room');
  const limit = headcountLimit(s, me.venue);
  if (c.count > limit) return refuse('BAD_REQUEST', `at most ${limit} members are expected in this hall`);
  if (me.headcount?.count === c.count) return accept();
  return accept({ type: 'rollCall.headcount', data: { participantId: actorId, venue: me.venue, count: c.count } });
}

/** Folds a roll call event. */
export function foldRollCall(s: RoomState, e: RollCallEvent, at: number): RoomState {
  switch (e.type) {
    case 'rollCall.started':
      return {
        ...s,
        rollCall: {
          startedAt: at,
          endedAt: null,
          expected: e.data.expected,
          confirmed: {},
          ...(e.data.media === true ? { media: { heard: {}, noMic: [] } } : {}),
        },
      };
    case 'rollCall.confirmed': {
      if (!s.rollCall) return s;
      const id = e.data.participantId;
      const rc = answering(s.rollCall, id);
      const media = rc.media && {
        heard: typeof e.data.heardAt === 'number' ? heardAt(rc.media.heard, id, e.data.heardAt) : rc.media.heard,
        noMic: e.data.mic === false && !rc.media.noMic.includes(id) ? [...rc.media.noMic, id] : rc.media.noMic,
      };
      return { ...s, rollCall: { ...rc, confirmed: { ...rc.confirmed, [id]: at }, ...(media ? { media } : {}) } };
    }
    case 'rollCall.heard': {
      if (!s.rollCall?.media) return s;
      const rc = answering(s.rollCall, e.data.participantId);
      return { ...s, rollCall: { ...rc, media: { ...s.rollCall.media, heard: heardAt(s.rollCall.media.heard, e.data.participantId, at) } } };
    }
    case 'rollCall.ended':
      return s.rollCall ? { ...s, rollCall: { ...s.rollCall, endedAt: at } } : s;
    case 'rollCall.headcount': {
      const p = s.participants[e.data.participantId];
      if (!p) return s;
      return { ...s, participants: { ...s.participants, [p.id]: { ...p, headcount: { count: e.data.count, at } } } };
    }
    default:
      return assertNever(e);
  }
}

/** A seat that arrived while the roll call ran answers it too (attendance.ts): it joins those called. */
function answering(rc: RollCall, id: string): RollCall {
  return rc.expected.includes(id) ? rc : { ...rc, expected: [...rc.expected, id] };
}

function heardAt(heard: Record<string, number>, id: string, at: number): Record<string, number> {
  const before = heard[id];
  return before !== undefined && before >= at ? heard : { ...heard, [id]: at };
}
