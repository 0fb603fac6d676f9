/**
 * Comments as CSV for a spreadsheet: UTF-8 with a BOM (without it Excel reads Chinese as
 * mojibake), CRLF lines and RFC 4180 quoting, and every cell that a spreadsheet would take for
 * a formula (= + - @, and tab or CR that some read the same way) prefixed with ' so that a
 * comment text like `=HYPERLINK(…)` stays text when staff open the file.
 * Headers are bilingual (中文 / English): the file travels beyond the page's language setting.
 */
import type { PublicComment, RejectReason, StaffComment, CommentStatus } from '../../signaling/comments/model.js';
import { formatTime } from '../export/common.js';

const STATUS_ZH: Record<CommentStatus, string> = { pending: '待审核', approved: '已通过', rejected: '未通过', merged: '已合并' };
const REASON_ZH: Record<RejectReason, string> = { offTopic: '离题', abusive: '不文明', personalData: '含个人信息', duplicate: '重复' };

/** One cell, safe for spreadsheets and quoted as RFC 4180 asks. */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csv(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

const answerCells = (c: PublicComment): string[] =>
  c.answer === null ? ['', '', ''] : [c.answer.department, c.answer.text, formatTime(c.answer.answeredAt)];

/** Every comment with its moderation, for staff. */
export function staffCommentsCsv(comments: readonly StaffComment[]): string {
  const header = [
    '编号 ID', '时间 Time', '姓名 Name', '地区/界别 Place', '留言 Text', '状态 Status', '未通过原因 Reject reason', '合并至 Merged into',
    '主题 Themes', '点赞 Upvotes', '答复部门 Department', '答复 Answer', '答复时间 Answered at',
  ];
  return csv([
    header,
    ...comments.map((c) => [
      c.id, formatTime(c.createdAt), c.name, c.place, c.text, STATUS_ZH[c.status], c.rejectReason === null ? '' : REASON_ZH[c.rejectReason],
      c.mergedInto ?? '', c.themes.join('；'), c.upvotes, ...answerCells(c),
    ]),
  ]);
}

/** The approved comments, for the public: nothing of moderation. */
export function publicCommentsCsv(comments: readonly PublicComment[]): string {
  const header = ['编号 ID', '时间 Time', '姓名 Name', '地区/界别 Place', '留言 Text', '主题 Themes', '点赞 Upvotes', '答复部门 Department', '答复 Answer', '答复时间 Answered at'];
  return csv([
    header,
    ...comments
      .filter((c) => c.status === 'approved')
      .map((c) => [c.id, formatTime(c.createdAt), c.name, c.place, c.text, c.themes.join('；'), c.upvotes, ...answerCells(c)]),
  ]);
}
