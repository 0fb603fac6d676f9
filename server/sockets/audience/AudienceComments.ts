/**
 * The live news of comments (`comments:changed`) for the public viewers whose page shows the
 * comments (they asked with `audience:comments`; those watching 直播 get none).
 *
 * NOTE: not through a Socket.IO channel, which would write to every following socket of a
 * process in one turn of the event loop: a thousand viewers on the 留言 tab held the host's
 * commands up for tens of ms twice a second (bench/audience-comments.ts). Instead the process
 * where the comments changed tells every other live process (the cluster's bus), and each sends
 * its own followers a slice per turn (VIEW_SLICE, as the views), so a command waits for one
 * slice at most. A room's news goes out in the order it came.
 */
import { z } from 'zod';
import type { CommentsChanged } from '../../../signaling/audience.js';
import { CommentCountsSchema, PublicCommentSchema } from '../../../signaling/comments/schemas.js';
import { tellOthers, type Cluster } from '../../cluster/Cluster.js';
import type { Logger } from '../../log.js';
import type { AppServer } from '../channels.js';

const TOPIC = 'comments:changed';

/** The news as another process sends it (parsed: the bus is a network input like any other). */
const News = z.object({
  roomId: z.string().max(64),
  comments: z.array(PublicCommentSchema),
  counts: CommentCountsSchema.pick({ approved: true, answered: true }).optional(),
});

/** A viewer of this process, as far as the news is concerned. */
export type CommentFollower = { socketId: string; listening: boolean; followsComments: boolean };

export type AudienceCommentsDeps = {
  io: Pick<AppServer, 'local'>;
  cluster: Pick<Cluster, 'processId' | 'health' | 'send' | 'onMessage'>;
  /** This process's viewers of a room now. */
  viewers: (roomId: string) => Iterable<CommentFollower> | undefined;
  logger: Logger;
  slice: number;
};

export class AudienceComments {
  readonly #deps: AudienceCommentsDeps;
  /** Each room's sends still going on, chained so that its news goes out in order. */
  readonly #sending = new Map<string, Promise<void>>();
  readonly #stopListening: () => void;

  constructor(deps: AudienceCommentsDeps) {
    this.#deps = deps;
    this.#stopListening = deps.cluster.onMessage(TOPIC, (from, message) => {
      const parsed = News.safeParse(message);
      if (parsed.success) this.#sendHere(parsed.data);
      else deps.logger.warn('malformed comment news from another process', { from });
    });
  }

  /** Comments changed (CommentNotifier): every process's following viewers are told. */
  changed(news: CommentsChanged): void {
    tellOthers(this.#deps.cluster, TOPIC, news);
    this.#sendHere(news);
  }

  close(): void {
    this.#stopListening();
  }

  #sendHere(news: CommentsChanged): void {
    const previous = this.#sending.get(news.roomId) ?? Promise.resolve();
    const sent = previous
      .then(() => this.#send(news))
      .catch((error: unknown) => this.#deps.logger.warn('could not send the comment news to the viewers', { roomId: news.roomId }, error));
    this.#sending.set(news.roomId, sent);
    void sent.finally(() => {
      if (this.#sending.get(news.roomId) === sent) this.#sending.delete(news.roomId);
    });
  }

  async #send(news: CommentsChanged): Promise<void> {
    const { io, slice: size } = this.#deps;
    let slice: string[] = [];
    // NOTE: viewers arriving or leaving meanwhile are reached if the send gets to them.
    for (const viewer of this.#deps.viewers(news.roomId) ?? []) {
      if (!viewer.listening || !viewer.followsComments) continue;
      slice.push(viewer.socketId);
      if (slice.length < size) continue;
      io.local.to(slice).emit('comments:changed', news);
      slice = [];
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (slice.length > 0) io.local.to(slice).emit('comments:changed', news);
  }
}
