/**
 * Roster files as offices send them: CSV in UTF-8 or GBK, XLSX, headers in either language and
 * any order, title rows, blank rows; and the files that must be refused with every bad row
 * named by the row number the spreadsheet shows.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { MAX_ROSTER_MEMBERS } from '../../signaling/orgs/model.js';
import { xlsxWorkbook } from '../export/xlsx.js';
import { readFirstSheet } from '../export/xlsxRead.js';
import { decodeText, parseCsv, parseRosterFile, rosterTemplate, type RosterFileResult } from './rosterFile.js';

const csv = (text: string, bom = true): Buffer => Buffer.from(`${bom ? '\uFEFF' : ''}${text}`, 'utf8');
const member = (fields: { name: string; sector?: string; venue?: string; district?: string; phone?: string; email?: string; note?: string }) => ({
  sector: '', venue: '', district: '', phone: '', email: '', note: '', ...fields,
});
const rowsOf = (result: RosterFileResult) => {
  if (!result.ok) throw new Error(`expected rows, got ${JSON.stringify(result.errors)}`);
  return result.rows;
};
const errorsOf = (result: RosterFileResult) => {
  if (result.ok) throw new Error('expected errors, got rows');
  return result.errors;
};

describe('parseRosterFile(csv)', () => {
  test('reads UTF-8 with a BOM, CRLF, quoted fields with commas, quotes and line breaks', () => {
    const file = csv('姓名,界别,会场,所属区县/单位,联系电话,电子邮箱,备注\r\n张三,经济界,city,市工商联,13800000001,z@example.org,"说明，有逗号"\r\n"王""五",教育界,d1,,,"","两行\r\n备注"\r\n');
    expect(rowsOf(parseRosterFile(file, 'csv'))).toEqual([
      member({ name: '张三', sector: '经济界', venue: 'city', district: '市工商联', phone: '13800000001', email: 'z@example.org', note: '说明，有逗号' }),
      member({ name: '王"五', sector: '教育界', venue: 'd1', note: '两行\r\n备注' }),
    ]);
  });

  test('reads UTF-8 without a BOM and with LF line ends', () => {
    expect(rowsOf(parseRosterFile(csv('姓名,界别\n张三,经济界\n', false), 'csv'))).toEqual([member({ name: '张三', sector: '经济界' })]);
  });

  test('reads GBK as Excel on a Chinese Windows saves it, ignoring unknown columns such as 序号', () => {
    // '序号,姓名,界别,联系电话\r\n1,张三,经济界,13800000001\r\n2,欧阳娜娜,文化艺术界,\r\n' in GBK (made with Python's codec).
    const gbk = Buffer.from(
      'd0f2bac52cd0d5c3fb2cbde7b1f02cc1aacfb5b5e7bbb00d0a312cd5c5c8fd2cbeadbcc3bde72c31333830303030303030310d0a322cc5b7d1f4c4c8c4c82ccec4bbafd2d5caf5bde72c0d0a',
      'hex',
    );
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow();
    expect(rowsOf(parseRosterFile(gbk, 'csv'))).toEqual([
      member({ name: '张三', sector: '经济界', phone: '13800000001' }),
      member({ name: '欧阳娜娜', sector: '文化艺术界' }),
    ]);
  });

  test('reads UTF-16 tab-separated text (Excel\'s "Unicode text")', () => {
    const text = '\uFEFF姓名\t界别\r\n张三\t经济界\r\n';
    expect(rowsOf(parseRosterFile(Buffer.from(text, 'utf16le'), 'csv'))).toEqual([member({ name: '张三', sector: '经济界' })]);
  });

  test('matches English headers, any order, case and spacing, bilingual and marked headers', () => {
    const file = csv('Note,SECTOR, Name ,Phone,序号\r\nhi,经济界,张三,1,7\r\n');
    const result = parseRosterFile(file, 'csv');
    expect(rowsOf(result)).toEqual([member({ name: '张三', sector: '经济界', phone: '1', note: 'hi' })]);
    // The fields the file has a column for, so that an import leaves the others as they are.
    expect(result.ok && result.columns).toEqual(['note', 'sector', 'name', 'phone']);
    const marked = csv('*姓名（必填）,界别 Sector,联系电话(手机)\r\n张三,经济界,2\r\n');
    expect(rowsOf(parseRosterFile(marked, 'csv'))).toEqual([member({ name: '张三', sector: '经济界', phone: '2' })]);
  });

  test('a title above the header is skipped, and row numbers stay the spreadsheet\'s', () => {
    const file = csv('某区政协委员名册,,\r\n2026年12月,,\r\n序号,姓名,会场\r\n1,张三,主会场\r\n');
    expect(errorsOf(parseRosterFile(file, 'csv'))).toEqual([{ row: 4, column: '会场', message: expect.stringContaining('会场编号') }]);
  });

  test('blank rows and rows with only unknown columns are skipped, and do not shift row numbers', () => {
    const file = csv('序号,姓名,界别\r\n1,张三,经济界\r\n\r\n,,\r\n4,,\r\n5,"李\r\n四",\r\n6,,\r\n,,\r\n8, ,教育界\r\n');
    // Row 6 holds a quoted line break: it is still one row, so the last bad row is row 9.
    expect(errorsOf(parseRosterFile(file, 'csv'))).toEqual([{ row: 9, column: '姓名', message: '姓名不能为空 / name is empty' }]);
  });

  test('every bad row is reported at once, and no row is returned', () => {
    const file = csv(
      [
        '姓名,界别,会场,备注',
        '张三,经济界,city,',
        ',经济界,city,', // row 3: no name
        `${'长'.repeat(65)},经济界,,`, // row 4: name too long
        '李四,教育界,第一分会场,', // row 5: venue is not an id
        '张三,经济界,d1,', // row 6: same name and sector as row 2
        '张三,教育界,d1,', // row 7: fine (another sector)
        `王五,,,${'x'.repeat(201)}`, // row 8: note too long
      ].join('\r\n'),
    );
    const errors = errorsOf(parseRosterFile(file, 'csv'));
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [3, '姓名'],
      [4, '姓名'],
      [5, '会场'],
      [6, '姓名'],
      [8, '备注'],
    ]);
    expect(errors[3]?.message).toContain('第 2 行');
    expect(errors[1]?.message).toContain('64');
  });

  test('a file without a 姓名 column is refused on row 1', () => {
    expect(errorsOf(parseRosterFile(csv('名字,界别\r\n张三,经济界\r\n'), 'csv'))).toEqual([{ row: 1, column: '姓名', message: expect.stringContaining('姓名') }]);
    expect(errorsOf(parseRosterFile(Buffer.alloc(0), 'csv'))).toHaveLength(1);
  });

  test('the same column twice is refused', () => {
    expect(errorsOf(parseRosterFile(csv('姓名,电话,手机\r\n张三,1,2\r\n'), 'csv'))).toEqual([{ row: 1, column: '手机', message: expect.stringContaining('电话') }]);
  });

  test('a phone number a spreadsheet turned into 1.38E+10 is refused with the reason', () => {
    const errors = errorsOf(parseRosterFile(csv('姓名,联系电话\r\n张三,1.38E+10\r\n'), 'csv'));
    expect(errors).toEqual([{ row: 2, column: '联系电话', message: expect.stringContaining('科学计数法') }]);
  });

  test('a space padding a Chinese name is taken out; a Latin name keeps its spaces', () => {
    expect(rowsOf(parseRosterFile(csv('姓名,界别\r\n张\u3000三,经济界\r\n王 五,经济界\r\nAnna Li,外事界\r\n'), 'csv')).map((r) => r.name)).toEqual(['张三', '王五', 'Anna Li']);
    // Padded or not, it is the same member: twice in one file is refused.
    expect(errorsOf(parseRosterFile(csv('姓名,界别\r\n张三,经济界\r\n张\u3000三,经济界\r\n'), 'csv'))).toEqual([{ row: 3, column: '姓名', message: expect.stringContaining('第 2 行') }]);
  });

  test('the formula guard our own CSV exports add is taken off', () => {
    expect(rowsOf(parseRosterFile(csv("姓名,联系电话,备注\r\n张三,'+86 138 0000 0001,'=不是公式\r\n"), 'csv'))).toEqual([
      member({ name: '张三', phone: '+86 138 0000 0001', note: '=不是公式' }),
    ]);
  });

  test(`at most ${MAX_ROSTER_MEMBERS} members`, () => {
    const lines = Array.from({ length: MAX_ROSTER_MEMBERS }, (_, i) => `委员${i},界别${i % 10}`);
    expect(rowsOf(parseRosterFile(csv(['姓名,界别', ...lines].join('\r\n')), 'csv'))).toHaveLength(MAX_ROSTER_MEMBERS);
    const tooMany = csv(['姓名,界别', ...lines, '多一人,经济界'].join('\r\n'));
    expect(errorsOf(parseRosterFile(tooMany, 'csv'))).toEqual([{ row: MAX_ROSTER_MEMBERS + 2, column: '', message: expect.stringContaining(String(MAX_ROSTER_MEMBERS)) }]);
  });

  test('a wrong file lists its first problems and counts the rest', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `,界别${i}`);
    const errors = errorsOf(parseRosterFile(csv(['姓名,界别', ...lines].join('\r\n')), 'csv'));
    expect(errors).toHaveLength(501);
    expect(errors[500]).toEqual({ row: 502, column: '', message: expect.stringContaining('500') });
  });

  test('any text gives rows or errors, never an exception', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('姓名', '界别', ',', '"', '\r', '\n', '\t', ' ', 'a', '张', "'", '=') }), (text) => {
        const result = parseRosterFile(Buffer.from(text, 'utf8'), 'csv');
        expect(typeof result.ok).toBe('boolean');
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 500 }), (bytes) => {
        expect(typeof parseRosterFile(Buffer.from(bytes), 'csv').ok).toBe('boolean');
        expect(typeof parseRosterFile(Buffer.from(bytes), 'xlsx').ok).toBe('boolean');
      }),
    );
  });
});

describe('parseRosterFile(xlsx)', () => {
  test('reads the first sheet: numbers as text, gaps as empty cells, title rows skipped', () => {
    const file = xlsxWorkbook([
      {
        name: '名册',
        header: false,
        rows: [['第十四届委员名册'], [], ['序号', '姓名', '界别', '联系电话', '会场'], [1, '张三', '经济界', 13800000001, 'city'], [2, '李四', null, null, 'd1']],
      },
      { name: '其他', rows: [['姓名'], ['不读这一页']] },
    ]);
    expect(rowsOf(parseRosterFile(file, 'xlsx'))).toEqual([
      member({ name: '张三', sector: '经济界', phone: '13800000001', venue: 'city' }),
      member({ name: '李四', venue: 'd1' }),
    ]);
  });

  test('bad rows carry the sheet\'s row numbers', () => {
    const file = xlsxWorkbook([{ name: 's', rows: [['Name', 'Venue'], ['张三', 'city'], [], ['李四', '分会场']] }]);
    expect(errorsOf(parseRosterFile(file, 'xlsx'))).toEqual([{ row: 4, column: 'Venue', message: expect.stringContaining('venue') }]);
  });

  test('a file that is not an XLSX is refused, not thrown', () => {
    expect(errorsOf(parseRosterFile(csv('姓名\r\n张三\r\n'), 'xlsx'))).toEqual([{ row: 1, column: '', message: expect.stringContaining('XLSX') }]);
  });
});

describe('rosterTemplate()', () => {
  const examples = [
    member({ name: '张三', sector: '经济界', venue: 'city', district: '市工商联', phone: '13800000001', email: 'zhangsan@example.org', note: '示例，导入前请删除' }),
    member({ name: '李四', sector: '教育界', venue: 'd1', district: '东城区', phone: '13800000002', note: '示例，导入前请删除' }),
  ];
  const header = ['姓名', '界别', '会场', '所属区县/单位', '联系电话', '电子邮箱', '备注'];

  test('the CSV template is UTF-8 with a BOM and CRLF, the header in the template\'s order, and imports as it is', () => {
    const file = rosterTemplate('csv');
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(decodeText(file).split('\r\n')[0]).toBe(header.join(','));
    expect(rowsOf(parseRosterFile(file, 'csv'))).toEqual(examples);
  });

  test('the XLSX template\'s first sheet is the roster and imports as it is; a second sheet explains the columns', () => {
    const file = rosterTemplate('xlsx');
    expect(readFirstSheet(file)[0]).toEqual(header);
    expect(rowsOf(parseRosterFile(file, 'xlsx'))).toEqual(examples);
  });
});

describe('parseCsv()', () => {
  test.each([
    ['a,b\r\nc,d', [['a', 'b'], ['c', 'd']]],
    ['a,b\rc,d\n', [['a', 'b'], ['c', 'd']]],
    ['"a,b",""\r\n', [['a,b', '']]],
    ['"a""b"', [['a"b']]],
    ['a"b,c', [['a"b', 'c']]],
    ['"unclosed,\r\nstill', [['unclosed,\r\nstill']]],
    ['a\r\n\r\nb', [['a'], [], ['b']]],
    ['a\tb\r\nc\td', [['a', 'b'], ['c', 'd']]],
    ['a,b\tc', [['a', 'b\tc']]],
  ])('%j', (text, rows) => {
    expect(parseCsv(text)).toEqual(rows);
  });
});
