// @vitest-environment jsdom
/**
 * The XLSX writer: every part is well-formed XML (jsdom's parser stands in for Excel's), the
 * package has the parts and content types Excel, WPS and LibreOffice require, cells read back
 * as written, and hostile text cannot break the file.
 */
import { crc32, inflateRawSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { columnName, fitColumnWidths, xlsxWorkbook } from './xlsx.js';
import { readFirstSheet } from './xlsxRead.js';
import { readZipEntry, zipEntries } from './zip.js';

const part = (file: Buffer, name: string): string => {
  const bytes = readZipEntry(file, name);
  if (bytes === undefined) throw new Error(`no part ${name}`);
  return bytes.toString('utf8');
};

/** The part parsed as XML; fails the test if the parser reports an error. */
const xml = (file: Buffer, name: string): Document => {
  const doc = new DOMParser().parseFromString(part(file, name), 'application/xml');
  expect(doc.getElementsByTagName('parsererror'), `${name} is well-formed`).toHaveLength(0);
  return doc;
};

describe('xlsxWorkbook()', () => {
  const workbook = xlsxWorkbook([
    { name: '名册', rows: [['姓名', '界别', '人数'], ['张三', '经济界', 3], ['李四', null, 4.5]], columnWidths: [12, 16, 8] },
    { name: '说明', rows: [['列', '说明']] },
  ]);

  test('holds the OOXML minimum, each part well-formed and typed in [Content_Types].xml', () => {
    expect(zipEntries(workbook).sort()).toEqual(
      [
        '[Content_Types].xml',
        '_rels/.rels',
        'xl/_rels/workbook.xml.rels',
        'xl/sharedStrings.xml',
        'xl/styles.xml',
        'xl/workbook.xml',
        'xl/worksheets/sheet1.xml',
        'xl/worksheets/sheet2.xml',
      ].sort(),
    );
    for (const name of zipEntries(workbook)) xml(workbook, name);
    const types = xml(workbook, '[Content_Types].xml');
    const overrides = [...types.getElementsByTagName('Override')].map((o) => o.getAttribute('PartName'));
    expect(overrides.sort()).toEqual(['/xl/sharedStrings.xml', '/xl/styles.xml', '/xl/workbook.xml', '/xl/worksheets/sheet1.xml', '/xl/worksheets/sheet2.xml']);
    const sheets = [...xml(workbook, 'xl/workbook.xml').getElementsByTagName('sheet')].map((s) => s.getAttribute('name'));
    expect(sheets).toEqual(['名册', '说明']);
  });

  test('every entry is deflated with the CRC-32 and sizes its central directory states', () => {
    // Walks the central directory independently of zip.ts, as unzip -t does.
    const eocd = workbook.length - 22;
    expect(workbook.readUInt32LE(eocd)).toBe(0x06054b50);
    let at = workbook.readUInt32LE(eocd + 16);
    for (let i = 0; i < workbook.readUInt16LE(eocd + 10); i++) {
      expect(workbook.readUInt32LE(at)).toBe(0x02014b50);
      const [method, crc, compressed, size, nameLength, local] = [
        workbook.readUInt16LE(at + 10), workbook.readUInt32LE(at + 16), workbook.readUInt32LE(at + 20),
        workbook.readUInt32LE(at + 24), workbook.readUInt16LE(at + 28), workbook.readUInt32LE(at + 42),
      ];
      expect(method).toBe(8);
      expect(workbook.readUInt32LE(local)).toBe(0x04034b50);
      expect(workbook.readUInt32LE(local + 14)).toBe(crc);
      const start = local + 30 + workbook.readUInt16LE(local + 26);
      const data = inflateRawSync(workbook.subarray(start, start + compressed));
      expect(data.length).toBe(size);
      expect(crc32(data)).toBe(crc);
      at += 46 + nameLength;
    }
    expect(at).toBe(eocd);
  });

  test('reads back: text through the shared strings, numbers as numbers, an empty cell as a gap', () => {
    expect(readFirstSheet(workbook)).toEqual([['姓名', '界别', '人数'], ['张三', '经济界', '3'], ['李四', '', '4.5']]);
    const sheet = part(workbook, 'xl/worksheets/sheet1.xml');
    expect(sheet).toContain('<c r="C2"><v>3</v></c>');
    expect(sheet).not.toContain('r="B3"');
  });

  test('the header row is bold and frozen; the columns have their widths', () => {
    const doc = xml(workbook, 'xl/worksheets/sheet1.xml');
    const styleOf = (ref: string): string | null => [...doc.getElementsByTagName('c')].find((c) => c.getAttribute('r') === ref)?.getAttribute('s') ?? null;
    const boldXf = Number(styleOf('A1'));
    expect(styleOf('A2')).toBeNull();
    const styles = xml(workbook, 'xl/styles.xml');
    const xf = styles.getElementsByTagName('cellXfs')[0]?.getElementsByTagName('xf')[boldXf];
    const font = styles.getElementsByTagName('font')[Number(xf?.getAttribute('fontId'))];
    expect(font?.getElementsByTagName('b')).toHaveLength(1);
    expect(doc.getElementsByTagName('pane')[0]?.getAttribute('state')).toBe('frozen');
    expect([...doc.getElementsByTagName('col')].map((c) => c.getAttribute('width'))).toEqual(['12', '16', '8']);
  });

  test('hostile text stays text: markup escaped, characters XML forbids dropped, spaces kept', () => {
    const hostile = ['<script>&amp;"\'</c></sheetData>', 'a\u0000b\u0007c\u001b\uFFFE\uD800d', '  两边有空格  ', '第一行\r\n第二行', '表情😀', '=HYPERLINK("x")'];
    const file = xlsxWorkbook([{ name: 'x', rows: [hostile] }]);
    for (const name of zipEntries(file)) xml(file, name);
    expect(readFirstSheet(file)).toEqual([['<script>&amp;"\'</c></sheetData>', 'abcd', '  两边有空格  ', '第一行\n第二行', '表情😀', '=HYPERLINK("x")']]);
    // A formula-looking text is a string cell, never a formula.
    expect(part(file, 'xl/worksheets/sheet1.xml')).not.toContain('<f>');
  });

  test('text longer than a cell holds is cut to 32,767 characters without splitting a pair', () => {
    const file = xlsxWorkbook([{ name: 'x', rows: [['长'.repeat(32_766) + '😀😀']] }]);
    const [[text]] = readFirstSheet(file) as [[string]];
    expect(text.length).toBe(32_766);
    expect(text.endsWith('长')).toBe(true);
  });

  test('numbers that have no cell form are left empty', () => {
    expect(readFirstSheet(xlsxWorkbook([{ name: 'x', header: false, rows: [[1, Number.NaN, Infinity, -2.25]] }]))).toEqual([['1', '', '', '-2.25']]);
  });

  test('sheet names are cleaned of what Excel refuses, cut to 31 characters and unique', () => {
    const file = xlsxWorkbook([
      { name: 'a/b:c*d?[e]', rows: [] },
      { name: '', rows: [] },
      { name: 'A/B:C*D?[E]', rows: [] },
      { name: '很'.repeat(40), rows: [] },
    ]);
    const names = [...xml(file, 'xl/workbook.xml').getElementsByTagName('sheet')].map((s) => s.getAttribute('name') ?? '');
    expect(names).toEqual(['a b c d  e', 'Sheet2', 'A B C D  E (2)', '很'.repeat(31)]);
  });

  test('a workbook without sheets is a programming mistake', () => {
    expect(() => xlsxWorkbook([])).toThrow(TypeError);
  });

  test('the same workbook gives the same bytes', () => {
    const sheets = [{ name: 's', rows: [['a', 1]] }];
    expect(xlsxWorkbook(sheets).equals(xlsxWorkbook(sheets))).toBe(true);
  });
});

describe('columnName()', () => {
  test.each([
    [0, 'A'], [25, 'Z'], [26, 'AA'], [51, 'AZ'], [52, 'BA'], [701, 'ZZ'], [702, 'AAA'], [16_383, 'XFD'],
  ])('column %i is %s', (index, name) => {
    expect(columnName(index)).toBe(name);
  });
});

describe('fitColumnWidths()', () => {
  test('wide characters count two, the longest line of a cell counts, within min and max', () => {
    expect(fitColumnWidths([['姓名', 'abc', 'x'], ['张三丰', 'ab\nabcdefgh', null], ['', 'y'.repeat(100)]], { min: 4, max: 30 })).toEqual([8, 30, 4]);
  });
});
