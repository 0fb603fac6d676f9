/**
 * The record in proper Chinese: in every export (Markdown, the print page, DOCX) the written
 * parts use full-width punctuation inside Chinese text, dates read as on the screen
 * (2026年12月2日), and a poll's rule says what its majority counted.
 */
import { describe, expect, test } from 'vitest';
import { minutesSkeleton } from '../../signaling/record/skeleton.js';
import { COMMENTS_SUMMARY, fillMinutes, recordedMeeting } from '../../signaling/record/testing.js';
import type { Minutes } from '../../signaling/record/types.js';
import { minutesToDocx } from './docx.js';
import { minutesToHtml } from './html.js';
import { MARKDOWN_RECORD_START, minutesToMarkdown } from './markdown.js';
import { docxText } from './verify.js';

/**
 * A realistic record: the recorded meeting with its minutes written up (passages, corrections,
 * statements, conclusions, action items with due dates), locked, and its named poll also shown
 * counted against everybody eligible, and the public's comments as a lock records them, so
 * every wording of the record appears.
 */
function realisticMinutes(): Minutes {
  const m = minutesSkeleton(fillMinutes(recordedMeeting({ comments: true })).state, { comments: COMMENTS_SUMMARY });
  const [named, ...rest] = m.polls;
  if (!named) throw new Error('fixture lost its polls');
  const eligible = { ...named, question: '是否同意按楼层分摊费用？', basis: 'eligible' as const, passed: false };
  return { ...m, polls: [named, ...rest, eligible], lockedAt: (m.actualEnd ?? 0) + 3_600_000 };
}

const HALF_WIDTH = /[,:;()]/g;
const HAN = /\p{Script=Han}/u;

/**
 * Half-width `,:;()` that sit in Chinese text: next to a Chinese character, or separated from
 * one only by digits, spaces or `%` (应到 3 人,实到 / 主会场(实到 1 / 应到 1)). A clock time's
 * colon (09:30) is not punctuation of the text.
 */
function halfWidthInChinese(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(HALF_WIDTH)) {
    const at = match.index;
    const before = text.slice(0, at).replace(/[\d %]*$/, '');
    const after = text.slice(at + 1).replace(/^[\d %]*/, '');
    if (match[0] === ':' && /\d$/.test(text.slice(0, at)) && /^\d/.test(text.slice(at + 1))) continue;
    if (HAN.test(before.at(-1) ?? '') || HAN.test(after[0] ?? '')) found.push(text.slice(Math.max(0, at - 12), at + 12));
  }
  return found;
}

/** What a reader sees of each export: the Markdown above its embedded record, the page's text, the document's paragraphs. */
async function visibleTexts(m: Minutes): Promise<Record<'markdown' | 'html' | 'docx', string>> {
  const md = minutesToMarkdown(m);
  const html = minutesToHtml(m)
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<script[\s\S]*?<\/script>/, '')
    .replace(/<[^>]+>/g, '\n')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));
  return { markdown: md.slice(0, md.indexOf(MARKDOWN_RECORD_START)), html, docx: docxText(await minutesToDocx(m)) };
}

describe('the exported minutes in Chinese (zh-CN)', async () => {
  const minutes = realisticMinutes();
  const texts = await visibleTexts(minutes);

  test.each(['markdown', 'html', 'docx'] as const)('%s has no half-width ,:;() inside Chinese text', (format) => {
    const text = texts[format];
    // The check would catch what the record used to say.
    expect(halfWidthInChinese('应到委员 3 人,实到 2 人;计划:主会场(实到 1 / 应到 1)')).toHaveLength(5);
    expect(halfWidthInChinese('开始 2026年12月2日 09:30')).toEqual([]);
    expect(text.length).toBeGreaterThan(2000);
    expect(halfWidthInChinese(text)).toEqual([]);
  });

  test.each(['markdown', 'html', 'docx'] as const)('%s writes full-width punctuation, dates as on the screen, and the rule with its basis', (format) => {
    const text = texts[format];
    expect(text).toMatch(/应到委员 \d+ 人，实到 \d+ 人；法定人数 60%，(已达到|未达到)。/);
    expect(text).toMatch(/主会场（实到 \d+ \/ 应到 \d+，(达到|未达到)法定人数）/);
    expect(text).toContain('计划：');
    expect(text).toMatch(/实际：20\d\d年\d{1,2}月\d{1,2}日 \d\d:\d\d 至 20\d\d年\d{1,2}月\d{1,2}日 \d\d:\d\d/);
    expect(text).toMatch(/第1版 · 已锁定（20\d\d年\d{1,2}月\d{1,2}日 \d\d:\d\d）/);
    expect(text).toContain('2025年6月30日');
    expect(text).toContain('通过标准：过半数（以实际投票计，弃权不计），结果：通过');
    expect(text).toContain('通过标准：过半数（以应投人数计），结果：未通过');
    expect(text).toContain('记名投票；应投 3 人，实投 3 人；法定人数已达到；');
    expect(text).toContain('统计截至纪要锁定时，共收到留言 57 条：审核通过 41 条，未通过 9 条，待审核 3 条，合并重复 4 条；部门已答复 12 条；点赞共 318 次。');
    expect(text).toMatch(/王阿姨（幸福街道） · 上屏 20\d\d年\d{1,2}月\d{1,2}日 \d\d:\d\d · 请区住建局答复 · 主题：费用分摊/);
    expect(text).toMatch(/区住建局答复（20\d\d年\d{1,2}月\d{1,2}日 \d\d:\d\d）：/);
    // No ISO dates anywhere a reader looks.
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });
});
