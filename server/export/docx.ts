/**
 * Minutes → DOCX (opens in Word and WPS). Every text goes in as a plain TextRun, which the
 * docx package XML-escapes, so no user text can become markup; control characters are
 * stripped first (cleanText) because XML 1.0 forbids most of them and Word refuses the file.
 *
 * The record is embedded as two custom document properties (File → Properties → Custom in
 * Word), not as a hidden paragraph: a hidden paragraph is still body text (it shows with
 * "show hidden text", prints with some settings, and travels with copy and paste), whereas
 * custom properties live in docProps/custom.xml, are kept by Word and WPS on save, and leave
 * the body exactly what the reader sees, which is what the verifier compares.
 */
import {
  AlignmentType,
  Document,
  ExternalHyperlink,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { Minutes, PollRecord, SpeechRecord, StatementRecord, VenueAttendance } from '../../signaling/record/types.js';
import {
  cleanText,
  footerText,
  formatDuration,
  formatTime,
  label,
  embeddableJson,
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

/** Custom property names of the embedded record and its hash. */
export const DOCX_RECORD_PROPERTY = 'minutes-record';
export const DOCX_HASH_PROPERTY = 'minutes-sha256';

// Fonts with CJK glyphs on Windows (SimSun) and macOS/Linux fallbacks are chosen by Word and
// WPS from the eastAsia font; Latin text uses the ascii font.
const FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体', cs: 'Times New Roman' };

function text(t: string, options: { bold?: boolean } = {}): TextRun {
  return new TextRun({ text: cleanText(t), font: FONT, ...options });
}

/** `t` (ours) as a link to `url`, or a plain run when there is none; the same text either way. */
function linked(t: string, url: string | undefined): TextRun | ExternalHyperlink {
  if (url === undefined) return text(t);
  return new ExternalHyperlink({ link: url, children: [new TextRun({ text: t, font: FONT, color: '0563C1', underline: {} })] });
}

function para(...runs: (TextRun | ExternalHyperlink)[]): Paragraph {
  return new Paragraph({ children: runs, spacing: { after: 80 } });
}

function heading(t: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel]): Paragraph {
  return new Paragraph({ heading: level, children: [text(t)] });
}

function table(head: string[], rows: (string | ExternalHyperlink | TextRun)[][]): Table {
  const cell = (t: string | ExternalHyperlink | TextRun, bold = false): TableCell =>
    new TableCell({ children: [new Paragraph({ children: [typeof t === 'string' ? text(t, { bold }) : t] })] });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: head.map((c) => cell(c, true)) }),
      ...rows.map((r) => new TableRow({ children: r.map((c) => cell(c)) })),
    ],
  });
}

function venueSection(v: VenueAttendance): (Paragraph | Table)[] {
  const quorum = v.quorumMet === null ? '' : label.yesNo(v.quorumMet, '，达到法定人数', '，未达到法定人数');
  const title = heading(`${v.name}（实到 ${v.present} / 应到 ${v.expected}${quorum}）`, HeadingLevel.HEADING_3);
  if (v.attendees.length === 0) return [title, para(text('无'))];
  const rows = v.attendees.map((a) => [
    a.name,
    label.role(a.role),
    a.sector,
    formatTime(a.joinedAt),
    formatTime(a.leftAt),
    formatDuration(a.presentMs),
    String(a.stays),
  ]);
  return [title, table(['姓名', '身份', '界别', '入会', '离会', '在会时长', '入会次数'], rows)];
}

function pollSection(poll: PollRecord, i: number, all: readonly PollRecord[]): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [
    heading(`${i + 1}. ${poll.question}`, HeadingLevel.HEADING_3),
    para(text(`${label.kind(poll.kind)}；${pollSummary(poll)}`)),
    para(text(`开始 ${formatTime(poll.openedAt)}，结束 ${formatTime(poll.closedAt)}`)),
    table(['选项', '票数'], pollRows(poll).map((r) => [r.option, r.count])),
  ];
  for (const t of pollTables(poll, all)) {
    out.push(para(text(t.caption)));
    if (t.head.length > 0) out.push(table(t.head, t.rows));
  }
  if (poll.ballots) {
    const rows = poll.ballots.map((b) => [b.name, b.choices.map((c) => label.option(poll, c)).join('、'), b.reason ?? '']);
    out.push(para(text('记名表决明细：')), table(['姓名', '选择', '理由'], rows));
  }
  if (poll.reasons.length > 0) out.push(para(text('不同意见理由（不具名）：')), ...poll.reasons.map((r) => para(text(`· ${r}`))));
  return out;
}

/** Paragraphs of user text, first-line indented like a record's prose, or `empty` when none. */
function textBlock(t: string, empty: string | null): Paragraph[] {
  const ps = paragraphs(t);
  if (ps.length === 0) return empty === null ? [] : [para(text(empty))];
  return ps.map((p) => new Paragraph({ children: [text(p)], indent: { firstLine: 480 }, spacing: { after: 60 } }));
}

function recordingSection(m: Minutes, options: RenderOptions): (Paragraph | Table)[] {
  if (!m.recording) return [];
  const rows = m.recording.parts.map((p, i) => {
    const [first = '', ...rest] = recordingRow(p, i);
    return [linked(first, recordingLink(options, i, 0)), ...rest];
  });
  return [heading(RECORDING_HEADING, HeadingLevel.HEADING_2), table(RECORDING_HEAD, rows), para(text(recordingNote(m)))];
}

function speechSection(s: SpeechRecord, i: number, options: RenderOptions): Paragraph[] {
  const who = s.byVenue ? `${s.speaker}（分会场集体发言）` : `${s.speaker}（${s.venueName}${s.sector ? ` · ${s.sector}` : ''}）`;
  const out = [para(text(`${i + 1}. `), text(who, { bold: true }), text(` · ${label.speech(s.type)} · ${formatTime(s.startedAt)} · ${formatDuration(s.spokenMs)}`))];
  if (s.note) out.push(para(text(`事由：${s.note}`)));
  if (s.recordingAt) out.push(para(linked(recordingAtText(s.recordingAt), recordingLink(options, s.recordingAt.part, s.recordingAt.offsetMs))));
  out.push(para(text(`${terms.record}：`)), ...textBlock(s.text, terms.unrecorded));
  if (s.proposed !== null) out.push(para(text(`${terms.proposed}：`)), ...textBlock(s.proposed, null));
  out.push(para(text(`${terms.status}：${label.passage(s.status)}`)));
  return out;
}

function statementSection(st: StatementRecord, i: number): Paragraph[] {
  const who = `${st.author}（${st.venueName}${st.sector ? ` · ${st.sector}` : ''}）`;
  return [para(text(`${i + 1}. `), text(who, { bold: true }), text(` · ${terms.statement} · ${formatTime(st.submittedAt)}`)), ...textBlock(st.text, null)];
}

function parts(ps: Part[]): string {
  return ps.map((p) => (typeof p === 'string' ? p : p.user)).join('');
}

/** A block of the 群众留言 section (every text a plain, escaped run). */
function commentBlock(b: Block): (Paragraph | Table)[] {
  switch (b.kind) {
    case 'heading':
      return [heading(parts(b.parts), HeadingLevel.HEADING_3)];
    case 'line':
      return [para(text(parts(b.parts)))];
    case 'text':
      return textBlock(b.text, null);
    case 'table':
      return [table(b.head, b.rows.map((r) => r.map((c) => parts([c]))))];
    case 'item':
      return [para(text(`${b.n}. ${parts(b.head)}`)), ...b.body.flatMap(commentBlock)];
  }
}

/** The body of the document, in reading order. */
function body(m: Minutes, options: RenderOptions): (Paragraph | Table)[] {
  const t = timeLines(m);
  const total = m.attendance[0];
  const out: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [text('会议纪要')] }),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [text(versionText(m))] }),
    heading('议题', HeadingLevel.HEADING_2),
    para(text(m.topic)),
    heading('时间', HeadingLevel.HEADING_2),
    para(text(`计划：${t.planned}`)),
    para(text(`实际：${t.actual}`)),
    para(text('以上时间均为北京时间')),
    heading('出席情况', HeadingLevel.HEADING_2),
  ];
  if (total) {
    const quorum = m.quorumPercent === null ? '无法定人数要求' : `法定人数 ${m.quorumPercent}%，${label.yesNo(total.quorumMet, '已达到', '未达到')}`;
    out.push(para(text(`应到委员 ${total.expected} 人，实到 ${total.present} 人；${quorum}。`)));
  }
  out.push(...m.attendance.slice(1).flatMap(venueSection), heading('发言', HeadingLevel.HEADING_2));
  if (m.speeches.length === 0) out.push(para(text('无')));
  out.push(...m.speeches.flatMap((s, i) => speechSection(s, i, options)), heading(terms.statement, HeadingLevel.HEADING_2));
  if (m.statements.length === 0) out.push(para(text('无')));
  out.push(...m.statements.flatMap(statementSection), heading('表决', HeadingLevel.HEADING_2));
  if (m.polls.length === 0) out.push(para(text('无')));
  out.push(...m.polls.flatMap(pollSection), heading('点名', HeadingLevel.HEADING_2));
  if (m.rollCall) {
    const rc = m.rollCall;
    out.push(
      para(text(`${formatTime(rc.startedAt)} 至 ${formatTime(rc.endedAt)}；应到 ${rc.expected} 人，已应答 ${rc.confirmed.length} 人。`)),
      para(text(`已应答：${rc.confirmed.join('、') || '无'}`)),
      para(text(`未应答：${rc.absent.join('、') || '无'}`)),
      // A roll call checked by media: who answered without their microphone being heard.
      ...(rc.notHeard === undefined ? [] : [para(text(`已应答但未听到声音：${rc.notHeard.join('、') || '无'}`))]),
    );
  } else out.push(para(text('无')));
  out.push(heading(terms.conclusions, HeadingLevel.HEADING_2), ...textBlock(m.conclusions, '无'), heading(terms.actions, HeadingLevel.HEADING_2));
  if (m.actions.length === 0) out.push(para(text('无')));
  else out.push(table(['序号', terms.actionText, terms.owner, terms.due], m.actions.map((a, i) => [String(i + 1), a.text, a.owner, label.due(a.due)])));
  out.push(...recordingSection(m, options));
  if (m.comments) out.push(heading(COMMENTS_HEADING, HeadingLevel.HEADING_2), ...commentsBlocks(m.comments).flatMap(commentBlock));
  out.push(new Paragraph({ border: { top: { style: 'single', size: 6, color: '000000', space: 4 } }, children: [new TextRun({ text: footerText(m), size: 16, font: FONT })] }));
  return out;
}

/**
 * Renders the minutes as a DOCX file; the footer and the embedded record come with it.
 * `options.recordingUrl` links the recording's parts and each speech's place in them (the
 * links live in the document's relationships, not its text, so the verifier reads the same text).
 */
export async function minutesToDocx(m: Minutes, options: RenderOptions = {}): Promise<Buffer> {
  const doc = new Document({
    title: `会议纪要 · ${cleanText(m.topic)}`,
    creator: '微商量',
    // Dates fixed to the record's chain head moment would still differ per render; docx
    // writes the current time into docProps/core.xml, which the verifier does not compare.
    customProperties: [
      { name: DOCX_HASH_PROPERTY, value: minutesHash(m) },
      { name: DOCX_RECORD_PROPERTY, value: embeddableJson(m) },
    ],
    styles: { default: { document: { run: { font: FONT, size: 24 } } } },
    sections: [{ properties: { page: { size: { width: 11906, height: 16838 } } }, children: body(m, options) }],
  });
  return Packer.toBuffer(doc);
}
