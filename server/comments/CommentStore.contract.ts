/** The tests every CommentStore passes (SQLite and Redis alike). */
import { afterEach, describe, expect, test } from 'vitest';
import type { CommentSettings } from '../../signaling/comments/model.js';
import { verifyCommentExport } from './chain.js';
import type { CommentStore } from './CommentStore.js';

/** A fresh store and how to drop it. */
export type CommentStoreFixture = { store: CommentStore; reopen?: () => Promise<CommentStore>; cleanup: () => Promise<void> };

const SETTINGS: CommentSettings = {
  opensAt: 1000,
  closesAt: 10_000_000,
  background: '老旧小区加装电梯的背景材料',
  themes: ['资金', '噪音', '低层住户'],
  heldWords: ['广告', 'SPAM'],
};

const T = 5000;

/** Registers the contract for one backend. */
export function describeCommentStoreContract(name: string, open: () => Promise<CommentStoreFixture>): void {
  describe(`${name} (CommentStore contract)`, () => {
    let fixture: CommentStoreFixture | undefined;
    const store = async (): Promise<CommentStore> => {
      fixture = await open();
      await fixture.store.setSettings('room-a', SETTINGS);
      return fixture.store;
    };
    afterEach(async () => {
      await fixture?.cleanup();
      fixture = undefined;
    });

    const submit = (s: CommentStore, text: string, browser = 'b1', at = T, room = 'room-a') =>
      s.submit(room, { name: '张阿姨', place: '幸福街道', text }, browser, at);
    const approved = async (s: CommentStore, text: string, at = T) => {
      const c = await submit(s, text, 'writer', at);
      return s.moderate('room-a', c.id, { action: 'approve' }, at + 1);
    };

    test('settings default to closed and are kept per room', async () => {
      const s = await store();
      expect(await s.settings('room-a')).toEqual(SETTINGS);
      expect(await s.settings('room-b')).toEqual({ opensAt: null, closesAt: null, background: '', themes: [], heldWords: [] });
    });

    test('a submitted comment is pending, shown to its own browser only, and held for the organiser\'s words', async () => {
      const s = await store();
      const plain = await submit(s, '希望加快审批');
      expect(plain).toMatchObject({ status: 'pending', upvotes: 0, heldFor: [], themes: [], answer: null, rejectReason: null, mergedInto: null });
      const held = await submit(s, '这是广告 spam，加微信', 'b2', T + 1);
      expect(held.status).toBe('pending');
      expect(held.heldFor.sort()).toEqual(['SPAM', '广告'].sort());
      expect(await s.listApproved('room-a', 'hot', 100)).toEqual([]);
      expect((await s.pendingOf('room-a', 'b1')).map((c) => c.id)).toEqual([plain.id]);
      expect((await s.pendingOf('room-a', 'b2')).map((c) => c.id)).toEqual([held.id]);
      expect(await s.pendingOf('room-a', 'nobody')).toEqual([]);
      expect((await s.listForStaff('room-a', 'pending', 100)).map((c) => c.id)).toEqual([plain.id, held.id]);
      expect(await s.listForStaff('room-b', 'pending', 100)).toEqual([]);
      // Once moderated it is no longer among the browser's pending ones.
      await s.moderate('room-a', plain.id, { action: 'approve' }, T + 1);
      expect(await s.pendingOf('room-a', 'b1')).toEqual([]);
    });

    test('moderation approves, rejects with a reason, tags from the organiser\'s themes only', async () => {
      const s = await store();
      const c = await submit(s, '电梯费用怎么分摊？');
      const a = await s.moderate('room-a', c.id, { action: 'approve' }, T + 10);
      expect(a).toMatchObject({ status: 'approved', moderatedAt: T + 10 });
      const headAfterApprove = await s.head('room-a');
      // Approving twice writes nothing.
      expect((await s.moderate('room-a', c.id, { action: 'approve' }, T + 11)).status).toBe('approved');
      expect(await s.head('room-a')).toEqual(headAfterApprove);
      expect((await s.moderate('room-a', c.id, { action: 'tag', themes: ['资金', '资金', '噪音'] }, T + 12)).themes).toEqual(['资金', '噪音']);
      await expect(s.moderate('room-a', c.id, { action: 'tag', themes: ['不存在的主题'] }, T + 13)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      const r = await s.moderate('room-a', c.id, { action: 'reject', reason: 'personalData' }, T + 14);
      expect(r).toMatchObject({ status: 'rejected', rejectReason: 'personalData' });
      expect(await s.listApproved('room-a', 'new', 100)).toEqual([]);
      expect(await s.approved('room-a', c.id)).toBeUndefined();
      await expect(s.moderate('room-a', 'c-none', { action: 'approve' }, T)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      // A comment of another room is not found through this one.
      await expect(s.moderate('room-b', c.id, { action: 'approve' }, T)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    test('an upvote counts exactly once per browser, also when repeated at once, and only on approved comments', async () => {
      const s = await store();
      const c = await approved(s, '支持加装');
      const pending = await submit(s, '还没审核');
      await expect(s.upvote('room-a', pending.id, 'b1', T)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(s.upvote('room-a', 'c-none', 'b1', T)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const repeats = await Promise.all(Array.from({ length: 20 }, () => s.upvote('room-a', c.id, 'same-browser', T + 5)));
      expect(repeats.filter((r) => r.counted)).toHaveLength(1);
      expect(repeats.every((r) => r.comment.upvotes === 1)).toBe(true);
      const many = await Promise.all(Array.from({ length: 30 }, (_, i) => s.upvote('room-a', c.id, `browser-${i}`, T + 6)));
      expect(many.every((r) => r.counted)).toBe(true);
      expect((await s.approved('room-a', c.id))?.upvotes).toBe(31);
      expect(await s.upvotedBy('room-a', 'same-browser')).toEqual([c.id]);
      expect(await s.upvotedBy('room-a', 'other')).toEqual([]);
      expect((await s.counts('room-a')).upvotes).toBe(31);
      expect((await s.exportAll('room-a')).chain.filter((e) => e.type === 'upvoted')).toHaveLength(31);
    });

    test('a merged duplicate\'s upvotes count once each for its target, and later upvotes of it go there', async () => {
      const s = await store();
      const target = await approved(s, '加装电梯', T);
      const duplicate = await approved(s, '加装电梯！', T + 100);
      for (const b of ['x', 'y']) await s.upvote('room-a', target.id, b, T + 200);
      for (const b of ['y', 'z']) await s.upvote('room-a', duplicate.id, b, T + 200);
      await expect(s.moderate('room-a', duplicate.id, { action: 'merge', into: duplicate.id }, T + 300)).rejects.toMatchObject({ code: 'INVALID_STATE' });
      await expect(s.moderate('room-a', duplicate.id, { action: 'merge', into: 'c-none' }, T + 300)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const merged = await s.moderate('room-a', duplicate.id, { action: 'merge', into: target.id }, T + 300);
      expect(merged).toMatchObject({ status: 'merged', mergedInto: target.id });
      expect((await s.get('room-a', target.id))?.upvotes).toBe(3);
      // z already counts for the target through the duplicate; w is new.
      expect((await s.upvote('room-a', duplicate.id, 'z', T + 400)).counted).toBe(false);
      const w = await s.upvote('room-a', duplicate.id, 'w', T + 400);
      expect(w).toMatchObject({ counted: true, comment: { id: target.id, upvotes: 4 } });
      expect((await s.upvote('room-a', target.id, 'w', T + 400)).counted).toBe(false);
      expect((await s.upvotedBy('room-a', 'z')).sort()).toEqual([duplicate.id, target.id].sort());
      await expect(s.moderate('room-a', duplicate.id, { action: 'approve' }, T + 500)).rejects.toMatchObject({ code: 'INVALID_STATE' });
      const rejected = await submit(s, '离题');
      await s.moderate('room-a', rejected.id, { action: 'reject', reason: 'offTopic' }, T + 600);
      const another = await submit(s, '重复的');
      await expect(s.moderate('room-a', another.id, { action: 'merge', into: rejected.id }, T + 700)).rejects.toMatchObject({ code: 'INVALID_STATE' });
      expect(verifyCommentExport(await s.exportAll('room-a'))).toBeNull();
    });

    test('a department answers approved comments only; the answer is published with the comment', async () => {
      const s = await store();
      const c = await approved(s, '什么时候开工？');
      const pending = await submit(s, '待审');
      await expect(s.answer('room-a', pending.id, { department: '住建局', text: '答复' }, T)).rejects.toMatchObject({ code: 'INVALID_STATE' });
      const a = await s.answer('room-a', c.id, { department: '住建局', text: '预计明年三月开工' }, T + 50);
      expect(a.answer).toEqual({ department: '住建局', text: '预计明年三月开工', answeredAt: T + 50 });
      expect((await s.listApproved('room-a', 'hot', 10))[0]?.answer?.department).toBe('住建局');
      expect((await s.counts('room-a')).answered).toBe(1);
    });

    test('the public list sorts by upvotes (newer first on ties) or by time, within the page size', async () => {
      const s = await store();
      const old = await approved(s, '一', T);
      const mid = await approved(s, '二', T + 10);
      const young = await approved(s, '三', T + 20);
      await s.upvote('room-a', mid.id, 'b', T + 30);
      expect((await s.listApproved('room-a', 'hot', 10)).map((c) => c.id)).toEqual([mid.id, young.id, old.id]);
      expect((await s.listApproved('room-a', 'new', 10)).map((c) => c.id)).toEqual([young.id, mid.id, old.id]);
      expect((await s.listApproved('room-a', 'new', 2)).map((c) => c.id)).toEqual([young.id, mid.id]);
      const shown = (await s.listApproved('room-a', 'hot', 10))[0];
      // The public's view carries no moderation fields.
      expect(Object.keys(shown ?? {}).sort()).toEqual(['answer', 'createdAt', 'id', 'name', 'place', 'roomId', 'status', 'text', 'themes', 'upvotes']);
    });

    test('the public list goes on after an offset in either order, and ends with an empty page', async () => {
      const s = await store();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await approved(s, `第${i}条`, T + i * 10)).id);
      await s.upvote('room-a', ids[1] ?? '', 'b', T + 100);
      await s.upvote('room-a', ids[3] ?? '', 'b', T + 101);
      await s.upvote('room-a', ids[3] ?? '', 'c', T + 102);
      // 最热: 3 (two upvotes), 1 (one), then the rest newest first.
      const hot = [ids[3], ids[1], ids[4], ids[2], ids[0]];
      const newest = [ids[4], ids[3], ids[2], ids[1], ids[0]];
      const pages = async (sort: 'hot' | 'new'): Promise<Array<Array<string>>> =>
        Promise.all([0, 2, 4, 6].map(async (offset) => (await s.listApproved('room-a', sort, 2, offset)).map((c) => c.id)));
      expect(await pages('hot')).toEqual([hot.slice(0, 2), hot.slice(2, 4), hot.slice(4), []]);
      expect(await pages('new')).toEqual([newest.slice(0, 2), newest.slice(2, 4), newest.slice(4), []]);
    });

    test('the staff lists are one per status: the queue oldest first, the decided ones newest first, each within its limit', async () => {
      const s = await store();
      const made = [];
      for (let i = 0; i < 6; i++) made.push(await submit(s, `第${i}条`, `b${i}`, T + i * 10));
      const [c0, c1, c2, c3, c4, c5] = made.map((c) => c.id) as [string, string, string, string, string, string];
      for (const id of [c0, c1, c3]) await s.moderate('room-a', id, { action: 'approve' }, T + 100);
      await s.moderate('room-a', c2, { action: 'reject', reason: 'offTopic' }, T + 101);
      const ids = async (status: 'pending' | 'approved' | 'rejected' | 'merged', limit = 10) => (await s.listForStaff('room-a', status, limit)).map((c) => c.id);
      expect(await ids('pending')).toEqual([c4, c5]);
      expect(await ids('pending', 1)).toEqual([c4]);
      expect(await ids('approved')).toEqual([c3, c1, c0]);
      expect(await ids('approved', 2)).toEqual([c3, c1]);
      expect(await ids('rejected')).toEqual([c2]);
      expect(await ids('merged')).toEqual([]);
      // 最热 for the staff: the most upvoted published ones (newer first among equals), with the staff's fields.
      await s.upvote('room-a', c0, 'x', T + 200);
      const hot = await s.hotForStaff('room-a', 2);
      expect(hot.map((c) => c.id)).toEqual([c0, c3]);
      expect(hot[0]).toMatchObject({ status: 'approved', upvotes: 1, moderatedAt: T + 100, heldFor: [] });
    });

    test('summary() gives the counts, themes, the most upvoted and the chain head; the export verifies', async () => {
      const s = await store();
      const a = await approved(s, '甲', T);
      const b = await approved(s, '乙', T + 1);
      const r = await submit(s, '丙');
      await s.moderate('room-a', r.id, { action: 'reject', reason: 'abusive' }, T + 2);
      await submit(s, '丁');
      await s.moderate('room-a', a.id, { action: 'tag', themes: ['资金', '噪音'] }, T + 3);
      await s.moderate('room-a', b.id, { action: 'tag', themes: ['资金'] }, T + 3);
      // A browser id that random comment ids and hashes cannot contain by chance (they are ASCII).
      await s.upvote('room-a', b.id, '点赞的浏览器', T + 4);
      await s.answer('room-a', b.id, { department: '财政局', text: '有补贴' }, T + 5);
      const summary = await s.summary('room-a');
      expect(summary.counts).toEqual({ received: 4, pending: 1, approved: 2, rejected: 1, merged: 0, answered: 1, upvotes: 1 });
      expect(summary.byTheme).toEqual([{ theme: '资金', count: 2 }, { theme: '噪音', count: 1 }]);
      expect(summary.mostUpvoted.map((c) => c.id)).toEqual([b.id, a.id]);
      const exported = await s.exportAll('room-a');
      expect(summary.chainHead).toEqual(await s.head('room-a'));
      expect(summary.chainHead.seq).toBe(exported.chain.length);
      expect(exported.chain.at(-1)?.hash).toBe(summary.chainHead.hash);
      expect(exported.comments).toHaveLength(4);
      expect(verifyCommentExport(exported)).toBeNull();
      // Nothing of a browser is in the export.
      expect(JSON.stringify(exported)).not.toContain('点赞的浏览器');
      expect(JSON.stringify(exported)).not.toContain('writer');
    });

    test('rooms are apart: counts, lists and chains of one room do not see another\'s', async () => {
      const s = await store();
      await approved(s, '甲');
      await submit(s, '乙', 'b1', T, 'room-b');
      expect((await s.counts('room-b')).received).toBe(1);
      expect((await s.counts('room-a')).received).toBe(1);
      expect((await s.head('room-b')).seq).toBe(1);
      expect((await s.head('room-a')).seq).toBe(2);
      expect(await s.listApproved('room-b', 'hot', 10)).toEqual([]);
    });

    test('what was recorded is there after reopening, with the same chain', async () => {
      const s = await store();
      if (fixture?.reopen === undefined) return;
      const c = await approved(s, '甲');
      await s.upvote('room-a', c.id, 'b9', T);
      const before = await s.exportAll('room-a');
      const again = await fixture.reopen();
      expect(await again.exportAll('room-a')).toEqual(before);
      expect((await again.upvote('room-a', c.id, 'b9', T)).counted).toBe(false);
      expect(await again.settings('room-a')).toEqual(SETTINGS);
    });
  });
}
