/**
 * decide(state, command, actor, context) → events or a refusal. Pure: time and the secret
 * ballot box come in through `context`. This file checks what every command needs (the room
 * exists, the actor is in it and their role may issue it: roles.ts) and hands the command to
 * the part of the meeting that owns its rules: the meeting itself (lifecycle.ts), who is in
 * the room (participants.ts), speaking (speaking.ts), polls (polls.ts), the roll call
 * (rollCall.ts), muting (muting.ts), the minutes (minutes.ts), the stage for public comments
 * (stage.ts) and the recording (recording.ts).
 */
import type { ClientCommand, RoomCommand, SystemCommand } from './commands.js';
import { decideLifecycle, decideCreate, isLifecycleCommand } from './lifecycle.js';
import { decideMinutes, isMinutesCommand } from './minutes.js';
import { decideMuting, isMutingCommand } from './muting.js';
import { decideParticipants, decidePresence, isParticipantsCommand, isPresenceCommand } from './participants.js';
import { closeDuePolls, decidePolls, isPollCommand } from './polls.js';
import { accept, refuse, type DecideContext, type DecideResult } from './result.js';
import { mayIssue } from './roles.js';
import { decideRecording, decideRecordingPart, isRecordingCommand, outlivesMeeting } from './recording.js';
import { decideMicHeard, decideRollCall, isRollCallCommand } from './rollCall.js';
import { decideSpeaking, expireFloor, isSpeakingCommand } from './speaking.js';
import { decideStage, isStageCommand, withdrawComment } from './stage.js';
import type { RoomState } from './state.js';
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
  const minutesWork = isMinutesCommand(c) || outlivesMeeting(c);
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
  if (isRecordingCommand(c)) return decideRecording(s, c);
  if (isSpeakingCommand(c)) return decideSpeaking(s, c, actorId);
  if (isPollCommand(c)) return decidePolls(s, c, actorId, ctx);
  if (isRollCallCommand(c)) return decideRollCall(s, c, actorId, ctx);
  if (isMutingCommand(c)) return decideMuting(s, c);
  if (isParticipantsCommand(c)) return decideParticipants(s, c, actorId);
  if (isLifecycleCommand(c)) return decideLifecycle(s, c, actorId, ctx);
  return assertNever(c);
}

function decideSystem(s: RoomState, c: SystemCommand, ctx: DecideContext): DecideResult {
  if (c.type === 'system:create') return decideCreate(s, c);
  if (s.seq === 0) return refuse('NOT_FOUND', 'no such room');
  if (isPresenceCommand(c)) return decidePresence(s, c);
  switch (c.type) {
    case 'system:commentWithdrawn':
      // Outlives the meeting: a comment taken back later must leave the record's text too.
      return withdrawComment(s, c.commentId);
    case 'system:recordingPart':
      return decideRecordingPart(s, c);
    case 'system:micHeard':
      return decideMicHeard(s, c.participantId);
    case 'system:tick': {
      // The clock's work: a speech whose time and grace ran out, polls whose time ran out.
      const polls = closeDuePolls(s, ctx);
      return polls.ok ? accept(...expireFloor(s, ctx.now), ...polls.events) : polls;
    }
    default:
      return assertNever(c);
  }
}
