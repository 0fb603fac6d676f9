/**
 * The comments' news for public viewers: only to the viewers of the room whose page shows the
 * comments (and whose join was answered), a slice per turn of the event loop, each room's news
 * in order; the other live processes are told, and what they tell is parsed before it is sent.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { CommentsChanged } from '../../../signaling/audience.js';
import type { PublicComment } from '../../../signaling/comments/model.js';
import type { BusHandler, ClusterHealth } from '../../cluster/Cluster.js';
import { createLogger } from '../../log.js';
import { AudienceComments, type CommentFollower } from './AudienceComments.js';

const comment = (id: string, upvotes: number): PublicComment => ({ id, roomId: 'r', name: '市民', place: '', text: '留言', createdAt: 1, status: 'approved', upvotes, themes: [], answer: null });
const news = (upvotes: number, roomId = 'r'): CommentsChanged => ({ roomId, comments: [{ ...comment('c1', upvotes), roomId }], counts: { approved: 1, answered: 0 } });

/** What happened, in order: a slice sent (its socket ids and the news' upvotes), or another task of the event loop. */
type Mark = { to: string[]; upvotes: number } | 'other task';

function rig(viewers: Record<string, CommentFollower[]>, health: ClusterHealth = { mode: 'local', processId: 'local', processes: [] } as unknown as ClusterHealth) {
  const marks: Mark[] = [];
  const told: Array<{ to: string; topic: string; message: unknown }> = [];
  const handlers = new Map<string, BusHandler>();
  const warnings: string[] = [];
  const logger = createLogger('silent');
  const io = {
    local: {
      to: (ids: string[]) => ({
        emit: (event: string, data: CommentsChanged) => {
          expect(event).toBe('comments:changed');
          marks.push({ to: [...ids], upvotes: data.comments[0]?.upvotes ?? -1 });
          return true;
        },
      }),
    },
  };
  const hub = new AudienceComments({
    io: io as never,
    cluster: {
      processId: 'p1',
      health: () => health,
      send: (to, topic, message) => void told.push({ to, topic, message }),
      onMessage: (topic, handler) => {
        handlers.set(topic, handler);
        return () => handlers.delete(topic);
      },
    },
    viewers: (roomId) => viewers[roomId],
    logger: { ...logger, warn: (message: string) => void warnings.push(message) } as never,
    slice: 2,
  });
  return { hub, marks, told, handlers, warnings };
}

const viewer = (socketId: string, followsComments: boolean, listening = true): CommentFollower => ({ socketId, followsComments, listening });

/** Lets every queued task of the event loop run (each slice waits for one). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
};

let stop: (() => void) | null = null;
afterEach(() => stop?.());

describe('AudienceComments', () => {
  test('only the room’s answered viewers that follow the comments, a slice per turn: other tasks run in between', async () => {
    const { hub, marks } = rig({
      r: [viewer('a', true), viewer('watching', false), viewer('b', true), viewer('c', true), viewer('unanswered', true, false), viewer('d', true), viewer('e', true)],
      other: [viewer('x', true)],
    });
    stop = () => hub.close();
    hub.changed(news(1));
    setImmediate(() => marks.push('other task'));
    await settle();
    expect(marks).toEqual([{ to: ['a', 'b'], upvotes: 1 }, 'other task', { to: ['c', 'd'], upvotes: 1 }, { to: ['e'], upvotes: 1 }]);
  });

  test('a room’s news goes out in the order it came, each whole before the next', async () => {
    const { hub, marks } = rig({ r: [viewer('a', true), viewer('b', true), viewer('c', true)] });
    stop = () => hub.close();
    hub.changed(news(1));
    hub.changed(news(2));
    await settle();
    expect(marks).toEqual([
      { to: ['a', 'b'], upvotes: 1 },
      { to: ['c'], upvotes: 1 },
      { to: ['a', 'b'], upvotes: 2 },
      { to: ['c'], upvotes: 2 },
    ]);
  });

  test('with other live processes, each is told the news once; what another tells is sent here, a malformed message is not', async () => {
    const health = { mode: 'redis', processId: 'p1', redis: 'ready', processes: [{ id: 'p1' }, { id: 'p2' }, { id: 'p3' }] } as unknown as ClusterHealth;
    const { hub, marks, told, handlers, warnings } = rig({ r: [viewer('a', true)] }, health);
    stop = () => hub.close();
    hub.changed(news(3));
    expect(told).toEqual([
      { to: 'p2', topic: 'comments:changed', message: news(3) },
      { to: 'p3', topic: 'comments:changed', message: news(3) },
    ]);
    const receive = handlers.get('comments:changed');
    receive?.('p2', news(4));
    receive?.('p2', { roomId: 'r', comments: [{ id: 'c1', text: '<b>no status, no upvotes</b>' }] });
    receive?.('p2', 'not news');
    await settle();
    expect(marks).toEqual([
      { to: ['a'], upvotes: 3 },
      { to: ['a'], upvotes: 4 },
    ]);
    expect(warnings).toHaveLength(2);
    // Closed: nothing more is heard from the bus.
    hub.close();
    expect(handlers.has('comments:changed')).toBe(false);
  });
});
