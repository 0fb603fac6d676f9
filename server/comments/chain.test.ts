import { describe, expect, test } from 'vitest';
import { SqliteCommentStore } from './SqliteCommentStore.js';
import { verifyCommentExport, type CommentExport } from './chain.js';

/** An export with a little of everything: submitted, approved, tagged, upvoted, answered, rejected. */
async function sample(): Promise<CommentExport> {
  const store = SqliteCommentStore.open(':memory:');
  try {
    await store.setSettings('r', { opensAt: 0, closesAt: null, background: '', themes: ['资金'], heldWords: [] });
    const a = await store.submit('r', { name: '李', place: '', text: '第一条' }, 'b', 1);
    const b = await store.submit('r', { name: '王', place: '东街', text: '第二条' }, 'b', 2);
    await store.moderate('r', a.id, { action: 'approve' }, 3);
    await store.moderate('r', a.id, { action: 'tag', themes: ['资金'] }, 4);
    await store.upvote('r', a.id, 'x', 5);
    await store.answer('r', a.id, { department: '住建局', text: '收到' }, 6);
    await store.moderate('r', b.id, { action: 'reject', reason: 'offTopic' }, 7);
    return await store.exportAll('r');
  } finally {
    await store.close();
  }
}

const copy = (e: CommentExport): CommentExport => structuredClone(e);

describe('verifyCommentExport', () => {
  test('a whole export verifies', async () => {
    expect(verifyCommentExport(await sample())).toBeNull();
  });

  test('an edited comment text, an edited entry, a dropped entry or a dropped comment is found', async () => {
    const whole = await sample();

    const text = copy(whole);
    text.comments[0]!.text = '被改过的';
    expect(verifyCommentExport(text)?.reason).toMatch(/not what the chain makes/);

    const upvotes = copy(whole);
    upvotes.comments[0]!.upvotes = 99;
    expect(verifyCommentExport(upvotes)).not.toBeNull();

    const entry = copy(whole);
    const submitted = entry.chain[1];
    if (submitted?.type !== 'submitted') throw new Error('the second entry should be a submission');
    submitted.data.comment.text = '改了链里的';
    expect(verifyCommentExport(entry)).toEqual({ seq: 2, reason: expect.stringMatching(/hash/) as unknown });

    const dropped = copy(whole);
    dropped.chain.splice(2, 1);
    expect(verifyCommentExport(dropped)?.seq).toBe(4);

    const rehashedTail = copy(whole);
    rehashedTail.chain.pop();
    // The last entry gone: every hash still follows, but the comments no longer match the chain.
    expect(verifyCommentExport(rehashedTail)?.reason).toMatch(/not what the chain makes/);

    const missing = copy(whole);
    missing.comments.pop();
    expect(verifyCommentExport(missing)?.reason).toMatch(/2 comments|1 comments/);
  });
});
