/**
 * What the server adds to `decide`'s context for `minutes:lock`: the SHA-256 of the record
 * being locked. signaling/ stays free of Node APIs, so the hash is computed here and handed in,
 * like the secret ballots are.
 */
import type { CommentsSummary } from '../../signaling/comments/model.js';
import { minutesSkeleton } from '../../signaling/minutes/skeleton.js';
import type { RoomCommand } from '../../signaling/room/commands.js';
import type { DecideContext } from '../../signaling/room/result.js';
import type { RoomState } from '../../signaling/room/state.js';
import { contentHash } from './common.js';

/**
 * The content hash for a lock command on `state`, with the comment store's summary the lock
 * records (群众留言: part of the locked record, so covered by the hash); nothing for any other command.
 */
export function minutesLockContext(state: RoomState, command: RoomCommand, comments?: CommentsSummary): Pick<DecideContext, 'minutesContentHash'> {
  return command.type === 'minutes:lock' ? { minutesContentHash: contentHash(minutesSkeleton(state, comments)) } : {};
}
