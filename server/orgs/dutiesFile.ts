/**
 * Duty records as files an office files or forwards: CSV (UTF-8 with a BOM, which Excel needs
 * to read Chinese; cells a spreadsheet would take for a formula kept as text) and XLSX with one
 * sheet per member and one per sector. Times are in minutes with one decimal, the unit the
 * offices report in. Headers are zh-CN only: the file is for the body's own reports.
 */
import type { DutyCounts, DutyRecords, MemberDuties, SectorDuties } from '../../signaling/http/orgs.js';
import { csvCell } from '../comments/csv.js';
import { cleanText, formatDate } from '../export/common.js';
import { fitColumnWidths, xlsxWorkbook } from '../export/xlsx.js';

/** The columns of the counts, after who the row is about. */
const COUNT_HEADERS = ['受邀', '出席', '出席时长(分钟)', '发言次数', '发言时长(分钟)', '记名投票', '无记名投票(仅计参与)', '书面发言', '核稿确认'] as const;
/** The per-member table's header. */
export const MEMBER_HEADERS = ['姓名', '界别', '所属区县/单位', ...COUNT_HEADERS] as const;
/** The per-sector table's header. */
export const SECTOR_HEADERS = ['界别', '委员人数', ...COUNT_HEADERS] as const;
/** How a sector left empty in the roster is shown. */
export const NO_SECTOR_LABEL = '（未填界别）';

/** Milliseconds as minutes with one decimal. */
export function minutes(ms: number): number {
  return Math.round(ms / 6_000) / 10;
}

function countCells(c: DutyCounts): number[] {
  return [c.invited, c.attended, minutes(c.attendedMs), c.speeches, minutes(c.speakingMs), c.namedVotes, c.secretVotes, c.statements, c.passagesConfirmed];
}

/** The per-member rows (header first). */
export function memberRows(records: Pick<DutyRecords, 'members'>): Array<Array<string | number>> {
  return [[...MEMBER_HEADERS], ...records.members.map((m: MemberDuties) => [m.name, sectorLabel(m.sector), m.district, ...countCells(m)])];
}

/** The per-sector rows (header first). */
export function sectorRows(records: Pick<DutyRecords, 'sectors'>): Array<Array<string | number>> {
  return [[...SECTOR_HEADERS], ...records.sectors.map((s: SectorDuties) => [sectorLabel(s.sector), s.members, ...countCells(s)])];
}

function sectorLabel(sector: string): string {
  return sector === '' ? NO_SECTOR_LABEL : sector;
}

/** The per-member table as CSV: BOM, CRLF lines, RFC 4180 quoting. */
export function dutiesCsv(records: Pick<DutyRecords, 'members'>): string {
  return `\uFEFF${memberRows(records)
    .map((row) => row.map(csvCell).join(','))
    .join('\r\n')}\r\n`;
}

/** The sheet names of the workbook. */
export const SHEET_NAMES = { members: '按委员', sectors: '按界别' } as const;

/** The workbook: 按委员 (one row per member) and 按界别 (one row per sector), numbers as numbers. */
export function dutiesXlsx(records: Pick<DutyRecords, 'members' | 'sectors'>): Buffer {
  const sheet = (name: string, rows: Array<Array<string | number>>) => ({ name, rows, columnWidths: fitColumnWidths(rows, { max: 30 }) });
  return xlsxWorkbook([sheet(SHEET_NAMES.members, memberRows(records)), sheet(SHEET_NAMES.sectors, sectorRows(records))]);
}

// Characters Windows, macOS or a shell would refuse or misread in a file name.
const UNSAFE = /[\\/:*?"<>|\u0000-\u001F\u007F]/g;

/** `履职记录-<organisation>-<period>.<extension>`, the period's days in China Standard Time. */
export function dutiesFileName(orgName: string, period: Pick<DutyRecords, 'from' | 'to'>, extension: 'csv' | 'xlsx'): string {
  const org = [...cleanText(orgName).replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim()].slice(0, 40).join('').trim();
  return `${['履职记录', ...(org === '' ? [] : [org]), periodPart(period)].join('-')}.${extension}`;
}

/** The ASCII name for clients that do not read `filename*`: `duties-<org id>[-<from>][-<to>].<extension>`. */
export function asciiDutiesFileName(orgId: string, period: Pick<DutyRecords, 'from' | 'to'>, extension: 'csv' | 'xlsx'): string {
  // The day in China Standard Time, as formatDate gives it.
  const day = (t: number): string => new Date(t + 8 * 3_600_000).toISOString().slice(0, 10);
  const parts = ['duties', orgId.replace(/[^A-Za-z0-9_-]/g, '_'), ...(period.from === null ? [] : [`from-${day(period.from)}`]), ...(period.to === null ? [] : [`to-${day(period.to)}`])];
  return `${parts.join('-')}.${extension}`;
}

function periodPart({ from, to }: Pick<DutyRecords, 'from' | 'to'>): string {
  if (from === null && to === null) return '全部';
  if (to === null) return `${formatDate(from ?? 0)}起`;
  if (from === null) return `截至${formatDate(to)}`;
  return `${formatDate(from)}至${formatDate(to)}`;
}
