/**
 * Minutes → Markdown. Every user text (names, notes, questions, options, reasons) is cleaned
 * and escaped, so it renders as the same literal text in any CommonMark/GFM viewer: no
 * emphasis, links, tables or raw HTML can come from a participant.
 */
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
import { pollTables } from './pollTables.js';
import { COMMENTS_HEADING, commentsBlocks, type Block, type Part } from './commentsSection.js';
import { RECORDING_HEAD, RECORDING_HEADING, recordingAtText, recordingLink, recordingNote, recordingRow, type RenderOptions } from './recordingSection.js';

/** Where the embedded record starts; the verifier looks for it. */
export const MARKDOWN_RECORD_START = '<!-- minutes-record sha256=';

/** Escapes text for Markdown: ASCII punctuation backslash-escaped, `&<>` as entities. */
export function escapeMarkdown(text: string): string {
  return cleanText(text)
    .replace(/[\\`*_{}[\]()#+\-.!|~"'=:^$]/g, '\\$&')
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

const e = escapeMarkdown;

/** A table row; label text is ours, so only the cells given as user text are escaped. */
function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function attendanceSection(v: VenueAttendance): string[] {
  const quorum = label.yesNo(v.quorumMet, '，达到法定人数', '，未达到法定人数');
  const lines = [`### ${e(v.name)}（实到 ${v.present} / 应到 ${v.expected}${v.quorumMet === null ? '' : quorum}）`, ''];
  if (v.attendees.length === 0) return [...lines, '无', ''];
  lines.push(row(['姓名', '身份', '界别', '入会', '离会', '在会时长', '入会次数']), row(Array(7).fill('---')));
  for (const a of v.attendees) {
    lines.push(row([e(a.name), label.role(a.role), e(a.sector), formatTime(a.joinedAt), formatTime(a.leftAt), formatDuration(a.presentMs), String(a.stays)]));
  }
  return [...lines, ''];
}

function pollSection(poll: PollRecord, i: number, all: readonly PollRecord[]): string[] {
  const lines = [`### ${i + 1}. ${e(poll.question)}`, '', `${label.kind(poll.kind)}；${pollSummary(poll)}`, ''];
  lines.push(`开始 ${formatTime(poll.openedAt)}，结束 ${formatTime(poll.closedAt)}`, '');
  lines.push(row(['选项', '票数']), row(['---', '---']));
  for (const r of pollRows(poll)) lines.push(row([e(r.option), r.count]));
  lines.push('');
  for (const t of pollTables(poll, all)) {
    lines.push(t.caption, '');
    if (t.head.length === 0) continue;
    lines.push(row(t.head.map(e)), row(t.head.map(() => '---')), ...t.rows.map((r) => row(r.map(e))), '');
  }
  if (poll.ballots) {
    lines.push('记名表决明细：', '', row(['姓名', '选择', '理由']), row(['---', '---', '---']));
    for (const b of poll.ballots) {
      lines.push(row([e(b.name), b.choices.map((c) => e(label.option(poll, c))).join('、'), b.reason === null ? '' : e(b.reason)]));
    }
    lines.push('');
  }
  if (poll.reasons.length > 0) {
    lines.push('不同意见理由（不具名）：', '', ...poll.reasons.map((r) => `- ${e(r)}`), '');
  }
  return lines;
}

/** Paragraphs of user text, escaped, indented to stay inside a list item. */
function textBlock(text: string, indent: string): string[] {
  return paragraphs(text).flatMap((p) => [`${indent}${e(p)}`, '']);
}

/**
 * `text` (ours, never user text) as a link to `url`, or plain when there is none. The target is
 * written in angle brackets, which recordingLink's check keeps from being closed early.
 */
function linked(text: string, url: string | undefined): string {
  return url === undefined ? text : `[${text}](<${url}>)`;
}

function recordingSection(m: Minutes, options: RenderOptions): string[] {
  if (!m.recording) return [];
  const lines = [`## ${RECORDING_HEADING}`, '', row(RECORDING_HEAD), row(RECORDING_HEAD.map(() => '---'))];
  m.recording.parts.forEach((p, i) => {
    const [first = '', ...rest] = recordingRow(p, i);
    lines.push(row([linked(first, recordingLink(options, i, 0)), ...rest]));
  });
  return [...lines, '', recordingNote(m), ''];
}

function speechSection(s: SpeechRecord, i: number, options: RenderOptions): string[] {
  const who = s.byVenue ? `${e(s.speaker)}（分会场集体发言）` : `${e(s.speaker)}（${e(s.venueName)}${s.sector ? ` · ${e(s.sector)}` : ''}）`;
  const lines = [`${i + 1}. **${who}** · ${label.speech(s.type)} · ${formatTime(s.startedAt)} · ${formatDuration(s.spokenMs)}`, ''];
  if (s.note) lines.push(`   事由：${e(s.note)}`, '');
  if (s.recordingAt) lines.push(`   ${linked(recordingAtText(s.recordingAt), recordingLink(options, s.recordingAt.part, s.recordingAt.offsetMs))}`, '');
  lines.push(`   ${terms.record}：`, '');
  const text = textBlock(s.text, '   ');
  lines.push(...(text.length > 0 ? text : [`   ${terms.unrecorded}`, '']));
  if (s.proposed !== null) lines.push(`   ${terms.proposed}：`, '', ...textBlock(s.proposed, '   '));
  lines.push(`   ${terms.status}：${label.passage(s.status)}`, '');
  return lines;
}

function statementSection(st: StatementRecord, i: number): string[] {
  const who = `${e(st.author)}（${e(st.venueName)}${st.sector ? ` · ${e(st.sector)}` : ''}）`;
  return [`${i + 1}. **${who}** · ${terms.statement} · ${formatTime(st.submittedAt)}`, '', ...textBlock(st.text, '   ')];
}

function parts(ps: Part[]): string {
  return ps.map((p) => (typeof p === 'string' ? p : e(p.user))).join('');
}

/** A block of the 群众留言 section; `indent` keeps an entry's blocks inside its list item. */
function commentBlock(b: Block, indent = ''): string[] {
  switch (b.kind) {
    case 'heading':
      return [`### ${parts(b.parts)}`, ''];
    case 'line':
      return [`${indent}${parts(b.parts)}`, ''];
    case 'text':
      return textBlock(b.text, indent);
    case 'table':
      return [row(b.head), row(b.head.map(() => '---')), ...b.rows.map((r) => row(r.map((c) => parts([c])))), ''];
    case 'item':
      return [`${b.n}. ${parts(b.head)}`, '', ...b.body.flatMap((x) => commentBlock(x, '   '))];
  }
}

/**
 * Renders the minutes as Markdown, ending with the footer and the embedded record;
 * `options.recordingUrl` links the recording's parts and each speech's place in them.
 */
export function minutesToMarkdown(m: Minutes, options: RenderOptions = {}): string {
  const t = timeLines(m);
  const total = m.attendance[0];
  const lines: string[] = ['# 会议纪要', '', versionText(m), '', '## 议题', '', e(m.topic), '', '## 时间', ''];
  lines.push(`- 计划：${t.planned}`, `- 实际：${t.actual}`, '- 以上时间均为北京时间', '');
  lines.push('## 出席情况', '');
  if (total) {
    const quorum = m.quorumPercent === null ? '无法定人数要求' : `法定人数 ${m.quorumPercent}%，${label.yesNo(total.quorumMet, '已达到', '未达到')}`;
    lines.push(`应到委员 ${total.expected} 人，实到 ${total.present} 人；${quorum}。`, '');
  }
  for (const v of m.attendance.slice(1)) lines.push(...attendanceSection(v));

  lines.push('## 发言', '');
  if (m.speeches.length === 0) lines.push('无', '');
  m.speeches.forEach((s, i) => lines.push(...speechSection(s, i, options)));

  lines.push(`## ${terms.statement}`, '');
  if (m.statements.length === 0) lines.push('无', '');
  m.statements.forEach((st, i) => lines.push(...statementSection(st, i)));

  lines.push('## 表决', '');
  if (m.polls.length === 0) lines.push('无', '');
  m.polls.forEach((p, i) => lines.push(...pollSection(p, i, m.polls)));

  lines.push('## 点名', '');
  if (m.rollCall) {
    const rc = m.rollCall;
    lines.push(`${formatTime(rc.startedAt)} 至 ${formatTime(rc.endedAt)}；应到 ${rc.expected} 人，已应答 ${rc.confirmed.length} 人。`, '');
    lines.push(`- 已应答：${rc.confirmed.map(e).join('、') || '无'}`, `- 未应答：${rc.absent.map(e).join('、') || '无'}`);
    // A roll call checked by media: who answered without their microphone being heard (not present).
    if (rc.notHeard !== undefined) lines.push(`- 已应答但未听到声音：${rc.notHeard.map(e).join('、') || '无'}`);
    lines.push('');
  } else {
    lines.push('无', '');
  }

  lines.push(`## ${terms.conclusions}`, '');
  const conclusions = textBlock(m.conclusions, '');
  lines.push(...(conclusions.length > 0 ? conclusions : ['无', '']));
  lines.push(`## ${terms.actions}`, '');
  if (m.actions.length === 0) lines.push('无', '');
  else {
    lines.push(row(['序号', terms.actionText, terms.owner, terms.due]), row(Array(4).fill('---')));
    m.actions.forEach((a, i) => lines.push(row([String(i + 1), e(a.text), e(a.owner), e(label.due(a.due))])));
    lines.push('');
  }
  lines.push(...recordingSection(m, options));
  if (m.comments) lines.push(`## ${COMMENTS_HEADING}`, '', ...commentsBlocks(m.comments).flatMap((b) => commentBlock(b)));

  lines.push('---', '', footerText(m), '');
  // The record the verifier reads back: canonical JSON, escaped so it cannot end the comment.
  lines.push(`${MARKDOWN_RECORD_START}${minutesHash(m)}`, embeddableJson(m), '-->', '');
  return lines.join('\n');
}
