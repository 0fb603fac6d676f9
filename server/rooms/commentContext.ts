/**
 * What the comment store adds to `decide`'s context, read by RoomService before it decides:
 * the approved comment a `comment:stage` names (the client sends the id only), the staged
 * comment's latest answer at `comment:unstage`, the counts at `room:end` and the summary at
 * `minutes:lock`. signaling/ stays pure; the store is read here, like the secret ballots.
 */
import type { RoomCommand } from '../../signaling/room/commands.js';
import type { DecideContext } from '../../signaling/room/result.js';
import type { RoomState } from '../../signaling/room/state.js';
import type { CommentStore } from '../comments/CommentStore.js';
import type { Logger } from '../log.js';

/** The part of the comment store the room reads. */
export type CommentReader = Pick<CommentStore, 'approved' | 'counts' | 'summary'>;

/** The context for `command`, or nothing when it reads no comment. */
export async function commentContext(
  reader: CommentReader | undefined,
  logger: Logger,
  roomId: string,
  state: RoomState,
  command: RoomCommand,
): Promise<Pick<DecideContext, 'comment' | 'commentCounts' | 'commentsSummary'>> {
  if (!reader) return {};
  switch (command.type) {
    case 'comment:stage': {
      const comment = await reader.approved(roomId, command.commentId);
      return comment ? { comment } : {};
    }
    case 'comment:unstage': {
      const id = state.stage?.commentId;
      const comment = id === undefined ? undefined : await reader.approved(roomId, id);
      return comment ? { comment } : {};
    }
    case 'room:end':
      // NOTE: the meeting ends even when the comment store cannot be read: the end then goes
      // on the record without counts (the lock reads the summary again, and must succeed).
      try {
        return { commentCounts: await reader.counts(roomId) };
      } catch (error) {
        logger.warn('ending without comment counts, the comment store could not be read', { roomId }, error);
        return {};
      }
    case 'minutes:lock':
      return { commentsSummary: await reader.summary(roomId) };
    default:
      return {};
  }
}
