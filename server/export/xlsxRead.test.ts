/**
 * The XLSX reader on files written the way other programs write them (prefixed namespaces,
 * rich text, inline strings, cells without references, parts in other places) and on hostile
 * ones: zip bombs, entity bombs, huge references, garbage. It answers rows or an XlsxError,
 * never anything else.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { xlsxWorkbook, zipArchive } from './xlsx.js';
import { readFirstSheet, XlsxError } from './xlsxRead.js';

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A package with the given parts; workbook.xml and its relationships default to one sheet at xl/worksheets/sheet1.xml. */
function pack(parts: Record<string, string | Buffer>): Buffer {
  const all: Record<string, string | Buffer> = {
    'xl/workbook.xml': `<workbook ${NS}><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels':
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
      `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
      `<Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    ...parts,
  };
  return zipArchive(Object.entries(all).map(([name, data]) => ({ name, data: Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8') })));
}

const sheet = (data: string): string => `<?xml version="1.0"?><worksheet ${NS}><sheetData>${data}</sheetData></worksheet>`;

describe('readFirstSheet()', () => {
  test('places cells by reference: skipped cells and rows stay gaps', () => {
    const file = pack({
      'xl/worksheets/sheet1.xml': sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="C1"><v>3</v></c></row><row r="3"><c r="B3"><v>7</v></c></row>'),
    });
    expect(readFirstSheet(file)).toEqual([['a', '', '3'], [], ['', '7']]);
  });

  test('cells and rows without references follow the previous one', () => {
    const file = pack({ 'xl/worksheets/sheet1.xml': sheet('<row><c><v>1</v></c><c><v>2</v></c></row><row><c r="B2"><v>3</v></c><c><v>4</v></c></row>') });
    expect(readFirstSheet(file)).toEqual([['1', '2'], ['', '3', '4']]);
  });

  test('shared strings: rich text runs joined, phonetic hints left out, entities decoded', () => {
    const file = pack({
      'xl/sharedStrings.xml':
        `<sst ${NS}><si><t>姓名</t></si><si><r><rPr><b/></rPr><t>张</t></r><r><t xml:space="preserve">三 </t></r><rPh sb="0" eb="1"><t>zhang</t></rPh></si>` +
        `<si/><si><t>A&amp;B &lt;x&gt; &#x4E2D;&#25991;</t></si></sst>`,
      'xl/worksheets/sheet1.xml': sheet('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>99</v></c></row>'),
    });
    expect(readFirstSheet(file)).toEqual([['姓名', '张三 ', '', 'A&B <x> 中文']]);
  });

  test('numbers in their plain form, booleans, formula results and errors as text', () => {
    const file = pack({
      'xl/worksheets/sheet1.xml': sheet(
        '<row r="1"><c r="A1"><v>1.3800138E10</v></c><c r="B1" t="n"><v>2.50</v></c><c r="C1" t="b"><v>1</v></c><c r="D1" t="b"><v>0</v></c>' +
          '<c r="E1" t="str"><f>A1&amp;"x"</f><v>13800138000x</v></c><c r="F1" t="e"><v>#N/A</v></c><c r="G1"><f>1+1</f><v>2</v></c></row>',
      ),
    });
    expect(readFirstSheet(file)).toEqual([['13800138000', '2.5', 'TRUE', 'FALSE', '13800138000x', '#N/A', '2']]);
  });

  test('prefixed namespaces (x:) as some writers emit them', () => {
    const file = pack({
      'xl/workbook.xml': `<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:rel="${REL}"><x:sheets><x:sheet name="S" sheetId="1" rel:id="rId1"/></x:sheets></x:workbook>`,
      'xl/worksheets/sheet1.xml': `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>甲</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>`,
    });
    expect(readFirstSheet(file)).toEqual([['甲']]);
  });

  test('the first tab is read, wherever its part lives (absolute target, other name)', () => {
    const file = pack({
      'xl/workbook.xml': `<workbook ${NS}><sheets><sheet name="first" sheetId="5" r:id="rId7"/><sheet name="second" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      'xl/_rels/workbook.xml.rels':
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
        `<Relationship Id="rId7" Type="${REL}/worksheet" Target="/xl/worksheets/名册.xml"/></Relationships>`,
      'xl/worksheets/sheet1.xml': sheet('<row r="1"><c r="A1"><v>2</v></c></row>'),
      'xl/worksheets/名册.xml': sheet('<row r="1"><c r="A1"><v>1</v></c></row>'),
    });
    expect(readFirstSheet(file)).toEqual([['1']]);
  });

  test('the writer\'s own workbook reads back', () => {
    expect(readFirstSheet(xlsxWorkbook([{ name: 'a', rows: [['x', 1], [null, 'y']] }, { name: 'b', rows: [['other']] }]))).toEqual([['x', '1'], ['', 'y']]);
  });

  test('a DOCTYPE is skipped and its entities are never expanded', () => {
    const laughs = '<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"> <!ENTITY x SYSTEM "file:///etc/passwd">]>';
    const file = pack({
      'xl/sharedStrings.xml': `<?xml version="1.0"?>${laughs}<sst ${NS}><si><t>&c;&x;</t></si></sst>`,
      'xl/worksheets/sheet1.xml': sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
    });
    expect(readFirstSheet(file)).toEqual([['&c;&x;']]);
  });

  test('a zip bomb is refused before it is unpacked past the limit', () => {
    // 64 MB of one repeated row compresses to some 64 KB.
    const row = '<row><c t="inlineStr"><is><t>x</t></is></c></row>';
    const huge = sheet(row.repeat(Math.ceil((64 * 1024 * 1024) / row.length)));
    const file = pack({ 'xl/worksheets/sheet1.xml': huge });
    expect(file.length).toBeLessThan(1024 * 1024);
    expect(() => readFirstSheet(file, { maxBytes: 8 * 1024 * 1024 })).toThrow(/unpacks to more than/);
  });

  test('the limits count every part read together', () => {
    const strings = `<sst ${NS}>${'<si><t>0123456789</t></si>'.repeat(1000)}</sst>`;
    const file = pack({ 'xl/sharedStrings.xml': strings, 'xl/worksheets/sheet1.xml': sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'.padEnd(20_000, ' ')) });
    expect(readFirstSheet(file, { maxBytes: 60_000 })).toEqual([['0123456789']]);
    expect(() => readFirstSheet(file, { maxBytes: 40_000 })).toThrow(XlsxError);
  });

  test('a cell beyond the row or column limit is refused; formatted empty rows far below are not', () => {
    const far = pack({ 'xl/worksheets/sheet1.xml': sheet('<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>') });
    expect(() => readFirstSheet(far, { maxRows: 1000 })).toThrow(/more than 1000 rows/);
    const wide = pack({ 'xl/worksheets/sheet1.xml': sheet('<row r="1"><c r="ZZ1"><v>1</v></c></row>') });
    expect(() => readFirstSheet(wide, { maxColumns: 100 })).toThrow(/more than 100 columns/);
    const formatted = pack({ 'xl/worksheets/sheet1.xml': sheet('<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576" ht="20" customHeight="1"><c r="XFD1048576" s="1"/></row>') });
    expect(readFirstSheet(formatted, { maxRows: 1000, maxColumns: 100 })).toEqual([['1']]);
  });

  test.each([
    ['empty bytes', Buffer.alloc(0)],
    ['a CSV', Buffer.from('姓名,界别\r\n张三,经济界\r\n')],
    ['a legacy .xls (OLE2)', Buffer.from('d0cf11e0a1b11ae1000000000000000000000000000000003e000300feff0900', 'hex')],
    ['a zip without a workbook', zipArchive([{ name: 'word/document.xml', data: Buffer.from('<w:document/>') }])],
    ['a workbook without its sheet', zipArchive([{ name: 'xl/workbook.xml', data: Buffer.from(`<workbook ${NS}/>`) }])],
  ])('%s is an XlsxError', (_, bytes) => {
    expect(() => readFirstSheet(bytes)).toThrow(XlsxError);
  });

  test('any bytes, and any damage to a real workbook, give rows or an XlsxError', () => {
    const good = xlsxWorkbook([{ name: '名册', rows: [['姓名', '界别'], ['张三', '经济界'], ['李四', 12]] }]);
    const outcome = (bytes: Buffer): string => {
      try {
        readFirstSheet(bytes);
        return 'rows';
      } catch (error) {
        return error instanceof XlsxError ? 'XlsxError' : `unexpected ${String(error)}`;
      }
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        expect(outcome(Buffer.from(bytes))).not.toMatch(/^unexpected/);
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), (changes) => {
        const damaged = Buffer.from(good);
        for (const [at, byte] of changes) damaged[at] = byte;
        expect(outcome(damaged)).not.toMatch(/^unexpected/);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.nat(good.length - 1), (length) => {
        expect(outcome(good.subarray(0, length))).not.toMatch(/^unexpected/);
      }),
    );
  });

  test('hostile XML in a sheet gives rows or an XlsxError', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('<', '>', '/', 'c', 'r', '=', '"', "'", 'A', '1', 'v', 't', 's', '!', '[', ']', '&', ';', '#', 'x', ' ', '?', '-') }), (junk) => {
        const file = pack({ 'xl/worksheets/sheet1.xml': sheet(junk), 'xl/sharedStrings.xml': `<sst>${junk}</sst>` });
        try {
          expect(Array.isArray(readFirstSheet(file, { maxRows: 1000, maxColumns: 100 }))).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(XlsxError);
        }
      }),
    );
  });
});
