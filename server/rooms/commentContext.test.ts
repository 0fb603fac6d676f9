/**
 * RoomService reads the comment store for what the room records, and for nothing else: the
 * approved comment the chair stages (never the client's copy), its answer when it comes down,
 * the counts at the end (the meeting still ends when the store cannot answer) and the summary
 * at the lock (no lock without it: a locked record must not lack what the meeting received).
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { CommentsSummary, PublicComment } from '../../signaling/comments/model.js';
import { AppError } from '../../signaling/errors.js';
import { publicComment } from '../../signaling/room/testing.js';
import { createLogger } from '../log.js';
import { SqliteEventStore } from '../store/SqliteEventStore.js';
import { BallotBox } from './BallotBox.js';
import type { CommentReader } from './commentContext.js';
import { RoomService } from './RoomService.js';

const ballotBox = new BallotBox('test-ballot-secret-of-32-characters');
const logger = createLogger('silent');
const system = { kind: 'system' } as const;
const host = { kind: 'participant', id: 'host' } as const;
const stores: SqliteEventStore[] = [];

afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

const COUNTS = { received: 3, pending: 1, approved: 2, rejected: 0, merged: 0, answered: 1, upvotes: 7 };
const SUMMARY: CommentsSummary = { counts: COUNTS, byTheme: [], mostUpvoted: [], chainHead: { seq: 9, hash: 'f'.repeat(64) } };

/** A comment store stand-in: the comments by id, and what it was asked, in order. */
class FakeReader implements CommentReader {
  readonly comments = new Map<string, PublicComment>();
  readonly asked: string[] = [];
  down = false;
  async approved(roomId: string, commentId: string): Promise<PublicComment | undefined> {
    this.#ask(`approved ${commentId}`);
    const c = this.comments.get(commentId);
    return c?.status === 'approved' ? { ...c, roomId } : undefined;
  }
  async counts(): Promise<typeof COUNTS> {
    this.#ask('counts');
    return COUNTS;
  }
  async summary(): Promise<CommentsSummary> {
    this.#ask('summary');
    return SUMMARY;
  }
  #ask(what: string): void {
    this.asked.push(what);
    if (this.down) throw new AppError('UNAVAILABLE', 'comment store away');
  }
}

async function meeting(comments: FakeReader): Promise<{ rooms: RoomService; roomId: string }> {
  const store = SqliteEventStore.open(':memory:');
  stores.push(store);
  const rooms = new RoomService({ store, logger, ballotBox, comments });
  const roomId = await rooms.create({ topic: '议题', startsAt: null, endsAt: null, venues: [{ id: 'city', name: '主会场', expectedMembers: 1 }], settings: { open: true } });
  const arrive = (participantId: string, role: 'host' | 'secretary' | 'member') =>
    rooms.execute(roomId, { type: 'system:arrive', participantId, inviteId: `inv-${participantId}`, name: participantId, role, venue: 'city', sector: '' }, system);
  await arrive('host', 'host');
  await arrive('sec', 'secretary');
  await arrive('m1', 'member');
  return { rooms, roomId };
}

describe('RoomService with a comment store', () => {
  test('comment:stage puts up what the store approved, and reads the store only for the commands that need it', async () => {
    const reader = new FakeReader();
    reader.comments.set('c1', publicComment('c1', { text: '留言原文' }));
    reader.comments.set('c2', publicComment('c2', { status: 'pending' }));
    const { rooms, roomId } = await meeting(reader);
    await rooms.execute(roomId, { type: 'queue:raise', speechType: 'statement', note: '' }, { kind: 'participant', id: 'm1' });
    expect(reader.asked).toEqual([]);

    await expect(rooms.execute(roomId, { type: 'comment:stage', commentId: 'c2' }, host)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await rooms.execute(roomId, { type: 'comment:stage', commentId: 'c1' }, host);
    expect((await rooms.state(roomId))?.stage).toMatchObject({ commentId: 'c1', text: '留言原文' });

    // Answered while up: the answer goes on the record when it comes down.
    const answer = { department: '住建局', text: '已答复', answeredAt: 1 };
    reader.comments.set('c1', publicComment('c1', { text: '留言原文', answer }));
    await rooms.execute(roomId, { type: 'comment:unstage' }, host);
    expect((await rooms.state(roomId))?.comments.staged[0]?.answer).toEqual(answer);
    expect(reader.asked).toEqual(['approved c2', 'approved c1', 'approved c1']);
  });

  test('the end records the counts; with the store away the meeting still ends, without them', async () => {
    const up = new FakeReader();
    const a = await meeting(up);
    const ended = await a.rooms.execute(a.roomId, { type: 'room:end' }, host);
    expect(ended.events[0]).toMatchObject({ type: 'room.ended', data: { comments: COUNTS } });

    const away = new FakeReader();
    away.down = true;
    const b = await meeting(away);
    const endedAnyway = await b.rooms.execute(b.roomId, { type: 'room:end' }, host);
    expect(endedAnyway.events[0]).toMatchObject({ type: 'room.ended', data: {} });
    expect((await b.rooms.state(b.roomId))?.ended).toBe(true);
  });

  test('the lock records the summary; with the store away there is no lock', async () => {
    const reader = new FakeReader();
    const { rooms, roomId } = await meeting(reader);
    await rooms.execute(roomId, { type: 'room:end' }, host);
    reader.down = true;
    await expect(rooms.execute(roomId, { type: 'minutes:lock' }, { kind: 'participant', id: 'sec' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect((await rooms.state(roomId))?.minutes.lockedVersions).toEqual([]);
    reader.down = false;
    const locked = await rooms.execute(roomId, { type: 'minutes:lock' }, { kind: 'participant', id: 'sec' });
    expect(locked.events[0]).toMatchObject({ type: 'minutes.locked', data: { comments: SUMMARY } });
  });
});
