// @vitest-environment jsdom
/**
 * Hostile content in every user-text field of the record (names, venues, sectors, notes,
 * passages, proposed corrections, questions, options, reasons, conclusions, action items,
 * written statements, public comments and departments' answers): each export stays well-formed, shows the text literally and carries
 * the record back intact. jsdom's parsers stand in for a browser and for Word's XML reader.
 */
import { describe, expect, test } from 'vitest';
import { minutesSkeleton } from '../../signaling/record/skeleton.js';
import { COMMENTS_SUMMARY, fillMinutes, recordedMeeting } from '../../signaling/record/testing.js';
import { MinutesSchema, type Minutes } from '../../signaling/record/types.js';
import { canonicalJson } from '../../signaling/room/events.js';
import { minutesToDocx } from './docx.js';
import { HTML_RECORD_OPEN, minutesToHtml } from './html.js';
import { minutesToMarkdown } from './markdown.js';
import { docxText } from './verify.js';
import { readZipEntry } from './zip.js';

// Controls XML 1.0 forbids (Word refuses such a file), DEL and C1, bidi overrides, U+FFFE/F.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\uFFFE\uFFFF]/;
// Long, in some 80 fields at once: the page is megabytes, which jsdom parses slowly (hence the timeout).
const LONG = '长'.repeat(8_000);
const SCRIPT = '<script>alert(1)</script>';
/** Markup of every target format, comment and CDATA ends, controls, a lone surrogate, a long run. */
const HOSTILE = `${SCRIPT}<img src=x onerror=alert(2)>]]>--><w:t>x</w:t>&amp;**b**\u0000\u0007\u001b\u007f\u0085\u202e\uFFFE\uD800${LONG}`;
/** The multi-line fields also get every kind of line break. */
const HOSTILE_TEXT = `${HOSTILE}\n第二段${SCRIPT}\r\n\u2028第三段\u0000`;

// Fields that are fixed vocabularies or identifiers, never user text.
const NOT_USER_TEXT = new Set(['format', 'roomId', 'chainHead', 'role', 'type', 'kind', 'threshold', 'status', 'venue', 'countedAt', 'hash']);
const MULTI_LINE = new Set(['text', 'proposed', 'conclusions']);

/** Every user-text string of the record replaced by hostile text. */
function hostile<T>(value: T, key = ''): T {
  if (typeof value === 'string') return (NOT_USER_TEXT.has(key) ? value : MULTI_LINE.has(key) ? HOSTILE_TEXT : HOSTILE) as T;
  if (Array.isArray(value)) return value.map((v) => hostile(v, key)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hostile(v, k)])) as T;
  }
  return value;
}

// With the 群众留言 section as a lock draws it: comments on stage, the most upvoted, themes, answers.
const base = minutesSkeleton(fillMinutes(recordedMeeting({ comments: true })).state, { comments: COMMENTS_SUMMARY });
const m: Minutes = MinutesSchema.parse(hostile(base));

function parseXml(xml: string): Document {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const error = doc.getElementsByTagName('parsererror')[0];
  if (error) throw new Error(`not well-formed XML: ${error.textContent ?? ''}`);
  return doc;
}

describe('hostile text in every field', { timeout: 30_000 }, () => {
  test('the fixture really has hostile text in names, passages, proposals, polls, actions and statements', () => {
    const json = canonicalJson(m);
    expect(json.split(SCRIPT.replace('<', '\\u003c')).length + json.split(SCRIPT).length).toBeGreaterThan(40);
    expect(m.speeches[0]).toMatchObject({ speaker: HOSTILE, text: HOSTILE_TEXT, note: HOSTILE });
    expect(m.speeches[2]?.proposed).toBe(HOSTILE_TEXT);
    expect(m.actions[0]).toEqual({ owner: HOSTILE, due: HOSTILE, text: HOSTILE_TEXT });
    expect(m.statements[0]).toMatchObject({ author: HOSTILE, venueName: HOSTILE, text: HOSTILE_TEXT });
    expect(m.polls[0]?.question).toBe(HOSTILE);
    expect(m.comments?.staged[0]).toMatchObject({ name: HOSTILE, place: HOSTILE, text: HOSTILE_TEXT, askedDepartment: HOSTILE, themes: [HOSTILE] });
    expect(m.comments?.staged[0]?.answer).toMatchObject({ department: HOSTILE, text: HOSTILE_TEXT });
    expect(m.comments?.mostUpvoted[0]).toMatchObject({ name: HOSTILE, text: HOSTILE_TEXT });
    expect(m.comments?.byTheme[0]?.theme).toBe(HOSTILE);
  });

  test('HTML: one script element (the inert record), no injected element or handler, the text shown literally', () => {
    const html = minutesToHtml(m);
    expect(html).not.toMatch(CONTROL);
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const scripts = [...doc.querySelectorAll('script')];
    expect(scripts.map((s) => s.type)).toEqual(['application/json']);
    expect(doc.querySelectorAll('img, [onerror]')).toHaveLength(0);
    const text = doc.body.textContent ?? '';
    expect(text).toContain(`${SCRIPT}<img src=x onerror=alert(2)>]]>--><w:t>x</w:t>&amp;**b**`);
    expect(text).toContain(LONG);
    expect(text).toContain(`第二段${SCRIPT}`);
    // The embedded record survives as the same record.
    expect(html).toContain(HTML_RECORD_OPEN);
    expect(JSON.parse(scripts[0]?.textContent ?? '')).toEqual(JSON.parse(canonicalJson(m)));
  });

  test('Markdown: no raw markup, no controls, only the record closes its comment', () => {
    const md = minutesToMarkdown(m);
    expect(md).not.toMatch(CONTROL);
    expect(md).not.toContain('<script');
    expect(md).not.toContain('<img');
    expect(md.match(/-->/g)).toHaveLength(1);
    expect(md).toContain(LONG);
    // Each paragraph of a passage is its own (escaped) line inside its list item.
    expect(md).toContain('\n   第二段&lt;script&gt;alert\\(1\\)&lt;/script&gt;\n');
  });

  test('DOCX: document.xml and custom.xml are well-formed XML, free of forbidden characters, with the text literal', async () => {
    const docx = await minutesToDocx(m);
    const xml = readZipEntry(docx, 'word/document.xml')?.toString('utf8') ?? '';
    const custom = readZipEntry(docx, 'docProps/custom.xml')?.toString('utf8') ?? '';
    for (const part of [xml, custom]) {
      expect(part).not.toMatch(CONTROL);
      expect(part).not.toContain('<script');
      expect(() => parseXml(part)).not.toThrow();
    }
    // No run of user text became markup: every w:t holds text only.
    const body = parseXml(xml);
    expect(body.getElementsByTagName('w:t').length).toBeGreaterThan(100);
    for (const t of body.getElementsByTagName('w:t')) expect(t.children).toHaveLength(0);
    const lines = docxText(docx).split('\n');
    const literal = `${SCRIPT}<img src=x onerror=alert(2)>]]>--><w:t>x</w:t>&amp;**b**\uFFFD${LONG}`;
    expect(lines).toContain(literal);
    expect(lines).toContain(`第二段${SCRIPT}`);
    expect(lines).toContain('第三段');
  });
});
