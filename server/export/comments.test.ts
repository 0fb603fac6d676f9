/**
 * The 群众留言 section in every export (Markdown, the print page, DOCX): the counts, themes,
 * most upvoted and staged comments with their answers; a meeting that received nothing says
 * so in words; a meeting without comments has no section, so its export is unchanged.
 */
import { describe, expect, test } from 'vitest';
import { minutesSkeleton } from '../../signaling/record/skeleton.js';
import { COMMENTS_SUMMARY, recordedMeeting } from '../../signaling/record/testing.js';
import type { Minutes } from '../../signaling/record/types.js';
import { fullRoom } from '../../signaling/room/testing.js';
import { minutesToDocx } from './docx.js';
import { minutesToHtml } from './html.js';
import { MARKDOWN_RECORD_START, minutesToMarkdown } from './markdown.js';
import { docxText } from './verify.js';

/** The visible text of each export, one paragraph or line per line. */
async function texts(m: Minutes): Promise<Record<'markdown' | 'html' | 'docx', string>> {
  const md = minutesToMarkdown(m);
  const html = minutesToHtml(m)
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<script[\s\S]*?<\/script>/, '')
    .replace(/<[^>]+>/g, '\n')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));
  return { markdown: md.slice(0, md.indexOf(MARKDOWN_RECORD_START)), html, docx: docxText(await minutesToDocx(m)) };
}

/** The text from the section's heading to the footer. */
function section(text: string): string {
  const from = text.indexOf('群众留言');
  const to = text.indexOf('内容 SHA-256');
  return from < 0 ? '' : text.slice(from, to);
}

const FORMATS = ['markdown', 'html', 'docx'] as const;

describe('the 群众留言 section of the exports', async () => {
  const locked = await texts(minutesSkeleton(recordedMeeting({ comments: true }).state, { comments: COMMENTS_SUMMARY }));
  const zero = fullRoom();
  zero.commentCounts = { received: 0, pending: 0, approved: 0, rejected: 0, merged: 0, answered: 0, upvotes: 0 };
  zero.ok({ type: 'room:end' }, 'host');
  const empty = await texts(minutesSkeleton(zero.state, { comments: { counts: zero.commentCounts, byTheme: [], mostUpvoted: [], chainHead: { seq: 0, hash: '' } } }));
  const without = await texts(minutesSkeleton(recordedMeeting().state));

  test.each(FORMATS)('%s: counts, themes, the most upvoted with answers, the staged comments in order, the chain head', (format) => {
    const s = section(locked[format]);
    const order = [
      '统计截至纪要锁定时，共收到留言 57 条',
      '按主题',
      '费用分摊',
      '17',
      '低层补偿',
      '点赞最多的留言',
      '1. 王阿姨（幸福街道） · 点赞 88 次 · 主题：费用分摊',
      '我住六楼，每天上下楼很吃力，希望尽快加装。',
      '费用能否按楼层分摊？',
      '区住建局答复（',
      '将按楼层系数测算分摊方案，年内公示。',
      '2. 一楼住户 · 点赞 40 次 · 主题：低层补偿',
      '上屏的留言',
      '1. 王阿姨（幸福街道） · 上屏 ',
      ' · 请区住建局答复',
      '将按楼层系数测算分摊方案，年内公示。',
      '2. 一楼住户 · 上屏 ',
      '暂无答复',
      `留言记录链头：第 131 条，哈希 ${COMMENTS_SUMMARY.chainHead.hash}`,
    ];
    let at = 0;
    for (const piece of order) {
      const found = s.indexOf(piece, at);
      expect(found, `${piece} after character ${at}`).toBeGreaterThanOrEqual(0);
      at = found + piece.length;
    }
  });

  test.each(FORMATS)('%s: a meeting that received no comment says 本次未收到群众留言, no empty table', (format) => {
    const s = section(empty[format]);
    expect(s).toContain('本次未收到群众留言。');
    expect(s).not.toContain('按主题');
    expect(s).not.toContain('上屏的留言');
  });

  test.each(FORMATS)('%s: a comment taken back after it was shown is listed without its content', async (format) => {
    const room = recordedMeeting({ comments: true });
    room.ok({ type: 'system:commentWithdrawn', commentId: 'c1' }, { kind: 'system' });
    const s = section((await texts(minutesSkeleton(room.state, { comments: COMMENTS_SUMMARY })))[format]);
    expect(s).toMatch(/1\. 上屏 20\d\d年\d{1,2}月\d{1,2}日 \d\d:\d\d · 该留言其后已被撤回，内容不予记录/);
    expect(s.slice(s.indexOf('上屏的留言'))).not.toContain('王阿姨');
  });

  test.each(FORMATS)('%s: a meeting held without comments has no section', (format) => {
    expect(section(without[format])).toBe('');
  });
});
