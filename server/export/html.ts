/**
 * Minutes → a standalone, print-friendly HTML page (A4, inline CSS, Chinese fonts). Every
 * user text is cleaned and HTML-escaped; the page has no script that runs (the embedded record
 * is `application/json`, which browsers never execute).
 */
import { createHash } from 'node:crypto';
import type { Minutes, PollRecord, SpeechRecord, StatementRecord, VenueAttendance } from '../../signaling/record/types.js';
import {
  cleanText,
  embeddableJson,
  footerText,
  formatDuration,
  formatTime,
  label,
  paragraphs,
  pollRows,
  pollSummary,
  terms,
  timeLines,
  versionText,
} from './common.js';
import { minutesHash } from '../store/recordHash.js';
import { COMMENTS_HEADING, commentsBlocks, type Block, type Part } from './commentsSection.js';
import { pollTables } from './pollTables.js';
import { RECORDING_HEAD, RECORDING_HEADING, recordingAtText, recordingLink, recordingNote, recordingRow, type RenderOptions } from './recordingSection.js';

/** The element that carries the embedded record; the verifier looks for it. */
export const HTML_RECORD_OPEN = '<script type="application/json" id="minutes-record" data-sha256="';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return cleanText(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const h = escapeHtml;

const CSS = `
@page { size: A4; margin: 20mm 18mm; }
body { font-family: "Source Han Serif SC", "Noto Serif CJK SC", "Songti SC", "SimSun", "宋体", "Noto Sans CJK SC", "Microsoft YaHei", serif;
  font-size: 12pt; line-height: 1.6; color: #000; max-width: 174mm; margin: 0 auto; overflow-wrap: anywhere; }
h1 { text-align: center; font-size: 20pt; margin: 0 0 12pt; }
h2 { font-size: 14pt; border-bottom: 1px solid #000; margin: 16pt 0 6pt; }
h3 { font-size: 12pt; margin: 10pt 0 4pt; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; page-break-inside: auto; }
tr { page-break-inside: avoid; }
th, td { border: 1px solid #000; padding: 2pt 4pt; text-align: left; vertical-align: top; font-size: 10.5pt; }
th { background: #eee; }
ol { padding-left: 18pt; }
.note { margin: 0; color: #333; }
.record p { margin: 2pt 0; text-indent: 2em; }
.status { margin: 0 0 6pt; font-size: 10.5pt; }
.version { text-align: center; margin: -6pt 0 12pt; }
li { margin-bottom: 6pt; }
.comment-body { margin-left: 2em; }
footer { margin-top: 18pt; border-top: 1px solid #000; padding-top: 4pt; font-size: 9pt; word-break: break-all; }
@media print { th { background: none; } }
`;

/**
 * The page's one inline style as a CSP source. The app's own pages allow exactly this style:
 * the 打印页 button shows the page from a blob URL, and a blob document inherits the policy of
 * the page that made it (no 'unsafe-inline' there), which would otherwise strip its layout.
 */
export const PRINT_STYLE_SOURCE = `'sha256-${createHash('sha256').update(CSS).digest('base64')}'`;

function table(head: string[], rows: string[][]): string {
  const th = head.map((c) => `<th>${c}</th>`).join('');
  const trs = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${trs}\n</tbody></table>`;
}

function venueSection(v: VenueAttendance): string {
  const quorum = v.quorumMet === null ? '' : label.yesNo(v.quorumMet, '，达到法定人数', '，未达到法定人数');
  const title = `<h3>${h(v.name)}（实到 ${v.present} / 应到 ${v.expected}${quorum}）</h3>`;
  if (v.attendees.length === 0) return `${title}\n<p>无</p>`;
  const rows = v.attendees.map((a) => [
    h(a.name),
    label.role(a.role),
    h(a.sector),
    formatTime(a.joinedAt),
    formatTime(a.leftAt),
    formatDuration(a.presentMs),
    String(a.stays),
  ]);
  return `${title}\n${table(['姓名', '身份', '界别', '入会', '离会', '在会时长', '入会次数'], rows)}`;
}

function pollSection(poll: PollRecord, i: number, all: readonly PollRecord[]): string {
  const parts = [
    `<h3>${i + 1}. ${h(poll.question)}</h3>`,
    `<p>${label.kind(poll.kind)}；${pollSummary(poll)}</p>`,
    `<p>开始 ${formatTime(poll.openedAt)}，结束 ${formatTime(poll.closedAt)}</p>`,
    table(['选项', '票数'], pollRows(poll).map((r) => [h(r.option), r.count])),
  ];
  for (const t of pollTables(poll, all)) {
    parts.push(`<p>${h(t.caption)}</p>`);
    if (t.head.length > 0) parts.push(table(t.head.map(h), t.rows.map((r) => r.map(h))));
  }
  if (poll.ballots) {
    const rows = poll.ballots.map((b) => [h(b.name), b.choices.map((c) => h(label.option(poll, c))).join('、'), b.reason === null ? '' : h(b.reason)]);
    parts.push('<p>记名表决明细：</p>', table(['姓名', '选择', '理由'], rows));
  }
  if (poll.reasons.length > 0) {
    parts.push('<p>不同意见理由（不具名）：</p>', `<ul>${poll.reasons.map((r) => `<li>${h(r)}</li>`).join('')}</ul>`);
  }
  return parts.join('\n');
}

/** Paragraphs of user text, escaped, or `empty` when there are none. */
function textBlock(text: string, empty: string): string {
  const ps = paragraphs(text);
  return `<div class="record">${(ps.length > 0 ? ps.map(h) : [empty]).map((p) => `<p>${p}</p>`).join('')}</div>`;
}

/** `text` as a link to `url` (ours, or checked by recordingLink), or plain when there is none. */
function linked(text: string, url: string | undefined): string {
  return url === undefined ? h(text) : `<a href="${h(url)}">${h(text)}</a>`;
}

/** Where the speech starts in the recording, when it was recorded. */
function speechRecordingAt(s: SpeechRecord, options: RenderOptions): string {
  if (!s.recordingAt) return '';
  const { part, offsetMs } = s.recordingAt;
  return `<p class="note">${linked(recordingAtText(s.recordingAt), recordingLink(options, part, offsetMs))}</p>`;
}

function recordingSection(m: Minutes, options: RenderOptions): string[] {
  if (!m.recording) return [];
  const rows = m.recording.parts.map((p, i) => {
    const [first = '', ...rest] = recordingRow(p, i);
    return [linked(first, recordingLink(options, i, 0)), ...rest.map(h)];
  });
  return [`<h2>${RECORDING_HEADING}</h2>`, table(RECORDING_HEAD, rows), `<p>${h(recordingNote(m))}</p>`];
}

function speechItem(s: SpeechRecord, options: RenderOptions): string {
  const who = s.byVenue ? `${h(s.speaker)}（分会场集体发言）` : `${h(s.speaker)}（${h(s.venueName)}${s.sector ? ` · ${h(s.sector)}` : ''}）`;
  const note = s.note ? `<p class="note">事由：${h(s.note)}</p>` : '';
  const proposed = s.proposed === null ? '' : `<p class="note">${terms.proposed}：</p>${textBlock(s.proposed, '')}`;
  return [
    `<li><strong>${who}</strong> · ${label.speech(s.type)} · ${formatTime(s.startedAt)} · ${formatDuration(s.spokenMs)}${note}${speechRecordingAt(s, options)}`,
    `<p class="note">${terms.record}：</p>${textBlock(s.text, terms.unrecorded)}${proposed}`,
    `<p class="status">${terms.status}：${label.passage(s.status)}</p></li>`,
  ].join('');
}

function statementItem(st: StatementRecord): string {
  const who = `${h(st.author)}（${h(st.venueName)}${st.sector ? ` · ${h(st.sector)}` : ''}）`;
  return `<li><strong>${who}</strong> · ${terms.statement} · ${formatTime(st.submittedAt)}${textBlock(st.text, '')}</li>`;
}

function parts(ps: Part[]): string {
  return ps.map((p) => (typeof p === 'string' ? p : h(p.user))).join('');
}

/** A block of the 群众留言 section. */
function commentBlock(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `<h3>${parts(b.parts)}</h3>`;
    case 'line':
      return `<p>${parts(b.parts)}</p>`;
    case 'text':
      return textBlock(b.text, '');
    case 'table':
      return table(b.head, b.rows.map((r) => r.map((c) => parts([c]))));
    case 'item':
      return `<div class="comment"><p>${b.n}. ${parts(b.head)}</p><div class="comment-body">${b.body.map(commentBlock).join('')}</div></div>`;
  }
}

/**
 * Renders the minutes as a standalone HTML page, ending with the footer and the embedded record;
 * `options.recordingUrl` links the recording's parts and each speech's place in them.
 */
export function minutesToHtml(m: Minutes, options: RenderOptions = {}): string {
  const t = timeLines(m);
  const total = m.attendance[0];
  const body: string[] = ['<h1>会议纪要</h1>', `<p class="version">${versionText(m)}</p>`, '<h2>议题</h2>', `<p>${h(m.topic)}</p>`, '<h2>时间</h2>'];
  body.push(`<p>计划：${t.planned}<br>实际：${t.actual}<br>以上时间均为北京时间</p>`, '<h2>出席情况</h2>');
  if (total) {
    const quorum = m.quorumPercent === null ? '无法定人数要求' : `法定人数 ${m.quorumPercent}%，${label.yesNo(total.quorumMet, '已达到', '未达到')}`;
    body.push(`<p>应到委员 ${total.expected} 人，实到 ${total.present} 人；${quorum}。</p>`);
  }
  body.push(...m.attendance.slice(1).map(venueSection), '<h2>发言</h2>');
  if (m.speeches.length === 0) body.push('<p>无</p>');
  else body.push(`<ol>\n${m.speeches.map((s) => speechItem(s, options)).join('\n')}\n</ol>`);
  body.push(`<h2>${terms.statement}</h2>`);
  if (m.statements.length === 0) body.push('<p>无</p>');
  else body.push(`<ol>\n${m.statements.map(statementItem).join('\n')}\n</ol>`);
  body.push('<h2>表决</h2>', ...(m.polls.length === 0 ? ['<p>无</p>'] : m.polls.map(pollSection)), '<h2>点名</h2>');
  if (m.rollCall) {
    const rc = m.rollCall;
    body.push(
      `<p>${formatTime(rc.startedAt)} 至 ${formatTime(rc.endedAt)}；应到 ${rc.expected} 人，已应答 ${rc.confirmed.length} 人。</p>`,
      `<p>已应答：${rc.confirmed.map(h).join('、') || '无'}<br>未应答：${rc.absent.map(h).join('、') || '无'}${
        rc.notHeard === undefined ? '' : `<br>已应答但未听到声音：${rc.notHeard.map(h).join('、') || '无'}`
      }</p>`,
    );
  } else body.push('<p>无</p>');
  body.push(`<h2>${terms.conclusions}</h2>`, textBlock(m.conclusions, '无'), `<h2>${terms.actions}</h2>`);
  if (m.actions.length === 0) body.push('<p>无</p>');
  else {
    const rows = m.actions.map((a, i) => [String(i + 1), h(a.text), h(a.owner), h(label.due(a.due))]);
    body.push(table(['序号', terms.actionText, terms.owner, terms.due], rows));
  }
  body.push(...recordingSection(m, options));
  if (m.comments) body.push(`<h2>${COMMENTS_HEADING}</h2>`, ...commentsBlocks(m.comments).map(commentBlock));
  body.push(`<footer>${h(footerText(m))}</footer>`);
  return [
    '<!DOCTYPE html>',
    '<html lang="zh-CN">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>会议纪要 · ${h(m.topic)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    ...body,
    `${HTML_RECORD_OPEN}${minutesHash(m)}">${embeddableJson(m)}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
