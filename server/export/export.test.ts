import { describe, expect, test } from 'vitest';
import { minutesSkeleton } from '../../signaling/record/skeleton.js';
import { fillMinutes, longMeeting, NAMES, recordedMeeting } from '../../signaling/record/testing.js';
import type { Minutes } from '../../signaling/record/types.js';
import { contentHash, minutesHash } from '../store/recordHash.js';
import { minutesToDocx } from './docx.js';
import { minutesToHtml } from './html.js';
import { escapeMarkdown, minutesToMarkdown } from './markdown.js';
import { docxText } from './verify.js';
import { readZipEntry } from './zip.js';

const minutes = minutesSkeleton(recordedMeeting().state);
const hash = minutesHash(minutes);

// Control characters XML 1.0 forbids (and that terminals interpret), plus U+FFFE.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const LONG = '长'.repeat(10_000);
const HOSTILE = `<script>alert(1)</script>**粗体**[链接](javascript:x)\u0000\u0007\u001b\uFFFE-->${LONG}`;

/** The recorded minutes with hostile text in a name, a speaker, a note, a question and an option. */
function hostileMinutes(): Minutes {
  const [total, city, ...rest] = minutes.attendance;
  if (!total || !city) throw new Error('fixture lost its venues');
  const [first, ...attendees] = city.attendees;
  if (!first) throw new Error('fixture lost its attendees');
  const [speech, ...speeches] = minutes.speeches;
  const [poll, ...polls] = minutes.polls;
  if (!speech || !poll) throw new Error('fixture lost its speeches or polls');
  return {
    ...minutes,
    attendance: [total, { ...city, attendees: [{ ...first, name: HOSTILE, sector: HOSTILE }, ...attendees] }, ...rest],
    speeches: [{ ...speech, speaker: HOSTILE, note: HOSTILE }, ...speeches],
    polls: [{ ...poll, question: HOSTILE, kind: 'single', options: [HOSTILE, 'b', 'c'] }, ...polls],
  };
}

function documentXml(docx: Buffer): string {
  const xml = readZipEntry(docx, 'word/document.xml');
  if (!xml) throw new Error('no word/document.xml');
  return xml.toString('utf8');
}

describe('Markdown and HTML exports', () => {
  const md = minutesToMarkdown(minutes);
  const html = minutesToHtml(minutes);

  test('minutesToMarkdown() has the Chinese headings, topic, speakers, poll results and the hash', () => {
    for (const heading of ['# 会议纪要', '## 议题', '## 时间', '## 出席情况', '## 发言', '## 表决', '## 点名']) expect(md).toContain(heading);
    expect(md).toContain('老旧小区加装电梯');
    expect(md).toContain(`**${NAMES.m1}（主会场 · 经济界）**`);
    expect(md).toContain('事由：低层住户如何补偿？');
    expect(md).toContain('| 西侧方案 | 2 |');
    expect(md).toContain(`内容 SHA-256：${hash}`);
    expect(md).toContain(`日志链头：第 ${minutes.seq} 条事件，哈希 ${minutes.chainHead}`);
    // The rule of the named yes/no poll, with what its majority counted, and its verdict.
    expect(md).toContain('通过标准：过半数（以实际投票计，弃权不计），结果：通过');
  });

  test('minutesToHtml() is a standalone A4 page with the topic, speakers and the hash', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('size: A4');
    expect(html).toContain('Noto Serif CJK SC');
    expect(html).toContain('<p>老旧小区加装电梯</p>');
    expect(html).toContain(`<strong>${NAMES.m2}（一区 · 教育界）</strong>`);
    expect(html).toContain(`内容 SHA-256：${hash}`);
    expect(html).not.toMatch(/<script(?! type="application\/json" id="minutes-record")/);
  });

  test('the secret poll names no voter in any export, named ballots do', () => {
    const secretAt = md.indexOf('### 2.');
    const secretSection = md.slice(secretAt, md.indexOf('## 点名'));
    for (const name of [NAMES.m1, NAMES.m2, NAMES.v1]) expect(secretSection).not.toContain(name);
    expect(md.slice(md.indexOf('### 1.'), secretAt)).toContain(`| ${NAMES.m2} | 反对 |  |`);
  });

  test('hostile text comes out escaped and without control characters in Markdown', () => {
    const out = minutesToMarkdown(hostileMinutes());
    expect(out).not.toContain('<script');
    expect(out).not.toMatch(CONTROL);
    expect(out).toContain('&lt;script&gt;alert\\(1\\)&lt;/script&gt;\\*\\*粗体\\*\\*\\[链接\\]\\(javascript\\:x\\)');
    expect(out).toContain(LONG);
    // Only the record's own comment closes: the hostile `-->` cannot end it early.
    expect(out.match(/-->/g)).toHaveLength(1);
  });

  test('hostile text comes out escaped and without control characters in HTML', () => {
    const out = minutesToHtml(hostileMinutes());
    expect(out.match(/<script/g)).toHaveLength(1);
    expect(out.match(/<\/script>/g)).toHaveLength(1);
    expect(out).not.toMatch(CONTROL);
    expect(out).toContain('&#60;script&#62;alert(1)&#60;/script&#62;**粗体**');
    expect(out).toContain(LONG);
  });
});

describe('DOCX export', () => {
  test('minutesToDocx() writes the Chinese text, an attendance table, a table per poll and the hash', async () => {
    const docx = await minutesToDocx(minutes);
    expect(docx.subarray(0, 2).toString('latin1')).toBe('PK');
    const xml = documentXml(docx);
    expect(xml).toContain('老旧小区加装电梯');
    // Three venues with attendees and two polls (each: results, the named one also ballots and
    // its results by venue and by sector; the secret one's 3 voters are too few to group).
    expect(xml.match(/<w:tbl>/g)).toHaveLength(3 + 2 + 1 + 2);
    expect(docxText(docx)).toContain('按界别：不分组显示（各组人数不足或可相互推算）。');
    const text = docxText(docx);
    for (const heading of ['会议纪要', '议题', '出席情况', '发言', '表决', '点名']) expect(text.split('\n')).toContain(heading);
    const cityTable = xml.slice(xml.indexOf('主会场（实到'), xml.indexOf('一区（实到'));
    for (const cell of ['姓名', '入会次数', NAMES.m1, '经济界', '14分15秒']) expect(cityTable).toContain(`>${cell}</w:t>`);
    expect(text).toContain(`内容 SHA-256：${hash}`);
    expect(readZipEntry(docx, 'docProps/custom.xml')?.toString('utf8')).toContain(hash);
  });

  test('hostile text stays plain text in the DOCX, without control characters', async () => {
    const docx = await minutesToDocx(hostileMinutes());
    const xml = documentXml(docx);
    const custom = readZipEntry(docx, 'docProps/custom.xml')?.toString('utf8') ?? '';
    expect(xml).not.toContain('<script');
    expect(custom).not.toContain('<script');
    expect(xml).not.toMatch(CONTROL);
    expect(custom).not.toMatch(CONTROL);
    const text = docxText(docx);
    expect(text).toContain(`<script>alert(1)</script>**粗体**[链接](javascript:x)-->${LONG}`);
  });

  test('a 3-hour meeting with 60 speeches exports to DOCX with every speech', async () => {
    const room = longMeeting(60, 3);
    const long = minutesSkeleton(room.state);
    expect(long.speeches).toHaveLength(60);
    expect((long.actualEnd ?? 0) - (long.actualStart ?? 0)).toBeGreaterThanOrEqual(3 * 3_600_000 - 60_000);
    const text = docxText(await minutesToDocx(long));
    for (const n of [1, 30, 60]) expect(text).toContain(`第${n}个发言`);
    expect(text).toContain(minutesHash(long));
  });
});

describe('the written minutes in every export', () => {
  const filled = minutesSkeleton(fillMinutes(recordedMeeting()).state);
  const firstParagraph = filled.speeches[0]?.text.split('\n')[0] ?? '';
  const proposed = filled.speeches[2]?.proposed?.split('\n')[1] ?? '';

  test('the fixture has a written passage, a proposed correction and statements to look for', () => {
    expect(firstParagraph.length).toBeGreaterThan(20);
    expect(proposed).toBe('（发言人更正）');
    expect(filled.statements).toHaveLength(2);
  });

  test('Markdown: passages by paragraph with their 核稿 status, statements, conclusions and the action table', () => {
    const md = minutesToMarkdown(filled);
    for (const heading of ['## 书面发言', '## 会议结论', '## 落实事项']) expect(md).toContain(heading);
    expect(md).toContain(`   ${escapeMarkdown(firstParagraph)}\n`);
    expect(md).toContain('   核稿状态：已确认');
    expect(md).toContain('   核稿状态：集体发言，无需核稿');
    expect(md).toContain('   核稿状态：提出修改');
    const proposal = md.slice(md.indexOf('   发言人提出的修改：\n\n   '), md.indexOf('   核稿状态：提出修改'));
    expect(proposal).toContain(`\n   ${escapeMarkdown('（发言人更正）')}\n`);
    expect(md).toContain(`1. **${NAMES.m1}（主会场 · 经济界）** · 书面发言 · `);
    expect(md).toContain('| 序号 | 事项 | 责任单位（人） | 完成时限 |');
    expect(md).toContain('| 1 | 会同街道拟定加装电梯实施方案并公示 | 区住建局 | 2025年6月30日 |');
    expect(md).toContain('| 2 | 逐户征求低层住户意见，形成书面记录 | 街道办事处 | 未定 |');
    expect(md).toContain(`第1版 · 草稿，未锁定 · 内容 SHA-256：${contentHash(filled)}`);
  });

  test('HTML: the same parts, each paragraph its own <p>', () => {
    const html = minutesToHtml(filled);
    for (const heading of ['<h2>书面发言</h2>', '<h2>会议结论</h2>', '<h2>落实事项</h2>']) expect(html).toContain(heading);
    expect(html).toContain(`<p>${firstParagraph}</p>`);
    expect(html).toContain('<p class="status">核稿状态：提出修改</p>');
    expect(html).toContain('<td>逐户征求低层住户意见，形成书面记录</td><td>街道办事处</td><td>未定</td>');
    expect(html).toContain(`<strong>${NAMES.m2}（一区 · 教育界）</strong> · 书面发言 · `);
  });

  test('DOCX: the same parts in document.xml, with a table for the action items', async () => {
    const docx = await minutesToDocx(filled);
    const xml = documentXml(docx);
    // Eight tables as before, plus the action items.
    expect(xml.match(/<w:tbl>/g)).toHaveLength(3 + 2 + 1 + 2 + 1);
    const lines = docxText(docx).split('\n');
    for (const heading of ['书面发言', '会议结论', '落实事项']) expect(lines).toContain(heading);
    for (const line of [firstParagraph, '核稿状态：已确认', '核稿状态：提出修改', '（发言人更正）', '第1版 · 草稿，未锁定']) expect(lines).toContain(line);
    const actions = xml.slice(xml.indexOf('>落实事项<'));
    for (const cell of ['区住建局', '2025年6月30日', '未定', '测算补贴资金并提出分摊建议']) expect(actions).toContain(`>${cell}</w:t>`);
  });

  test('a locked record says so, and its footer hash is the content hash, not the hash of the record with its lock time', () => {
    const locked = { ...filled, lockedAt: 1_700_000_000_000 };
    const md = minutesToMarkdown(locked);
    expect(md).toContain(`第1版 · 已锁定（2023年11月15日 06:13） · 内容 SHA-256：${contentHash(filled)}`);
    expect(contentHash(locked)).toBe(minutesHash(filled));
    expect(minutesHash(locked)).not.toBe(minutesHash(filled));
  });
});

describe('the roll call in every export', () => {
  test('counts against 应到 and lists only the seats that did not answer, never the secretary', async () => {
    const rc = minutes.rollCall;
    expect(rc).toMatchObject({ expected: 5, confirmed: [NAMES.m1, NAMES.m2], absent: [NAMES.v1] });
    const texts = [minutesToMarkdown(minutes), minutesToHtml(minutes), documentXml(await minutesToDocx(minutes))];
    for (const text of texts) {
      expect(text).toContain('应到 5 人，已应答 2 人');
      const notAnswered = text.slice(text.indexOf('未应答：'), text.indexOf('未应答：') + 40);
      expect(notAnswered).toContain(NAMES.v1);
      expect(notAnswered).not.toContain(NAMES.sec);
    }
  });
});
