/**
 * A comment that was on the meeting's stage and that staff then take back from the public
 * (rejected for the personal data it holds, merged into another): the room learns it from the
 * same news the live pages get, so the comment leaves the stage at once and its text leaves
 * the record (system:commentWithdrawn). The comment routes stay unaware of the room.
 */
import type { CommentNotifier } from '../comments/CommentNotifier.js';
import type { Logger } from '../log.js';
import type { RoomService } from './RoomService.js';

type News = Pick<CommentNotifier, 'changed' | 'pending'>;

/** `news`, which also withdraws from the room every staged comment that is no longer approved. */
export function withdrawingStaged(news: News, rooms: Pick<RoomService, 'state' | 'execute'>, logger: Logger): News {
  const withdraw = async (roomId: string, commentId: string): Promise<void> => {
    try {
      // Most rejected comments were never staged: the room's queue is not asked for them.
      const state = await rooms.state(roomId);
      if (!state?.comments.staged.some((st) => st.commentId === commentId)) return;
      await rooms.execute(roomId, { type: 'system:commentWithdrawn', commentId }, { kind: 'system' });
    } catch (error) {
      logger.warn('could not take a comment off the stage', { roomId, commentId }, error);
    }
  };
  return {
    changed: (roomId, comments) => {
      news.changed(roomId, comments);
      for (const c of comments) if (c.status !== 'approved') void withdraw(roomId, c.id);
    },
    pending: (roomId) => news.pending(roomId),
  };
}
