/**
 * decide(state, command, actor, context) → events or a refusal: authorization and every rule
 * of the meeting. Pure: time and the secret ballot box come in through `context`.
 */
import { mayAnswerRollCall, rollCallList } from './attendance.js';
import type { ClientCommand, RoomCommand, SystemCommand } from './commands.js';
import type { NewRoomEvent } from './events.js';
import { decideMinutes, isMinutesCommand } from './minutes.js';
import type { DecideContext } from './result.js';
import * as polls from './polls.js';
import { accept, refuse, type DecideResult, type SecretBallot } from './result.js';
import * as muting from './muting.js';
import { seatOf } from './seats.js';
import { isStaff, mayIssue, mayTakeChair } from './roles.js';
import { admittedOnArrival, lobby } from './selectors.js';
import * as speaking from './speaking.js';
import { decideStage, isStageCommand, withdrawComment } from './stage.js';
import { DEFAULT_SETTINGS, type RoomState } from './state.js';
import { assertNever } from './util.js';

/** Who issues a command: a participant of the room, or the server itself. */
export type CommandActor = { kind: 'participant'; id: string } | { kind: 'system' };


/** Checks a command against the state and returns the events it causes. */
export function decide(state: RoomState, command: RoomCommand, actor: CommandActor, ctx: DecideContext): DecideResult {
  if (isSystemCommand(command)) {
    if (actor.kind !== 'system') return refuse('FORBIDDEN', 'system commands come from the server only');
    return decideSystem(state, command, ctx);
  }
  if (actor.kind !== 'participant') return refuse('FORBIDDEN', 'client commands need a participant');
  return decideClient(state, command, actor.id, ctx);
}

function isSystemCommand(c: RoomCommand): c is SystemCommand {
  return c.type.startsWith('system:');
}

function decideClient(s: RoomState, c: ClientCommand, actorId: string, ctx: DecideContext): DecideResult {
  if (s.seq === 0) return refuse('NOT_FOUND', 'no such room');
  // The minutes are finished after the meeting (核稿), so their commands outlive it.
  const minutesWork = isMinutesCommand(c);
  if (s.ended && !minutesWork) return refuse('MEETING_ENDED', 'the meeting has ended');
  const me = s.participants[actorId];
  if (!me) return refuse('NOT_JOINED', 'not a participant of this room');
  if (me.status === 'lobby') return refuse('IN_LOBBY', 'waiting for the host to admit you');
  // Once the meeting is over, everybody has left sooner or later; they still answer for the minutes.
  const present = me.status === 'admitted' || (s.ended && minutesWork && me.status === 'left');
  if (!present) return refuse('FORBIDDEN', `you are ${me.status}`);
  if (!mayIssue(me.role, c.type)) return refuse('FORBIDDEN', `a ${me.role} may not ${c.type}`);
  if (isMinutesCommand(c)) return decideMinutes(s, c, actorId, ctx);
  if (isStageCommand(c)) return decideStage(s, c, ctx);

  switch (c.type) {
    case 'lobby:admit': {
      const p = s.participants[c.participantId];
      if (!p || p.status !== 'lobby') return refuse('NOT_FOUND', 'nobody by that id in the lobby');
      return accept({ type: 'participant.admitted', data: { participantIds: [p.id] } });
    }
    case 'lobby:admitAll': {
      const ids = lobby(s).map((p) => p.id);
      return ids.length === 0 ? accept() : accept({ type: 'participant.admitted', data: { participantIds: ids } });
    }
    case 'lobby:deny': {
      const p = s.participants[c.participantId];
      if (!p || p.status !== 'lobby') return refuse('NOT_FOUND', 'nobody by that id in the lobby');
      return accept({ type: 'participant.denied', data: { participantId: p.id } });
    }
    case 'participant:remove': {
      const p = s.participants[c.participantId];
      if (!p || (p.status !== 'admitted' && p.status !== 'lobby')) return refuse('NOT_FOUND', 'no such participant');
      if (p.id === actorId) return refuse('INVALID_STATE', 'the host cannot remove themself');
      return accept({ type: 'participant.removed', data: { participantId: p.id } });
    }
    case 'room:settings': {
      const { type: _type, ...settings } = c;
      const merged = { ...s.settings, ...settings };
      if (merged.warningSeconds >= merged.defaultSpeechSeconds) {
        return refuse('BAD_REQUEST', 'the warning must come before the end of the default speaking time');
      }
      return accept({ type: 'room.settingsChanged', data: { settings } });
    }
    case 'room:end':
      return accept({ type: 'room.ended', data: ctx.commentCounts ? { comments: ctx.commentCounts } : {} });
    case 'room:handOver': {
      const p = s.participants[c.participantId];
      if (!p) return refuse('NOT_FOUND', 'no such participant');
      if (p.id === actorId) return refuse('INVALID_STATE', 'you already chair the meeting');
      // Present: admitted and connected now, so that the meeting is never left with a chair who is not there.
      if (p.status !== 'admitted' || !p.online) return refuse('INVALID_STATE', `${p.name} is not present in the meeting`);
      if (!mayTakeChair(p.role)) return refuse('NOT_ELIGIBLE', `a ${p.role} cannot take the chair`);
      return accept({ type: 'room.chairHandedOver', data: { from: actorId, to: p.id } });
    }

    case 'queue:raise':
      return speaking.raiseHand(s, c, actorId);
    case 'queue:withdraw':
      return speaking.withdrawHand(s, actorId);
    case 'queue:remove':
      return speaking.removeHand(s, c.participantId);
    case 'queue:move':
      return speaking.moveHand(s, c);
    case 'queue:setOpen':
      if (s.queue.open === c.open) return refuse('INVALID_STATE', `the list is already ${c.open ? 'open' : 'closed'}`);
      return accept({ type: 'queue.openChanged', data: { open: c.open } });
    case 'queue:lowerAll':
      return speaking.lowerAllHands(s);

    case 'floor:grant':
      return speaking.grantFloor(s, c);
    case 'floor:extend':
    case 'floor:pause':
    case 'floor:resume':
    case 'floor:revoke':
      return speaking.controlFloor(s, c);
    case 'floor:yield':
      return speaking.yieldFloor(s, actorId);

    case 'poll:create':
      return polls.createPoll(s, c);
    case 'poll:open':
      return polls.openPoll(s, c, ctx.now);
    case 'poll:vote':
      return polls.vote(s, c, actorId);
    case 'poll:close':
      return polls.closePoll(s, c.pollId, ctx.secretBallots?.[c.pollId]);
    case 'poll:publish':
      return polls.publishPoll(s, c);

    case 'rollCall:start': {
      if (s.rollCall && s.rollCall.endedAt === null) return refuse('INVALID_STATE', 'a roll call is running');
      const expected = rollCallList(s);
      return accept({ type: 'rollCall.started', data: { expected } });
    }
    case 'rollCall:confirm': {
      const rc = s.rollCall;
      if (!rc || rc.endedAt !== null) return refuse('INVALID_STATE', 'no roll call is running');
      if (!mayAnswerRollCall(s, actorId)) return refuse('NOT_ELIGIBLE', 'you were not called');
      if (rc.confirmed[actorId] !== undefined) return refuse('INVALID_STATE', 'already confirmed');
      return accept({ type: 'rollCall.confirmed', data: { participantId: actorId } });
    }
    case 'rollCall:end':
      if (!s.rollCall || s.rollCall.endedAt !== null) return refuse('INVALID_STATE', 'no roll call is running');
      return accept({ type: 'rollCall.ended', data: {} });

    case 'media:forceMute':
      return muting.forceMute(s, c);
    case 'media:muteAll':
      return muting.muteAll(s, c);
    case 'media:allowUnmute':
      return muting.allowUnmute(s, c);
    default:
      return assertNever(c);
  }
}

/**
 * An invite opened after the meeting: the room is open for the minutes only (核稿, written
 * statements, finishing and locking). Nothing here counts as attendance: someone who was in
 * the meeting comes back without an event (a reconnect would open a new stay), someone new is
 * recorded as a reviewer. No media either (the join gives none, see roomHandlers).
 */
function arriveForReview(s: RoomState, c: Extract<SystemCommand, { type: 'system:arrive' }>): DecideResult {
  // The public has no passage to confirm, and a public link is shared by strangers.
  if (c.role === 'public') return refuse('MEETING_ENDED', 'the meeting has ended');
  const existing = s.participants[c.participantId];
  if (existing && (existing.status === 'admitted' || existing.status === 'left')) return accept();
  if (s.settings.locked && !isStaff(c.role)) return refuse('ROOM_LOCKED', 'the room is locked');
  const { type: _type, ...who } = c;
  return accept({ type: 'participant.arrivedForReview', data: who });
}

function decideSystem(s: RoomState, c: SystemCommand, ctx: DecideContext): DecideResult {
  if (c.type === 'system:create') {
    if (s.seq !== 0) return refuse('INVALID_STATE', 'room exists');
    const { topic, startsAt, endsAt, venues, settings } = c;
    return accept({
      type: 'room.created',
      data: { info: { topic, startsAt, endsAt, venues }, settings: { ...DEFAULT_SETTINGS, ...settings } },
    });
  }
  if (s.seq === 0) return refuse('NOT_FOUND', 'no such room');
  switch (c.type) {
    case 'system:arrive': {
      const existing = s.participants[c.participantId];
      if (existing?.status === 'denied' || existing?.status === 'removed') return refuse('FORBIDDEN', `you were ${existing.status}`);
      // A personal invite of someone turned away stays turned away; a shared public link does not.
      const turnedAway = Object.values(s.participants).some(
        (p) => p.inviteId === c.inviteId && p.role !== 'public' && (p.status === 'denied' || p.status === 'removed'),
      );
      if (turnedAway) return refuse('FORBIDDEN', 'this invite was turned away');
      // One invite, one seat: a personal invite that already stands for someone never makes a
      // second participant (the server joins whoever opens it again as that participant).
      const seat = seatOf(s, c.inviteId, c.role);
      if (!existing && seat !== undefined) return refuse('CONFLICT', 'this invite is already in the room as another participant');
      if (s.ended) return arriveForReview(s, c);
      if (existing && existing.status !== 'left') {
        if (existing.online) return accept();
        return accept({ type: 'participant.reconnected', data: { participantId: existing.id } });
      }
      // Someone coming back keeps the role the room gave them (a chair handed over stays
      // handed over, whatever the invite says).
      const role = existing?.role ?? c.role;
      const staff = isStaff(role);
      if (s.settings.locked && !staff) return refuse('ROOM_LOCKED', 'the room is locked');
      const admitted = admittedOnArrival(s, role);
      const { type: _type, ...who } = c;
      return accept({ type: 'participant.arrived', data: { ...who, role, admitted } });
    }
    case 'system:reconnect': {
      const p = s.participants[c.participantId];
      if (!p) return refuse('NOT_FOUND', 'no such participant');
      return p.online ? accept() : accept({ type: 'participant.reconnected', data: { participantId: p.id } });
    }
    case 'system:disconnect': {
      const p = s.participants[c.participantId];
      if (!p || !p.online) return accept();
      return accept({ type: 'participant.disconnected', data: { participantId: p.id } });
    }
    case 'system:leave': {
      const p = s.participants[c.participantId];
      if (!p || p.status === 'left' || p.status === 'removed' || p.status === 'denied') return accept();
      return accept({ type: 'participant.left', data: { participantId: p.id } });
    }
    case 'system:commentWithdrawn':
      // Outlives the meeting: a comment taken back later must leave the record's text too.
      return withdrawComment(s, c.commentId);
    case 'system:tick': {
      const events: NewRoomEvent[] = [...speaking.expireFloor(s, ctx.now)];
      for (const id of s.pollOrder) {
        const poll = s.polls[id];
        if (poll?.status !== 'open' || poll.closesAt === null || poll.closesAt > ctx.now) continue;
        const closed = polls.closePoll(s, id, ctx.secretBallots?.[id]);
        if (!closed.ok) return closed;
        events.push(...closed.events);
      }
      return accept(...events);
    }
    default:
      return assertNever(c);
  }
}
