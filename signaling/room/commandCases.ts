/**
 * One valid use of every client command, with the state it needs: shared by the tests that
 * walk every command × role (decide.test.ts, from the role table; permissions.test.ts, from an
 * independent reading of the meeting's rules).
 */
import type { ErrorCode } from '../errors.js';
import type { ClientCommand, ClientCommandType } from './commands.js';
import type { Role } from './state.js';
import { publicComment, type TestRoom } from './testing.js';

/** A command, how to make it valid for an actor, and the rule refusals some allowed roles still get. */
export type CommandCase = {
  command: ClientCommand;
  /** Prepares a state in which the command is valid for `actor`. */
  setup?: (room: TestRoom, actor: string, role: Role) => void;
  /** Allowed roles that still get a refusal by the rules (not by permission). */
  refusedFor?: Partial<Record<Role, ErrorCode>>;
};

const speaks = (role: Role): boolean => role === 'member' || role === 'venue' || role === 'observer' || role === 'department';
const late = (room: TestRoom): void => void room.arrive('late', 'member', 'd1');
const m2Raises = (room: TestRoom): void => void room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, 'm2');
const m2HasFloor = (room: TestRoom): void => {
  m2Raises(room);
  room.ok({ type: 'floor:grant', target: { kind: 'next' } }, 'host');
};
const pollOpen = (room: TestRoom): void => {
  room.ok({ type: 'poll:create', question: '是否同意?', kind: 'yesno', options: [], secret: false, allowChange: true, quorumPercent: null, threshold: 'none', durationSeconds: null }, 'host');
  room.ok({ type: 'poll:open', pollId: 'poll-1' }, 'host');
};

/** `who` held the floor for the first speech of the log (section `speech:0`). */
const spoke = (room: TestRoom, who: string): void => {
  room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: who } }, 'host');
  room.ok({ type: 'floor:revoke' }, 'host');
};
/** The meeting is over and speech:0 went to its speaker (the actor if they can speak, else m2). */
const awaitingSpeaker = (room: TestRoom, actor: string, role: Role): void => {
  spoke(room, speaks(role) ? actor : 'm2');
  room.ok({ type: 'room:end' }, 'host');
  room.ok({ type: 'minutes:requestConfirmation', section: 'speech:0' }, 'sec');
};
const correctionProposed = (room: TestRoom): void => {
  awaitingSpeaker(room, 'm2', 'member');
  room.ok({ type: 'minutes:proposeCorrection', section: 'speech:0', text: '更正后的发言' }, 'm2');
};
const ended = (room: TestRoom): void => void room.ok({ type: 'room:end' }, 'host');
const commentApproved = (room: TestRoom): void => void room.comments.set('c1', publicComment('c1'));
const commentStaged = (room: TestRoom): void => {
  commentApproved(room);
  room.ok({ type: 'comment:stage', commentId: 'c1' }, 'host');
};
const endedAndLocked = (room: TestRoom): void => {
  ended(room);
  room.ok({ type: 'minutes:lock' }, 'sec');
};
const recording = (room: TestRoom): void => void room.ok({ type: 'recording:start' }, 'host');
/** The meeting was recorded (one part), ended and its minutes locked with the recording read. */
const lockedWithRecording = (room: TestRoom): void => {
  recording(room);
  room.ok({ type: 'system:recordingPart', name: 'part-1', startedAt: room.now }, { kind: 'system' });
  room.recordingSummary = { parts: [{ name: 'part-1', startedAt: room.now, durationMs: 1000, bytes: 100, sha256: 'a'.repeat(64) }] };
  endedAndLocked(room);
};
/** Only the speaker answers for a speech; these roles never hold the floor here. */
const notTheSpeaker: Partial<Record<Role, ErrorCode>> = { host: 'FORBIDDEN', secretary: 'FORBIDDEN', public: 'FORBIDDEN' };

/** One valid use of every client command. */
export const COMMAND_CASES: Record<ClientCommandType, CommandCase> = {
  'lobby:admit': { command: { type: 'lobby:admit', participantId: 'late' }, setup: late },
  'lobby:admitAll': { command: { type: 'lobby:admitAll' }, setup: late },
  'lobby:deny': { command: { type: 'lobby:deny', participantId: 'late' }, setup: late },
  'participant:remove': { command: { type: 'participant:remove', participantId: 'm2' } },
  'room:settings': { command: { type: 'room:settings', locked: true } },
  'room:end': { command: { type: 'room:end' } },
  'room:handOver': { command: { type: 'room:handOver', participantId: 'm2' } },
  'queue:raise': { command: { type: 'queue:raise', speechType: 'question', note: '关于资金' } },
  'queue:withdraw': {
    command: { type: 'queue:withdraw' },
    setup: (room, actor, role) => {
      if (speaks(role)) room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, actor);
    },
  },
  'queue:remove': { command: { type: 'queue:remove', participantId: 'm2' }, setup: m2Raises },
  'queue:move': {
    command: { type: 'queue:move', participantId: 'obs', toIndex: 0 },
    setup: (room) => {
      m2Raises(room);
      room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, 'obs');
    },
  },
  'queue:setOpen': { command: { type: 'queue:setOpen', open: false } },
  'queue:lowerAll': { command: { type: 'queue:lowerAll' }, setup: m2Raises },
  'floor:grant': { command: { type: 'floor:grant', target: { kind: 'next' }, seconds: 60 }, setup: m2Raises },
  'floor:extend': { command: { type: 'floor:extend', seconds: 60 }, setup: m2HasFloor },
  'floor:pause': { command: { type: 'floor:pause' }, setup: m2HasFloor },
  'floor:resume': {
    command: { type: 'floor:resume' },
    setup: (room) => {
      m2HasFloor(room);
      room.ok({ type: 'floor:pause' }, 'host');
    },
  },
  'floor:revoke': { command: { type: 'floor:revoke' }, setup: m2HasFloor },
  'floor:interrupt': {
    command: { type: 'floor:interrupt' },
    setup: (room) => {
      m2HasFloor(room);
      room.ok({ type: 'queue:raise', speechType: 'order', note: '超时' }, 'obs');
    },
  },
  'floor:yield': {
    command: { type: 'floor:yield' },
    setup: (room, actor, role) => {
      if (!speaks(role)) return;
      room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: actor } }, 'host');
    },
  },
  'poll:create': {
    command: { type: 'poll:create', question: '方案是否可行?', kind: 'consensus', options: [], secret: false, allowChange: true, quorumPercent: null, threshold: 'simple', durationSeconds: null },
  },
  'poll:open': {
    command: { type: 'poll:open', pollId: 'poll-1' },
    setup: (room) => void room.ok({ type: 'poll:create', question: 'q', kind: 'yesno', options: [], secret: true, allowChange: false, quorumPercent: null, threshold: 'none', durationSeconds: null }, 'host'),
  },
  'poll:vote': { command: { type: 'poll:vote', pollId: 'poll-1', choices: [0] }, setup: pollOpen },
  'poll:close': { command: { type: 'poll:close', pollId: 'poll-1' }, setup: pollOpen },
  'poll:publish': {
    command: { type: 'poll:publish', pollId: 'poll-1' },
    setup: (room) => {
      pollOpen(room);
      room.ok({ type: 'poll:close', pollId: 'poll-1' }, 'host');
    },
  },
  'rollCall:start': { command: { type: 'rollCall:start' } },
  'rollCall:confirm': {
    command: { type: 'rollCall:confirm' },
    setup: (room) => void room.ok({ type: 'rollCall:start' }, 'host'),
  },
  'rollCall:end': { command: { type: 'rollCall:end' }, setup: (room) => void room.ok({ type: 'rollCall:start' }, 'host') },
  'rollCall:headcount': { command: { type: 'rollCall:headcount', count: 1 } },
  'media:forceMute': { command: { type: 'media:forceMute', participantId: 'm2' } },
  'media:muteAll': { command: { type: 'media:muteAll' } },
  'media:allowUnmute': {
    command: { type: 'media:allowUnmute', participantId: 'm2' },
    setup: (room) => void room.ok({ type: 'media:forceMute', participantId: 'm2' }, 'host'),
  },
  'minutes:edit': { command: { type: 'minutes:edit', section: 'conclusions', text: '会议认为方案可行', baseVersion: 0 } },
  'minutes:addAction': { command: { type: 'minutes:addAction', owner: '住建局', due: '2025-06-30', text: '拟定加装方案' } },
  'minutes:removeAction': {
    command: { type: 'minutes:removeAction', actionId: 'action-1' },
    setup: (room) => void room.ok({ type: 'minutes:addAction', owner: '住建局', due: null, text: '拟定加装方案' }, 'host'),
  },
  'minutes:submitStatement': { command: { type: 'minutes:submitStatement', text: '书面意见：建议分期实施' } },
  'minutes:requestConfirmation': {
    command: { type: 'minutes:requestConfirmation', section: 'speech:0' },
    setup: (room) => {
      spoke(room, 'm2');
      room.ok({ type: 'room:end' }, 'host');
    },
  },
  'minutes:confirm': { command: { type: 'minutes:confirm', section: 'speech:0' }, setup: awaitingSpeaker, refusedFor: notTheSpeaker },
  'minutes:proposeCorrection': {
    command: { type: 'minutes:proposeCorrection', section: 'speech:0', text: '更正' },
    setup: awaitingSpeaker,
    refusedFor: notTheSpeaker,
  },
  'minutes:acceptCorrection': { command: { type: 'minutes:acceptCorrection', section: 'speech:0' }, setup: correctionProposed },
  'minutes:rejectCorrection': { command: { type: 'minutes:rejectCorrection', section: 'speech:0' }, setup: correctionProposed },
  'minutes:lock': { command: { type: 'minutes:lock' }, setup: ended },
  'minutes:unlockNewVersion': { command: { type: 'minutes:unlockNewVersion' }, setup: endedAndLocked },
  'minutes:publish': { command: { type: 'minutes:publish', published: true }, setup: endedAndLocked },
  'comment:stage': { command: { type: 'comment:stage', commentId: 'c1', askParticipantId: 'dept' }, setup: commentApproved },
  'comment:unstage': { command: { type: 'comment:unstage' }, setup: commentStaged },
  'recording:start': { command: { type: 'recording:start' } },
  'recording:stop': { command: { type: 'recording:stop' }, setup: recording },
  'recording:publish': { command: { type: 'recording:publish', published: true }, setup: lockedWithRecording },
};
