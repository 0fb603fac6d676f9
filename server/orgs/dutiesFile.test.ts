/**
 * The duty records' files: the CSV's bytes and cells as a spreadsheet reads them, written out
 * by hand here, and the file names.
 */
import { describe, expect, test } from 'vitest';
import type { DutyRecords } from '../../signaling/http/orgs.js';
import { readFirstSheet } from '../export/xlsxRead.js';
import { readZipEntry } from '../export/zip.js';
import { asciiDutiesFileName, dutiesCsv, dutiesFileName, dutiesXlsx, sectorRows } from './dutiesFile.js';

const MIN = 60_000;
const RECORDS: DutyRecords = {
  from: Date.UTC(2025, 11, 31, 16), // 2026-01-01 00:00 in China
  to: Date.UTC(2026, 2, 31, 15, 59), // 2026-03-31 23:59 in China
  consultations: 2,
  members: [
    { memberId: 'member-2', name: '李明', sector: '教育界', district: '一区', invited: 2, attended: 1, attendedMs: 46 * MIN, speeches: 1, speakingMs: 90_000, namedVotes: 1, secretVotes: 0, statements: 1, passagesConfirmed: 1 },
    { memberId: 'member-1', name: '=HYPERLINK("x")', sector: '', district: '二区, 东片', invited: 2, attended: 2, attendedMs: 58 * MIN + 20_000, speeches: 0, speakingMs: 0, namedVotes: 0, secretVotes: 2, statements: 0, passagesConfirmed: 0 },
  ],
  sectors: [
    { sector: '教育界', members: 1, invited: 2, attended: 1, attendedMs: 46 * MIN, speeches: 1, speakingMs: 90_000, namedVotes: 1, secretVotes: 0, statements: 1, passagesConfirmed: 1 },
    { sector: '', members: 1, invited: 2, attended: 2, attendedMs: 58 * MIN + 20_000, speeches: 0, speakingMs: 0, namedVotes: 0, secretVotes: 2, statements: 0, passagesConfirmed: 0 },
  ],
};

describe('dutiesCsv', () => {
  const csv = dutiesCsv(RECORDS);

  test('UTF-8 with a BOM, CRLF lines, the zh-CN header', () => {
    expect(csv.startsWith('\uFEFF姓名,界别,所属区县/单位,受邀,出席,出席时长(分钟),发言次数,发言时长(分钟),记名投票,无记名投票(仅计参与),书面发言,核稿确认\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(4); // header, two members, the empty end
  });

  test('one row per member, minutes with one decimal', () => {
    const rows = csv.slice(1).split('\r\n');
    expect(rows[1]).toBe('李明,教育界,一区,2,1,46,1,1.5,1,0,1,1');
    // 58 min 20 s is 58.3 min; a formula-like name stays text; a comma is quoted; the empty sector is named.
    expect(rows[2]).toBe(`"'=HYPERLINK(""x"")",（未填界别）,"二区, 东片",2,2,58.3,0,0,0,2,0,0`);
  });
});

describe('sectorRows', () => {
  test('the sector, its members, then the counts', () => {
    expect(sectorRows(RECORDS)).toEqual([
      ['界别', '委员人数', '受邀', '出席', '出席时长(分钟)', '发言次数', '发言时长(分钟)', '记名投票', '无记名投票(仅计参与)', '书面发言', '核稿确认'],
      ['教育界', 1, 2, 1, 46, 1, 1.5, 1, 0, 1, 1],
      ['（未填界别）', 1, 2, 2, 58.3, 0, 0, 0, 2, 0, 0],
    ]);
  });
});

describe('dutiesXlsx', () => {
  const file = dutiesXlsx(RECORDS);
  const part = (name: string): string => readZipEntry(file, name)?.toString('utf8') ?? '';

  test('two sheets, 按委员 then 按界别', () => {
    const names = [...part('xl/workbook.xml').matchAll(/<sheet [^>]*name="([^"]+)"/g)].map((m) => m[1]);
    expect(names).toEqual(['按委员', '按界别']);
  });

  test('按委员 holds the members’ figures as a spreadsheet reads them', () => {
    expect(readFirstSheet(file)).toEqual([
      ['姓名', '界别', '所属区县/单位', '受邀', '出席', '出席时长(分钟)', '发言次数', '发言时长(分钟)', '记名投票', '无记名投票(仅计参与)', '书面发言', '核稿确认'],
      ['李明', '教育界', '一区', '2', '1', '46', '1', '1.5', '1', '0', '1', '1'],
      ['=HYPERLINK("x")', '（未填界别）', '二区, 东片', '2', '2', '58.3', '0', '0', '0', '2', '0', '0'],
    ]);
  });

  test('按界别 holds numbers as numbers, the sectors’ names as text', () => {
    const sheet2 = part('xl/worksheets/sheet2.xml');
    // Row 3: the empty sector, its one member and 58.3 minutes attended.
    expect(sheet2).toMatch(/<row r="3"[^>]*>.*<c r="B3"[^>]*><v>1<\/v><\/c>.*<c r="E3"[^>]*><v>58.3<\/v><\/c>/);
    expect(part('xl/sharedStrings.xml')).toContain('（未填界别）');
  });
});

describe('file names', () => {
  test('by organisation and period, in China Standard Time days', () => {
    expect(dutiesFileName('某区政协', RECORDS, 'csv')).toBe('履职记录-某区政协-2026年1月1日至2026年3月31日.csv');
    expect(dutiesFileName('某区/政协', { from: null, to: null }, 'xlsx')).toBe('履职记录-某区 政协-全部.xlsx');
    expect(dutiesFileName('市政协', { from: RECORDS.from, to: null }, 'csv')).toBe('履职记录-市政协-2026年1月1日起.csv');
    expect(asciiDutiesFileName('org_A1-x', RECORDS, 'csv')).toBe('duties-org_A1-x-from-2026-01-01-to-2026-03-31.csv');
  });
});
