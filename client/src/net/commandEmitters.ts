/**
 * One emitter per room command. Socket.IO's typed `emit` cannot relate a generic event name
 * to its payload, so each command gets its own concretely typed line; indexing this mapped
 * table with a generic type keeps name and payload tied together without a cast. A command
 * added to the protocol fails to compile here until it gets its line.
 */
import type { AckCallback } from '../../../signaling/protocol.js';
import type { ClientCommandPayload, ClientCommandType } from '../../../signaling/room/commands.js';
import type { ProtocolSocket } from './protocolSocket.js';

/** The socket with an ack timeout, as `socket.timeout(ms)` returns it. */
export type TimedSocket = ReturnType<ProtocolSocket['timeout']>;

/** What a timed emit's callback receives. */
export type TimedReply<T> = (timeoutError: Error | null, ack: Parameters<AckCallback<T>>[0]) => void;

type Emit<T extends ClientCommandType> = (socket: TimedSocket, payload: ClientCommandPayload<T>, reply: TimedReply<{ seq: number }>) => void;

/** Emits a command of each type. */
export const EMIT_COMMAND: { [T in ClientCommandType]: Emit<T> } = {
  'lobby:admit': (s, p, r) => s.emit('lobby:admit', p, r),
  'lobby:admitAll': (s, p, r) => s.emit('lobby:admitAll', p, r),
  'lobby:deny': (s, p, r) => s.emit('lobby:deny', p, r),
  'participant:remove': (s, p, r) => s.emit('participant:remove', p, r),
  'room:settings': (s, p, r) => s.emit('room:settings', p, r),
  'room:end': (s, p, r) => s.emit('room:end', p, r),
  'room:handOver': (s, p, r) => s.emit('room:handOver', p, r),
  'queue:raise': (s, p, r) => s.emit('queue:raise', p, r),
  'queue:withdraw': (s, p, r) => s.emit('queue:withdraw', p, r),
  'queue:remove': (s, p, r) => s.emit('queue:remove', p, r),
  'queue:move': (s, p, r) => s.emit('queue:move', p, r),
  'queue:setOpen': (s, p, r) => s.emit('queue:setOpen', p, r),
  'queue:lowerAll': (s, p, r) => s.emit('queue:lowerAll', p, r),
  'floor:grant': (s, p, r) => s.emit('floor:grant', p, r),
  'floor:extend': (s, p, r) => s.emit('floor:extend', p, r),
  'floor:pause': (s, p, r) => s.emit('floor:pause', p, r),
  'floor:resume': (s, p, r) => s.emit('floor:resume', p, r),
  'floor:revoke': (s, p, r) => s.emit('floor:revoke', p, r),
  'floor:interrupt': (s, p, r) => s.emit('floor:interrupt', p, r),
  'floor:yield': (s, p, r) => s.emit('floor:yield', p, r),
  'poll:create': (s, p, r) => s.emit('poll:create', p, r),
  'poll:open': (s, p, r) => s.emit('poll:open', p, r),
  'poll:vote': (s, p, r) => s.emit('poll:vote', p, r),
  'poll:close': (s, p, r) => s.emit('poll:close', p, r),
  'poll:publish': (s, p, r) => s.emit('poll:publish', p, r),
  'rollCall:start': (s, p, r) => s.emit('rollCall:start', p, r),
  'rollCall:confirm': (s, p, r) => s.emit('rollCall:confirm', p, r),
  'rollCall:end': (s, p, r) => s.emit('rollCall:end', p, r),
  'rollCall:headcount': (s, p, r) => s.emit('rollCall:headcount', p, r),
  'media:forceMute': (s, p, r) => s.emit('media:forceMute', p, r),
  'media:muteAll': (s, p, r) => s.emit('media:muteAll', p, r),
  'media:allowUnmute': (s, p, r) => s.emit('media:allowUnmute', p, r),
  'minutes:edit': (s, p, r) => s.emit('minutes:edit', p, r),
  'minutes:addAction': (s, p, r) => s.emit('minutes:addAction', p, r),
  'minutes:removeAction': (s, p, r) => s.emit('minutes:removeAction', p, r),
  'minutes:submitStatement': (s, p, r) => s.emit('minutes:submitStatement', p, r),
  'minutes:requestConfirmation': (s, p, r) => s.emit('minutes:requestConfirmation', p, r),
  'minutes:confirm': (s, p, r) => s.emit('minutes:confirm', p, r),
  'minutes:proposeCorrection': (s, p, r) => s.emit('minutes:proposeCorrection', p, r),
  'minutes:acceptCorrection': (s, p, r) => s.emit('minutes:acceptCorrection', p, r),
  'minutes:rejectCorrection': (s, p, r) => s.emit('minutes:rejectCorrection', p, r),
  'minutes:lock': (s, p, r) => s.emit('minutes:lock', p, r),
  'minutes:unlockNewVersion': (s, p, r) => s.emit('minutes:unlockNewVersion', p, r),
  'minutes:publish': (s, p, r) => s.emit('minutes:publish', p, r),
  'comment:stage': (s, p, r) => s.emit('comment:stage', p, r),
  'comment:unstage': (s, p, r) => s.emit('comment:unstage', p, r),
  'recording:start': (s, p, r) => s.emit('recording:start', p, r),
  'recording:stop': (s, p, r) => s.emit('recording:stop', p, r),
  'recording:publish': (s, p, r) => s.emit('recording:publish', p, r),
};
