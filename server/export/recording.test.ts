import { describe, expect, test } from 'vitest';
import { atOffset, recordingFilePath } from '../../signaling/http/recording.js';
import { minutesRecord, minutesSkeleton } from '../../signaling/record/skeleton.js';
import { recordedMeeting } from '../../signaling/record/testing.js';
import { minutesToDocx } from './docx.js';
import { minutesToHtml } from './html.js';
import { minutesToMarkdown } from './markdown.js';
import type { RenderOptions } from './recordingSection.js';
import { recordedOnVideo, RECORDED_FILES } from './testing.js';
import { docxText } from './verify.js';
import { readZipEntry } from './zip.js';

const { room, summary } = recordedOnVideo();
const draft = minutesSkeleton(room.state);
room.recordingSummary = summary;
room.ok({ type: 'minutes:lock' }, 'sec');
const locked = minutesRecord(room.state, 1);
if (!locked) throw new Error('the lock made no version 1');
const [one, two] = summary.parts;
if (!one || !two) throw new Error('the fixture lost a part');

const ORIGIN = 'https://wsl.example.org';
/** Links as the minutes route makes them for staff: absolute, keyed. */
const linked: RenderOptions = {
  recordingUrl: (partIndex, offsetMs) => {
    const part = locked.recording?.parts[partIndex];
    return part && atOffset(`${ORIGIN}${recordingFilePath(locked.roomId, part.name, `key-${part.name}`)}`, offsetMs);
  },
};

describe('the 录像 section of a recorded meeting', () => {
  test('the record places the speeches: before the recording, in part 1, in part 2 past an hour', () => {
    expect(locked.speeches.map((s) => s.recordingAt)).toEqual([null, { part: 0, offsetMs: 30_000 }, { part: 1, offsetMs: 3_620_000 }]);
  });

  test('Markdown: each part with its start, length, size and SHA-256; each recorded speech with its place', () => {
    const md = minutesToMarkdown(locked);
    expect(md).toContain('## 录像');
    expect(md).toContain(`| 第1段 | 2023年11月15日 06:14:05 | 1分40秒 | 0.3 MB（${RECORDED_FILES[0].length.toLocaleString('en-US')} 字节） | ${one.sha256} |`);
    expect(md).toContain(`| 第2段 | `);
    expect(md).toContain(two.sha256);
    expect(md).toContain('   录像 第1段 00:00:30\n');
    expect(md).toContain('   录像 第2段 01:00:20\n');
    // m1 spoke before anything was recorded: no place to give.
    expect(md.match(/ 录像 第/g)).toHaveLength(2);
    expect(md).not.toContain('/recordings/');
  });

  test('Markdown with links: the part and each speech open the file, a speech at its second (#t=)', () => {
    const md = minutesToMarkdown(locked, linked);
    expect(md).toContain(`[录像 第1段 00:00:30](<${ORIGIN}/recordings/test-room/part-1.mp4?key=key-part-1#t=30>)`);
    expect(md).toContain(`[录像 第2段 01:00:20](<${ORIGIN}/recordings/test-room/part-2.mp4?key=key-part-2#t=3620>)`);
    expect(md).toContain(`| [第2段](<${ORIGIN}/recordings/test-room/part-2.mp4?key=key-part-2#t=0>) |`);
  });

  test('HTML: the section as a table, each recorded speech with its place, linked when links are given', () => {
    const plain = minutesToHtml(locked);
    expect(plain).toContain('<h2>录像</h2>');
    expect(plain).toContain(`<td>第1段</td><td>2023年11月15日 06:14:05</td><td>1分40秒</td>`);
    expect(plain).toContain(`<td>${one.sha256}</td>`);
    expect(plain).toContain('<p class="note">录像 第2段 01:00:20</p>');
    expect(plain).not.toContain('<a ');
    const html = minutesToHtml(locked, linked);
    expect(html).toContain(`<a href="${ORIGIN}/recordings/test-room/part-1.mp4?key=key-part-1#t=30">录像 第1段 00:00:30</a>`);
    expect(html).toContain(`<td><a href="${ORIGIN}/recordings/test-room/part-1.mp4?key=key-part-1#t=0">第1段</a></td>`);
  });

  test('DOCX: the same words in the text, the links in the relationships', async () => {
    const text = docxText(await minutesToDocx(locked));
    expect(text).toContain('录像');
    expect(text).toContain('第1段\n2023年11月15日 06:14:05\n1分40秒');
    expect(text).toContain(one.sha256);
    expect(text).toContain('录像 第2段 01:00:20');
    const withLinks = await minutesToDocx(locked, linked);
    expect(docxText(withLinks)).toBe(text);
    // Word keeps a link's fragment as the hyperlink's anchor and joins the two when it opens it.
    const rels = readZipEntry(withLinks, 'word/_rels/document.xml.rels')?.toString('utf8') ?? '';
    expect(rels).toContain(`Target="${ORIGIN}/recordings/test-room/part-2.mp4?key=key-part-2"`);
    expect(readZipEntry(withLinks, 'word/document.xml')?.toString('utf8')).toContain('w:anchor="t=3620"');
  });

  test('a draft lists the parts the log knows, with — for what only the lock reads', () => {
    const md = minutesToMarkdown(draft);
    expect(md).toMatch(/\| 第1段 \| 2023年11月15日 06:14:05 \| — \| — \| — \|/);
    expect(md).toContain('在纪要锁定时读取');
  });

  test('a link the caller gives that a document could not carry safely is left out, the text kept', () => {
    const hostile: RenderOptions = { recordingUrl: () => 'https://x.example/"><script>alert(1)</script>' };
    const html = minutesToHtml(locked, hostile);
    expect(html).not.toContain('<a ');
    expect(html).not.toContain('alert(1)');
    expect(html).toContain('录像 第1段 00:00:30');
    const md = minutesToMarkdown(locked, { recordingUrl: () => 'javascript:alert(1)' });
    expect(md).not.toContain('javascript');
  });
});

describe('a meeting never recorded', () => {
  const m = minutesSkeleton(recordedMeeting().state);
  const anyLink: RenderOptions = { recordingUrl: () => `${ORIGIN}/recordings/x/y.mp4` };

  test('its Markdown and HTML have no 录像 and are the same whether links are offered or not', () => {
    for (const render of [minutesToMarkdown, minutesToHtml]) {
      const plain = render(m);
      expect(plain).not.toContain('录像');
      expect(render(m, anyLink)).toBe(plain);
    }
  });

  test('its DOCX text has no 录像 and is the same whether links are offered or not', async () => {
    const text = docxText(await minutesToDocx(m));
    expect(text).not.toContain('录像');
    expect(docxText(await minutesToDocx(m, anyLink))).toBe(text);
  });
});
