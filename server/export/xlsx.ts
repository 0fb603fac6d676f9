/**
 * A minimal XLSX writer: a workbook of one or more sheets of text and number cells, the first
 * row in bold (the header) and kept in view while scrolling, and column widths. Enough for the
 * roster template and the duty records, which offices open in Excel, WPS or LibreOffice.
 *
 * The file is the OOXML minimum those three open without complaint ([Content_Types].xml, the
 * package and workbook relationships, workbook, styles, shared strings, one part per sheet) in
 * a ZIP built here with node:zlib: the project has no zip library. Text goes into the shared
 * strings table rather than inline, the form every reader handles.
 */
import { crc32, deflateRawSync } from 'node:zlib';

/** A cell: text, a number, or nothing. */
export type XlsxCell = string | number | null | undefined;

/** One sheet. */
export type XlsxSheet = {
  /** The tab's name; cleaned of what Excel refuses ([]:*?/\) and cut to 31 characters. */
  name: string;
  /** Rows from the top; the first is the header (bold, frozen) unless `header` is false. */
  rows: ReadonlyArray<ReadonlyArray<XlsxCell>>;
  /** Widths in characters, from column A; CJK characters count about two. */
  columnWidths?: readonly number[];
  /** Whether the first row is a header. Default true. */
  header?: boolean;
};

/** Longest text a cell holds in Excel; longer text is cut rather than making a file Excel repairs. */
const MAX_CELL_CHARS = 32_767;
const MAX_SHEET_NAME = 31;
/** Excel's limits: 1,048,576 rows and 16,384 columns (XFD). */
const MAX_ROWS = 1_048_576;
const MAX_COLUMNS = 16_384;

/** The workbook as the bytes of an .xlsx file. */
export function xlsxWorkbook(sheets: readonly XlsxSheet[]): Buffer {
  if (sheets.length === 0) throw new TypeError('a workbook needs at least one sheet');
  const strings = new SharedStrings();
  const names = sheetNames(sheets.map((s) => s.name));
  const sheetParts = sheets.map((sheet) => sheetXml(sheet, strings));
  const sheetIndexes = sheets.map((_, i) => i + 1);

  const files: Array<[string, string]> = [
    [
      '[Content_Types].xml',
      xmlDeclaration +
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        sheetIndexes
          .map((n) => `<Override PartName="/xl/worksheets/sheet${n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`)
          .join('') +
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' +
        '</Types>',
    ],
    [
      '_rels/.rels',
      xmlDeclaration +
        `<Relationships xmlns="${RELS_NS}">` +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
        '</Relationships>',
    ],
    [
      'xl/workbook.xml',
      xmlDeclaration +
        `<workbook xmlns="${MAIN_NS}" xmlns:r="${DOC_RELS_NS}"><sheets>` +
        sheetIndexes.map((n, i) => `<sheet name="${escapeXml(names[i] ?? `Sheet${n}`)}" sheetId="${n}" r:id="rId${n}"/>`).join('') +
        '</sheets></workbook>',
    ],
    [
      'xl/_rels/workbook.xml.rels',
      xmlDeclaration +
        `<Relationships xmlns="${RELS_NS}">` +
        sheetIndexes.map((n) => `<Relationship Id="rId${n}" Type="${DOC_RELS_NS}/worksheet" Target="worksheets/sheet${n}.xml"/>`).join('') +
        `<Relationship Id="rId${sheets.length + 1}" Type="${DOC_RELS_NS}/styles" Target="styles.xml"/>` +
        `<Relationship Id="rId${sheets.length + 2}" Type="${DOC_RELS_NS}/sharedStrings" Target="sharedStrings.xml"/>` +
        '</Relationships>',
    ],
    ['xl/styles.xml', STYLES],
    ...sheetParts.map((xml, i): [string, string] => [`xl/worksheets/sheet${i + 1}.xml`, xml]),
    ['xl/sharedStrings.xml', strings.xml()],
  ];
  return zipArchive(files.map(([name, text]) => ({ name, data: Buffer.from(text, 'utf8') })));
}

const xmlDeclaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELS_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const DOC_RELS_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

// Style 0 is the default; style 1 is bold (the header). Excel wants the two built-in fills
// (none, gray125) present even when unused, and one cellStyleXfs entry for cellXfs to point at.
const STYLES =
  xmlDeclaration +
  `<styleSheet xmlns="${MAIN_NS}">` +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
  '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

/** The shared strings table: each distinct text once, cells refer to it by index. */
class SharedStrings {
  readonly #index = new Map<string, number>();
  #uses = 0;

  /** The index of `text`, added the first time. */
  indexOf(text: string): number {
    this.#uses += 1;
    let index = this.#index.get(text);
    if (index === undefined) {
      index = this.#index.size;
      this.#index.set(text, index);
    }
    return index;
  }

  xml(): string {
    const items = [...this.#index.keys()].map((text) => `<si><t${/^\s|\s$/.test(text) ? ' xml:space="preserve"' : ''}>${escapeXml(text)}</t></si>`);
    return xmlDeclaration + `<sst xmlns="${MAIN_NS}" count="${this.#uses}" uniqueCount="${this.#index.size}">${items.join('')}</sst>`;
  }
}

function sheetXml(sheet: XlsxSheet, strings: SharedStrings): string {
  if (sheet.rows.length > MAX_ROWS) throw new RangeError(`sheet "${sheet.name}" has more than ${MAX_ROWS} rows`);
  const header = sheet.header !== false && sheet.rows.length > 0;
  const rows = sheet.rows.map((cells, r) => {
    if (cells.length > MAX_COLUMNS) throw new RangeError(`sheet "${sheet.name}" has more than ${MAX_COLUMNS} columns`);
    const style = header && r === 0 ? ' s="1"' : '';
    const xml = cells.map((value, c) => cellXml(`${columnName(c)}${r + 1}`, value, style, strings)).join('');
    return `<row r="${r + 1}">${xml}</row>`;
  });
  const widths = (sheet.columnWidths ?? [])
    .map((width, c) => (Number.isFinite(width) && width > 0 ? `<col min="${c + 1}" max="${c + 1}" width="${Math.min(width, 255)}" customWidth="1"/>` : ''))
    .join('');
  // A frozen first row keeps the column names in view on a roster of hundreds.
  const view = header
    ? '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
    : '<sheetViews><sheetView workbookViewId="0"/></sheetViews>';
  return (
    xmlDeclaration +
    `<worksheet xmlns="${MAIN_NS}" xmlns:r="${DOC_RELS_NS}">` +
    view +
    '<sheetFormatPr defaultRowHeight="15"/>' +
    (widths === '' ? '' : `<cols>${widths}</cols>`) +
    `<sheetData>${rows.join('')}</sheetData>` +
    '</worksheet>'
  );
}

function cellXml(ref: string, value: XlsxCell, style: string, strings: SharedStrings): string {
  if (value === null || value === undefined) return style === '' ? '' : `<c r="${ref}"${style}/>`;
  if (typeof value === 'number') {
    // NaN and Infinity have no cell form: they are left empty rather than written as text a sum would skip silently.
    return Number.isFinite(value) ? `<c r="${ref}"${style}><v>${value}</v></c>` : `<c r="${ref}"${style}/>`;
  }
  const text = cellText(value);
  if (text === '') return style === '' ? '' : `<c r="${ref}"${style}/>`;
  return `<c r="${ref}"${style} t="s"><v>${strings.indexOf(text)}</v></c>`;
}

/**
 * Column widths that fit the widest cell of each column (in characters, CJK and other wide
 * characters counting two), between `min` and `max`.
 */
export function fitColumnWidths(rows: ReadonlyArray<ReadonlyArray<XlsxCell>>, { min = 6, max = 60 }: { min?: number; max?: number } = {}): number[] {
  const widths: number[] = [];
  for (const cells of rows) {
    cells.forEach((value, c) => {
      const text = value === null || value === undefined ? '' : String(value);
      const longestLine = Math.max(0, ...text.split('\n').map(displayWidth));
      widths[c] = Math.max(widths[c] ?? min, Math.min(max, longestLine + 2));
    });
  }
  return Array.from(widths, (w) => w ?? min);
}

// East Asian wide and full-width characters take two columns in a spreadsheet's default font.
const WIDE = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]|[\uD840-\uD87F][\uDC00-\uDFFF]/;

function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += WIDE.test(ch) ? 2 : 1;
  return width;
}

/** `A`, `B` … `Z`, `AA` …: the column's letters for a 0-based index. */
export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

// XML 1.0 allows tab, LF, CR and everything from U+0020 except the surrogates (paired ones are
// fine as one character) and U+FFFE/U+FFFF. A control character from a pasted name would make
// the whole file unreadable, so it is dropped.
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as a cell may hold it: no characters XML forbids, CR LF as LF, at most Excel's length (not cutting a pair in half). */
function cellText(value: string): string {
  const text = value.replace(XML_FORBIDDEN, '').replace(/\r\n?/g, '\n');
  if (text.length <= MAX_CELL_CHARS) return text;
  const cut = text.slice(0, MAX_CELL_CHARS);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** Text escaped for an XML element or a double-quoted attribute. */
function escapeXml(text: string): string {
  return text.replace(XML_FORBIDDEN, '').replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

/** Tab names Excel accepts: none of []:*?/\, not empty, at most 31 characters, no two alike (case-insensitively). */
function sheetNames(wanted: readonly string[]): string[] {
  const taken = new Set<string>();
  return wanted.map((raw, i) => {
    const base = [...raw.replace(XML_FORBIDDEN, '').replace(/[[\]:*?/\\]/g, ' ').trim().replace(/^'+|'+$/g, '')].slice(0, MAX_SHEET_NAME).join('') || `Sheet${i + 1}`;
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n += 1) {
      const suffix = ` (${n})`;
      name = [...base].slice(0, MAX_SHEET_NAME - suffix.length).join('') + suffix;
    }
    taken.add(name.toLowerCase());
    return name;
  });
}

/** An entry of a ZIP being written. */
export type ZipFile = { name: string; data: Buffer };

/** A ZIP of deflated entries (no ZIP64: a workbook of ours stays far below 4 GB). */
export function zipArchive(files: readonly ZipFile[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name, 'utf8');
    const compressed = deflateRawSync(file.data);
    const crc = crc32(file.data);
    // Version 2.0, UTF-8 names (bit 11), deflate, a fixed time (1980-01-01 00:00) so the same
    // workbook gives the same bytes.
    const common = (header: Buffer, at: number): void => {
      header.writeUInt16LE(0x0800, at);
      header.writeUInt16LE(8, at + 2);
      header.writeUInt16LE(0, at + 4);
      header.writeUInt16LE(0x21, at + 6);
      header.writeUInt32LE(crc, at + 8);
      header.writeUInt32LE(compressed.length, at + 12);
      header.writeUInt32LE(file.data.length, at + 16);
      header.writeUInt16LE(name.length, at + 20);
      header.writeUInt16LE(0, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    common(local, 6);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    common(central, 8);
    // Comment length, disk number, internal and external attributes stay 0.
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
