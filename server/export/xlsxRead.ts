/**
 * A minimal XLSX reader: the first worksheet as rows of text, enough to import a roster an
 * office keeps in Excel or WPS. Cells are placed by their reference (`C7` is row 7, column 3),
 * so an empty cell or row stays a gap; shared strings (rich text runs joined, phonetic hints
 * left out), inline strings, numbers, booleans and cached formula results are read as text.
 *
 * The file comes from outside and is treated as hostile: the inflated size of the parts read
 * is capped (zip bombs), so are the rows and columns, and the XML is scanned by hand: a
 * DOCTYPE is skipped, never obeyed, and no entity beyond XML's five and character references
 * is expanded. Every failure is an XlsxError.
 */
import { readZipEntry, ZipError } from './zip.js';

/** The file is not a workbook this reader can read, or is larger than allowed. */
export class XlsxError extends Error {
  override name = 'XlsxError';
}

/** Limits for a file from outside. */
export type XlsxReadLimits = {
  /** Inflated bytes of all the parts read together. */
  maxBytes?: number;
  /** Highest row number a cell may have. */
  maxRows?: number;
  /** Highest column number a cell may have (A = 1). */
  maxColumns?: number;
};

const DEFAULT_LIMITS: Required<XlsxReadLimits> = { maxBytes: 32 * 1024 * 1024, maxRows: 100_000, maxColumns: 1_000 };

/**
 * The first worksheet's rows: `rows[r][c]` is the text of the cell in row r + 1, column c + 1
 * ('' for an empty cell inside a row; rows without text are empty arrays). The rows end with
 * the last one that has text.
 */
export function readFirstSheet(file: Buffer, limits: XlsxReadLimits = {}): string[][] {
  const { maxBytes, maxRows, maxColumns } = { ...DEFAULT_LIMITS, ...limits };
  let budget = maxBytes;
  const part = (name: string): string | undefined => {
    let bytes: Buffer | undefined;
    try {
      bytes = readZipEntry(file, name, { maxBytes: budget });
    } catch (error) {
      if (error instanceof ZipError) throw new XlsxError(error.message.includes('larger than') ? `the file unpacks to more than ${maxBytes} bytes` : `not an XLSX file (${error.message})`);
      // inflate's own complaints about corrupt data.
      throw new XlsxError('not an XLSX file (a part cannot be unpacked)');
    }
    if (bytes === undefined) return undefined;
    budget -= bytes.length;
    return bytes.toString('utf8');
  };

  const workbook = part('xl/workbook.xml');
  if (workbook === undefined) throw new XlsxError('not an XLSX file (no xl/workbook.xml)');
  const rels = relationships(part('xl/_rels/workbook.xml.rels') ?? '');
  const firstSheetRel = firstSheetRelationship(workbook);
  const sheetPath = (firstSheetRel === undefined ? undefined : rels.get(firstSheetRel)?.target) ?? 'xl/worksheets/sheet1.xml';
  const stringsPath = [...rels.values()].find((r) => r.type.endsWith('/sharedStrings'))?.target ?? 'xl/sharedStrings.xml';

  const sheet = part(sheetPath);
  if (sheet === undefined) throw new XlsxError(`not an XLSX file (no ${sheetPath})`);
  const stringsXml = part(stringsPath);
  const strings = stringsXml === undefined ? [] : sharedStrings(stringsXml);
  return sheetRows(sheet, strings, maxRows, maxColumns);
}

type Relationship = { type: string; target: string };

/** The workbook's relationships by id, targets as paths inside the package. */
function relationships(xml: string): Map<string, Relationship> {
  const rels = new Map<string, Relationship>();
  scanXml(xml, {
    open(name, attrs) {
      if (name !== 'Relationship') return;
      const id = attrs.get('Id');
      const target = attrs.get('Target');
      if (id === undefined || target === undefined || attrs.get('TargetMode') === 'External') return;
      rels.set(id, { type: attrs.get('Type') ?? '', target: packagePath('xl/', target) });
    },
  });
  return rels;
}

/** A relationship's target as a path from the package root: absolute (`/xl/…`) or relative to `base`. */
function packagePath(base: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : base + target).split('/');
  const path: string[] = [];
  for (const part of parts) {
    if (part === '..') path.pop();
    else if (part !== '.' && part !== '') path.push(part);
  }
  return path.join('/');
}

/** The relationship id of the workbook's first sheet (the first tab). */
function firstSheetRelationship(xml: string): string | undefined {
  let id: string | undefined;
  scanXml(xml, {
    open(name, attrs) {
      if (name !== 'sheet' || id !== undefined) return;
      // The attribute is r:id with whatever prefix the writer bound to the relationships namespace.
      for (const [key, value] of attrs) if (key === 'id' || key.endsWith(':id')) id = value;
    },
  });
  return id;
}

/** The shared strings table: each `<si>`'s text, its runs joined, phonetic hints (`<rPh>`) left out. */
function sharedStrings(xml: string): string[] {
  const strings: string[] = [];
  let current: string | undefined;
  let inText = false;
  let phonetic = 0;
  scanXml(xml, {
    open(name, _attrs, selfClosing) {
      if (name === 'si') current = selfClosing ? (strings.push(''), undefined) : '';
      else if (name === 'rPh' && !selfClosing) phonetic += 1;
      else if (name === 't' && !selfClosing) inText = true;
    },
    close(name) {
      if (name === 'si' && current !== undefined) {
        strings.push(current);
        current = undefined;
      } else if (name === 'rPh') phonetic = Math.max(0, phonetic - 1);
      else if (name === 't') inText = false;
    },
    text(text) {
      if (inText && phonetic === 0 && current !== undefined) current += text;
    },
  });
  return strings;
}

const CELL_REF = /^([A-Za-z]{1,3})([0-9]{1,7})$/;

/** The cells of a worksheet's `<sheetData>`, placed by reference. */
function sheetRows(xml: string, strings: readonly string[], maxRows: number, maxColumns: number): string[][] {
  const rows: string[][] = [];
  let rowNumber = 0;
  let columnNumber = 0;
  let cell: { type: string; value: string; inline: string; inValue: boolean; inInlineText: boolean; phonetic: number } | undefined;

  // Only cells with text count against the limits: Excel keeps formatted empty rows and cells
  // far below a table, and those are no reason to refuse it.
  const place = (row: number, column: number, text: string): void => {
    if (text === '') return;
    if (row > maxRows) throw new XlsxError(`the sheet has more than ${maxRows} rows`);
    if (column > maxColumns) throw new XlsxError(`the sheet has more than ${maxColumns} columns`);
    while (rows.length < row) rows.push([]);
    const cells = rows[row - 1] ?? [];
    while (cells.length < column) cells.push('');
    cells[column - 1] = text;
  };

  scanXml(xml, {
    open(name, attrs, selfClosing) {
      if (name === 'row') {
        const r = attrs.get('r');
        rowNumber = r !== undefined && /^[0-9]{1,7}$/.test(r) ? Number(r) : rowNumber + 1;
        columnNumber = 0;
      } else if (name === 'c') {
        const ref = attrs.get('r');
        const match = ref === undefined ? null : CELL_REF.exec(ref);
        if (match !== null) {
          columnNumber = columnIndex(match[1] ?? 'A');
          rowNumber = Number(match[2]);
        } else columnNumber += 1;
        cell = selfClosing ? undefined : { type: attrs.get('t') ?? 'n', value: '', inline: '', inValue: false, inInlineText: false, phonetic: 0 };
      } else if (cell !== undefined && !selfClosing) {
        if (name === 'v') cell.inValue = true;
        else if (name === 'rPh') cell.phonetic += 1;
        else if (name === 't') cell.inInlineText = true;
      }
    },
    close(name) {
      if (cell === undefined) return;
      if (name === 'v') cell.inValue = false;
      else if (name === 'rPh') cell.phonetic = Math.max(0, cell.phonetic - 1);
      else if (name === 't') cell.inInlineText = false;
      else if (name === 'c') {
        place(rowNumber, columnNumber, cellText(cell.type, cell.value, cell.inline, strings));
        cell = undefined;
      }
    },
    text(text) {
      if (cell === undefined) return;
      if (cell.inValue) cell.value += text;
      else if (cell.inInlineText && cell.phonetic === 0) cell.inline += text;
    },
  });
  return rows;
}

/** A cell's text by its type (`t`): shared string, inline string, formula string, boolean, error or number. */
function cellText(type: string, value: string, inline: string, strings: readonly string[]): string {
  switch (type) {
    case 's': {
      const index = Number(value.trim());
      return Number.isInteger(index) && index >= 0 ? (strings[index] ?? '') : '';
    }
    case 'inlineStr':
      return inline;
    case 'str':
    case 'e':
      return value;
    case 'b':
      return value.trim() === '1' ? 'TRUE' : value.trim() === '0' ? 'FALSE' : value;
    default: {
      // A number as Excel writes it (a phone number 13800138000, maybe as 1.3800138E10) reads
      // back in its plain decimal form.
      const trimmed = value.trim();
      const number = Number(trimmed);
      return trimmed !== '' && Number.isFinite(number) ? String(number) : trimmed;
    }
  }
}

/** `A` → 1, `Z` → 26, `AA` → 27. */
function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

type XmlHandlers = {
  /** An element starts; `name` without its namespace prefix. */
  open?(name: string, attrs: Map<string, string>, selfClosing: boolean): void;
  close?(name: string): void;
  /** Character data, entities decoded. */
  text?(text: string): void;
};

/**
 * Walks XML by hand: elements, attributes and text, namespace prefixes dropped from element
 * names. Comments, processing instructions and a DOCTYPE (internal subset included) are
 * skipped; CDATA is text; entities other than XML's five and character references are kept
 * as written, so nothing is ever expanded.
 */
function scanXml(xml: string, handlers: XmlHandlers): void {
  let at = 0;
  const length = xml.length;
  while (at < length) {
    const lt = xml.indexOf('<', at);
    if (lt < 0) {
      handlers.text?.(decodeEntities(xml.slice(at)));
      return;
    }
    if (lt > at) handlers.text?.(decodeEntities(xml.slice(at, lt)));
    if (xml.startsWith('<!--', lt)) {
      at = skipPast(xml, '-->', lt + 4);
    } else if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt + 9);
      handlers.text?.(xml.slice(lt + 9, end < 0 ? length : end));
      at = end < 0 ? length : end + 3;
    } else if (xml.startsWith('<?', lt)) {
      at = skipPast(xml, '?>', lt + 2);
    } else if (xml.startsWith('<!', lt)) {
      at = skipDeclaration(xml, lt + 2);
    } else {
      const gt = tagEnd(xml, lt + 1);
      if (gt < 0) return;
      const body = xml.slice(lt + 1, gt);
      at = gt + 1;
      if (body.startsWith('/')) {
        handlers.close?.(localName(body.slice(1).trim()));
        continue;
      }
      const selfClosing = body.endsWith('/');
      const inner = selfClosing ? body.slice(0, -1) : body;
      const nameEnd = inner.search(/[\s]/);
      const name = localName(nameEnd < 0 ? inner : inner.slice(0, nameEnd));
      handlers.open?.(name, nameEnd < 0 ? new Map() : attributes(inner.slice(nameEnd)), selfClosing);
      if (selfClosing) handlers.close?.(name);
    }
  }
}

function skipPast(xml: string, marker: string, from: number): number {
  const end = xml.indexOf(marker, from);
  return end < 0 ? xml.length : end + marker.length;
}

/** Past a `<!DOCTYPE …>` or other declaration, over an internal subset in [ ] and quoted text. */
function skipDeclaration(xml: string, from: number): number {
  let depth = 0;
  let quote = '';
  for (let i = from; i < xml.length; i++) {
    const ch = xml[i];
    if (quote !== '') {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[') depth += 1;
    else if (ch === ']') depth = Math.max(0, depth - 1);
    else if (ch === '>' && depth === 0) return i + 1;
  }
  return xml.length;
}

/** The `>` closing a tag that starts at `from`, past `>` inside quoted attribute values. */
function tagEnd(xml: string, from: number): number {
  let quote = '';
  for (let i = from; i < xml.length; i++) {
    const ch = xml[i];
    if (quote !== '') {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '>') return i;
  }
  return -1;
}

function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon < 0 ? qualified : qualified.slice(colon + 1);
}

const ATTRIBUTE = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function attributes(text: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const match of text.matchAll(ATTRIBUTE)) attrs.set(match[1] ?? '', decodeEntities(match[2] ?? match[3] ?? ''));
  return attrs;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9A-Fa-f]{1,6}|#[0-9]{1,7}|[A-Za-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '';
    }
    return NAMED[ref] ?? whole;
  });
}
