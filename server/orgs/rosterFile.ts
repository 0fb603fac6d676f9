/**
 * Roster files: an office's list of members (委员名册) as CSV or XLSX, read into roster fields
 * or into every bad row, and the template to fill in. Pure: bytes in, rows or errors out.
 *
 * Files come as offices keep them: the header in Chinese or English in any order, extra
 * columns (序号 and the like) ignored, a title row above the header, blank rows, and CSV saved
 * by Excel on a Chinese Windows, which is GB18030 (GBK), not UTF-8. Row numbers are the ones
 * the spreadsheet shows, so an office can find the row an error names.
 */
import type { z } from 'zod';
import { MAX_ROSTER_MEMBERS, RosterFieldsSchema, type RosterFields } from '../../signaling/orgs/model.js';
import { ROSTER_COLUMNS, type RosterRowError } from '../../signaling/http/orgs.js';
import { csvCell } from '../comments/csv.js';
import { fitColumnWidths, xlsxWorkbook, type XlsxCell } from '../export/xlsx.js';
import { readFirstSheet, XlsxError } from '../export/xlsxRead.js';

/** The two formats a roster comes in. */
export type RosterFileKind = 'csv' | 'xlsx';

/**
 * Every row of the file, or every problem with it; never some of the rows. `columns`: the
 * fields the file has a column for (the others are '' in each row), so that an import changes
 * only what the file says.
 */
export type RosterFileResult = { ok: true; rows: RosterFields[]; columns: RosterField[] } | { ok: false; errors: RosterRowError[] };

/** What the templates are called when downloaded. */
export const ROSTER_TEMPLATE_NAMES: Record<RosterFileKind, { name: string; ascii: string }> = {
  csv: { name: '名册模板.csv', ascii: 'roster-template.csv' },
  xlsx: { name: '名册模板.xlsx', ascii: 'roster-template.xlsx' },
};

/** A roster field a file may have a column for. */
export type RosterField = (typeof ROSTER_COLUMNS)[number]['field'];
type Field = RosterField;

/** How far down the header may be: offices put a title (and a date line) above the table. */
const HEADER_SEARCH_ROWS = 10;
/** Problems listed at most: a wrong file has one in every row, and a few hundred say enough. */
const MAX_LISTED_ERRORS = 500;
/** Limits for an XLSX from outside: rows as numbered (blank rows count), columns, unpacked size. */
const XLSX_LIMITS = { maxRows: MAX_ROSTER_MEMBERS * 2, maxColumns: 200, maxBytes: 48 * 1024 * 1024 };

/**
 * Other headers offices use for the same columns. The template's zh-CN and English headers
 * (ROSTER_COLUMNS) are always accepted; these are the common variants seen in members' lists.
 */
const HEADER_ALIASES: Partial<Record<Field, readonly string[]>> = {
  sector: ['所属界别'],
  venue: ['参会会场'],
  district: ['所属区县', '区县', '单位', '工作单位', '所属单位'],
  phone: ['电话', '手机', '手机号', '手机号码', '联系方式'],
  email: ['邮箱', '电子邮件'],
};

/** Reads a roster file: its rows as roster fields, or every bad row. */
export function parseRosterFile(bytes: Buffer, kind: RosterFileKind): RosterFileResult {
  let table: ReadonlyArray<readonly string[]>;
  if (kind === 'xlsx') {
    try {
      table = readFirstSheet(bytes, XLSX_LIMITS);
    } catch (error) {
      if (!(error instanceof XlsxError)) throw error;
      return fileError(`无法读取该 XLSX 文件 / cannot read the XLSX file: ${error.message}`);
    }
  } else {
    table = parseCsv(decodeText(bytes));
  }
  return rosterRows(table);
}

/** The template to fill in: the header and two example rows (which import as they are). */
export function rosterTemplate(kind: RosterFileKind): Buffer {
  const header = ROSTER_COLUMNS.map((c) => c.zh);
  const examples: Array<Record<Field, string>> = [
    { name: '张三', sector: '经济界', venue: 'city', district: '市工商联', phone: '13800000001', email: 'zhangsan@example.org', note: '示例，导入前请删除' },
    { name: '李四', sector: '教育界', venue: 'd1', district: '东城区', phone: '13800000002', email: '', note: '示例，导入前请删除' },
  ];
  const rows = [header, ...examples.map((e) => ROSTER_COLUMNS.map((c) => e[c.field]))];
  if (kind === 'csv') return Buffer.from(`\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`, 'utf8');
  const notes: XlsxCell[][] = [
    ['列 Column', '必填 Required', '说明 Notes'],
    ...ROSTER_COLUMNS.map((c) => [`${c.zh} ${c.en}`, c.required ? '是 yes' : '否 no', COLUMN_NOTES[c.field]]),
    ['', '', '表头可用中文或英文，列的顺序不限，其他列（如序号）不导入。Headers in Chinese or English, in any order; other columns are ignored.'],
  ];
  return xlsxWorkbook([
    { name: '名册', rows, columnWidths: fitColumnWidths(rows, { min: 10 }) },
    { name: '填写说明', rows: notes, columnWidths: [20, 14, 90] },
  ]);
}

const COLUMN_NOTES: Record<Field, string> = {
  name: '委员姓名，最多 64 字。Full name.',
  sector: '界别，如 经济界、教育界；同一姓名和界别只能出现一次。Sector; a name and sector appear once.',
  venue: '参会的会场编号：city 为主会场，区县分会场如 d1；留空则创建会议时选择。The venue id (city, d1 …) or empty.',
  district: '所属区县或单位。District or employer.',
  phone: '联系电话；请把此列设为文本，以免表格软件改成科学计数法。Phone; keep the column as text.',
  email: '电子邮箱。Email.',
  note: '备注，最多 200 字。Note.',
};

/** The file's cells as roster fields: header found and mapped, each row checked, duplicates found. */
export function rosterRows(table: readonly (readonly string[])[]): RosterFileResult {
  const header = findHeader(table);
  if (!header.ok) return header;
  const { headerIndex, columns } = header;
  const errors: RosterRowError[] = [];
  const rows: RosterFields[] = [];
  const firstRowOf = new Map<string, number>();
  let extraErrors = 0;
  let firstUnlisted = 0;
  const report = (error: RosterRowError): void => {
    if (errors.length < MAX_LISTED_ERRORS) errors.push(error);
    else {
      if (extraErrors === 0) firstUnlisted = error.row;
      extraErrors += 1;
    }
  };

  let members = 0;
  for (let index = headerIndex + 1; index < table.length; index++) {
    const cells = table[index] ?? [];
    const row = index + 1;
    const raw: Partial<Record<Field, string>> = {};
    for (const column of columns) raw[column.field] = cells[column.index] ?? '';
    // A row is blank when every column we read is: a 序号 alone does not make a member.
    if (Object.values(raw).every((v) => v.trim() === '')) continue;
    members += 1;
    if (members > MAX_ROSTER_MEMBERS) {
      report({ row, column: '', message: `名册最多 ${MAX_ROSTER_MEMBERS} 人，从这一行起超出 / a roster holds at most ${MAX_ROSTER_MEMBERS} members` });
      break;
    }
    const labelOf = (field: Field): string => columns.find((c) => c.field === field)?.label ?? zhOf(field);
    if (raw.name !== undefined) raw.name = unpadName(raw.name);
    const parsed = RosterFieldsSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = fieldOf(issue.path[0]);
        report({ row, column: field === undefined ? '' : labelOf(field), message: issueMessage(field, issue) });
      }
      continue;
    }
    const fields = parsed.data;
    if (/^[0-9](\.[0-9]+)?E\+?[0-9]+$/i.test(fields.phone)) {
      report({
        row,
        column: labelOf('phone'),
        message: `联系电话“${fields.phone}”被表格软件改成了科学计数法，请把该列设为文本后重填 / the phone number was turned into scientific notation`,
      });
      continue;
    }
    const key = `${fields.name}\u0000${fields.sector}`;
    const first = firstRowOf.get(key);
    if (first !== undefined) {
      report({ row, column: labelOf('name'), message: `与第 ${first} 行的姓名和界别相同 / same name and sector as row ${first}` });
      continue;
    }
    firstRowOf.set(key, row);
    rows.push(fields);
  }
  if (extraErrors > 0) errors.push({ row: firstUnlisted, column: '', message: `另有 ${extraErrors} 处错误未列出 / ${extraErrors} more problems not listed` });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rows, columns: columns.map((c) => c.field) };
}

// Offices pad two-character names with a space to line them up with three-character ones
// (张　三 under 欧阳娜): the space is layout, not part of the name, and would keep 张三 from
// matching on the next import.
const PADDING = /(?<=[\u3400-\u9FFF\uF900-\uFAFF])[\s\u3000]+(?=[\u3400-\u9FFF\uF900-\uFAFF])/g;

/** A name without the spaces between Chinese characters; a Latin name keeps its spaces. */
function unpadName(name: string): string {
  return name.replace(PADDING, '');
}

type HeaderColumn = { field: Field; index: number; label: string };

/** The header row among the first rows: the first with a 姓名 (name) column. */
function findHeader(table: readonly (readonly string[])[]): { ok: true; headerIndex: number; columns: HeaderColumn[] } | { ok: false; errors: RosterRowError[] } {
  const limit = Math.min(table.length, HEADER_SEARCH_ROWS);
  for (let index = 0; index < limit; index++) {
    const cells = table[index] ?? [];
    const columns: HeaderColumn[] = [];
    cells.forEach((cell, i) => {
      const field = headerField(cell);
      if (field !== undefined) columns.push({ field, index: i, label: cell.trim() });
    });
    if (!columns.some((c) => c.field === 'name')) continue;
    const errors: RosterRowError[] = [];
    for (const column of columns) {
      const other = columns.find((c) => c.field === column.field && c.index < column.index);
      if (other !== undefined) errors.push({ row: index + 1, column: column.label, message: `“${other.label}”和“${column.label}”是同一列 / the same column twice` });
    }
    return errors.length > 0 ? { ok: false, errors } : { ok: true, headerIndex: index, columns };
  }
  const expected = ROSTER_COLUMNS.find((c) => c.field === 'name');
  return {
    ok: false,
    errors: [{ row: 1, column: expected?.zh ?? '姓名', message: `没有找到“${expected?.zh}”列（表头应在前 ${HEADER_SEARCH_ROWS} 行）/ no "${expected?.en}" column in the first ${HEADER_SEARCH_ROWS} rows` }],
  };
}

/** A header cell's field: the zh-CN or English header (or both, or an alias), ignoring spaces, case, a * and a trailing (…). */
function headerField(cell: string): Field | undefined {
  const text = normaliseHeader(cell);
  if (text === '') return undefined;
  for (const column of ROSTER_COLUMNS) {
    const names = [column.zh, column.en, `${column.zh}${column.en}`, `${column.en}${column.zh}`, `${column.zh}/${column.en}`, ...(HEADER_ALIASES[column.field] ?? [])];
    if (names.some((name) => normaliseHeader(name) === text)) return column.field;
  }
  return undefined;
}

function normaliseHeader(text: string): string {
  return text
    .replace(/\s+/g, '')
    .replace(/^[*＊]+|[*＊]+$/g, '')
    .replace(/[（(][^（()）]*[)）]$/, '')
    .replace(/^[*＊]+|[*＊]+$/g, '')
    .toLowerCase();
}

const zhOf = (field: Field): string => ROSTER_COLUMNS.find((c) => c.field === field)?.zh ?? field;

function fieldOf(key: PropertyKey | undefined): Field | undefined {
  return ROSTER_COLUMNS.find((c) => c.field === key)?.field;
}

/** A schema complaint about one cell, zh-CN first. */
function issueMessage(field: Field | undefined, issue: z.core.$ZodIssue): string {
  const column = ROSTER_COLUMNS.find((c) => c.field === field);
  const zh = column?.zh ?? '';
  const en = column?.en ?? '';
  if (issue.code === 'too_small') return `${zh}不能为空 / ${en} is empty`;
  if (issue.code === 'too_big') return `${zh}最多 ${String(issue.maximum)} 个字符 / ${en}: at most ${String(issue.maximum)} characters`;
  if (issue.code === 'invalid_format' && field === 'venue') return '会场应填会场编号（字母、数字、_ 或 -，如 city、d1）/ venue: an id of letters, digits, _ or -, e.g. city, d1';
  return `${zh} ${issue.message}`.trim();
}

/** One file-level problem, reported on the first row. */
function fileError(message: string): RosterFileResult {
  return { ok: false, errors: [{ row: 1, column: '', message }] };
}

/**
 * The text of a CSV file: UTF-8 (with or without a BOM), UTF-16 with a BOM (Excel's "Unicode
 * text"), and otherwise GB18030, which is what Excel on a Chinese Windows saves as "CSV". Bytes
 * that are not valid UTF-8 are taken for GB18030: a real UTF-8 file is valid, and GBK text is
 * almost never valid UTF-8.
 */
export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

const BLANK_ROW: readonly string[] = Object.freeze([]);

/**
 * CSV as RFC 4180 has it, as spreadsheets write it: quoted fields (with commas, quotes and line
 * breaks inside), CRLF, LF or CR line ends. The delimiter is a comma, or a tab when the first
 * line has tabs and no commas (Excel's "Unicode text"). A cell our own exports guarded against
 * formula injection (`'=…`) reads back without the guard. One array per line as a spreadsheet
 * numbers rows, blank lines included; an unclosed quote runs to the end, as spreadsheets read it.
 */
export function parseCsv(text: string): ReadonlyArray<readonly string[]> {
  const firstLineEnd = text.search(/[\r\n]/);
  const firstLine = firstLineEnd < 0 ? text : text.slice(0, firstLineEnd);
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  const rows: Array<readonly string[]> = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endField = (): void => {
    row.push(/^'[=+\-@]/.test(field) ? field.slice(1) : field);
    field = '';
  };
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) endField();
    else if (ch === '\r' || ch === '\n') {
      endField();
      // Blank lines share one empty row: two megabytes of line breaks stay small.
      rows.push(row.length === 1 && row[0] === '' ? BLANK_ROW : row);
      row = [];
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
    } else field += ch;
    i += 1;
  }
  if (field !== '' || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows;
}
