/**
 * Verifies an exported minutes file: the record embedded in it is intact (its SHA-256), the
 * visible text is exactly what that record renders to (so editing one character fails), the
 * record's chain head is in the room's log with an unbroken hash chain, the record is what
 * the log folded up to that head gives (so it was drawn from this log, and neither was altered
 * since), the polls' results by venue and sector are what the log allows (named polls recounted,
 * secret polls' groups and their sizes recomputed: signaling/record/breakdownCheck.ts), and a
 * locked version's content hash is the one its lock recorded in the log. A recording's file is
 * checked against the locked record's parts (`recordingFilePart`: its size and SHA-256).
 */
import { createHash } from 'node:crypto';
import { atOffset, recordingFilePath } from '../../signaling/http/recording.js';
import { breakdownProblem } from '../../signaling/record/breakdownCheck.js';
import { minutesSkeleton } from '../../signaling/record/skeleton.js';
import { MinutesSchema, type Minutes } from '../../signaling/record/types.js';
import { applyAll } from '../../signaling/room/apply.js';
import { canonicalJson, type RoomEvent } from '../../signaling/room/events.js';
import { emptyRoom } from '../../signaling/room/state.js';
import { contentHash } from '../store/recordHash.js';
import type { EventStore } from '../store/EventStore.js';
import { hashEvent } from '../store/hashChain.js';
import { DOCX_HASH_PROPERTY, DOCX_RECORD_PROPERTY, minutesToDocx } from './docx.js';
import { HTML_RECORD_OPEN, minutesToHtml } from './html.js';
import { MARKDOWN_RECORD_START, minutesToMarkdown } from './markdown.js';
import { withoutLinkOrigins, withoutOrigin, type RenderOptions } from './recordingSection.js';
import { readZipEntry } from './zip.js';

/** The outcome of a verification: the record, or the first reason it failed. */
export type Verification = { ok: true; minutes: Minutes; format: ExportFormat } | { ok: false; reason: string };

/** The export formats. */
export type ExportFormat = 'markdown' | 'html' | 'docx';

type Embedded = { format: ExportFormat; json: string; hash: string };

/** Why a file fails; carried as a value, not thrown past the verifier. */
class Failure extends Error {
  override name = 'VerificationFailure';
}

/** Verifies `file` as an export of room `roomId` whose log is in `store`. */
export async function verifyExport(file: Buffer, store: EventStore, roomId: string): Promise<Verification> {
  try {
    const embedded = extractRecord(file);
    const minutes = parseRecord(embedded);
    await checkVisibleText(file, embedded.format, minutes);
    if (minutes.roomId !== roomId) throw new Failure(`the minutes are of room ${minutes.roomId}, not ${roomId}`);
    const log = await checkChain(store, roomId, minutes.seq, minutes.chainHead);
    checkDrawnFromLog(log, roomId, minutes);
    if (minutes.lockedAt !== null) checkLock(log, minutes);
    return { ok: true, minutes, format: embedded.format };
  } catch (error) {
    // Only a failed check becomes a reason; anything else (a store that cannot be read) is a
    // real error for the caller.
    if (error instanceof Failure) return { ok: false, reason: error.message };
    throw error;
  }
}

/** Finds the embedded record and its hash; the format is told by the file's first bytes. */
function extractRecord(file: Buffer): Embedded {
  if (file.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    const custom = readZipEntry(file, 'docProps/custom.xml');
    if (!custom) throw new Failure('the DOCX carries no custom properties (no embedded record)');
    const xml = custom.toString('utf8');
    return { format: 'docx', json: customProperty(xml, DOCX_RECORD_PROPERTY), hash: customProperty(xml, DOCX_HASH_PROPERTY) };
  }
  const text = file.toString('utf8');
  const htmlAt = text.lastIndexOf(HTML_RECORD_OPEN);
  if (htmlAt >= 0) {
    const rest = text.slice(htmlAt + HTML_RECORD_OPEN.length);
    const match = /^([0-9a-f]{64})">([^<]*)<\/script>/.exec(rest);
    if (!match?.[1] || match[2] === undefined) throw new Failure('the embedded record of the HTML page is malformed');
    return { format: 'html', hash: match[1], json: match[2] };
  }
  const mdAt = text.lastIndexOf(MARKDOWN_RECORD_START);
  if (mdAt >= 0) {
    const match = /^([0-9a-f]{64})\r?\n(.*)\r?\n-->/.exec(text.slice(mdAt + MARKDOWN_RECORD_START.length));
    if (!match?.[1] || match[2] === undefined) throw new Failure('the embedded record of the Markdown file is malformed');
    return { format: 'markdown', hash: match[1], json: match[2] };
  }
  throw new Failure('no embedded minutes record found (not an export, or it was removed)');
}

/** The text of a custom property (vt:lpwstr), XML-unescaped. */
function customProperty(xml: string, name: string): string {
  const re = new RegExp(`<property\\b[^>]*\\bname="${name}"[^>]*>\\s*<vt:lpwstr>([^<]*)</vt:lpwstr>`);
  const match = re.exec(xml);
  if (match?.[1] === undefined) throw new Failure(`the DOCX has no custom property ${name}`);
  return unescapeXml(match[1]);
}

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (_, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    return named[ref] ?? '';
  });
}

/** Parses the embedded JSON, checks its hash over the canonical form, then its shape. */
function parseRecord(embedded: Embedded): Minutes {
  let raw: unknown;
  try {
    raw = JSON.parse(embedded.json);
  } catch (error) {
    throw new Failure(`the embedded record is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const canonical = canonicalJson(raw);
  const hash = createHash('sha256').update(canonical).digest('hex');
  if (hash !== embedded.hash) throw new Failure(`the embedded record does not match its SHA-256 (${embedded.hash})`);
  const parsed = MinutesSchema.safeParse(raw);
  if (!parsed.success) throw new Failure(`the embedded record is not minutes: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  // zod drops unknown keys; a record with extra fields is not one this code rendered.
  if (canonicalJson(parsed.data) !== canonical) throw new Failure('the embedded record carries fields these minutes do not have');
  return parsed.data;
}

/** The file must be exactly what the record renders to (DOCX: the same text, paragraph by paragraph). */
async function checkVisibleText(file: Buffer, format: ExportFormat, m: Minutes): Promise<void> {
  if (format === 'docx') {
    const fresh = await minutesToDocx(m);
    const mine = docxText(file);
    const theirs = docxText(fresh);
    if (mine !== theirs) throw new Failure(`the document text differs from its record ${firstDifference(mine, theirs)}`);
    // Links are not text: a linked document's links must lead where its record says.
    const links = docxLinks(file);
    if (links.length === 0) return;
    const expected = docxLinks(await minutesToDocx(m, { recordingUrl: recordingPaths(m) }));
    if (links.join('\n') !== expected.join('\n')) throw new Failure(`the document's links are not its record's ${firstDifference(links.join('\n'), expected.join('\n'))}`);
    return;
  }
  // Line endings may change in transit (a Windows editor, a mail client); nothing else may.
  // An export made for someone who may open the recording links it: where the links lead
  // (part and offset) must be the record's; the server and the key they carry may differ.
  const text = withoutLinkOrigins(file.toString('utf8').replace(/\r\n/g, '\n'));
  const render = (options: RenderOptions): string => withoutLinkOrigins(format === 'html' ? minutesToHtml(m, options) : minutesToMarkdown(m, options));
  const fresh = [render({}), ...(m.recording ? [render({ recordingUrl: recordingPaths(m) })] : [])];
  if (fresh.includes(text)) return;
  // The closer rendering says best where the file departs from it.
  const closest = fresh.reduce((a, b) => (commonPrefix(text, b) > commonPrefix(text, a) ? b : a));
  throw new Failure(`the ${format} text differs from its record ${firstDifference(text, closest)}`);
}

/** The links a linked export carries, as withoutLinkOrigins leaves them: the part's path and `#t=`. */
function recordingPaths(m: Minutes): NonNullable<RenderOptions['recordingUrl']> {
  return (partIndex, offsetMs) => {
    const part = m.recording?.parts[partIndex];
    return part && atOffset(recordingFilePath(m.roomId, part.name), offsetMs);
  };
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  return i;
}

/** The visible text of a DOCX: each paragraph's runs joined, one paragraph per line. */
export function docxText(docx: Buffer): string {
  const xml = readZipEntry(docx, 'word/document.xml');
  if (!xml) throw new Failure('the DOCX has no word/document.xml');
  return xml
    .toString('utf8')
    .split('</w:p>')
    .map((p) => [...p.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((t) => unescapeXml(t[1] ?? '')).join(''))
    .join('\n');
}

/** A DOCX's hyperlinks in order, each as `text → target#anchor`, recording targets without origin or key. */
function docxLinks(docx: Buffer): string[] {
  const xml = readZipEntry(docx, 'word/document.xml')?.toString('utf8') ?? '';
  const rels = readZipEntry(docx, 'word/_rels/document.xml.rels')?.toString('utf8') ?? '';
  const targets = new Map<string, string>();
  for (const rel of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = /\bId="([^"]*)"/.exec(rel[0])?.[1];
    const target = /\bTarget="([^"]*)"/.exec(rel[0])?.[1];
    if (id !== undefined && target !== undefined) targets.set(id, unescapeXml(target));
  }
  return [...xml.matchAll(/<w:hyperlink\b([^>]*)>([\s\S]*?)<\/w:hyperlink>/g)].map(([, attributes = '', inner = '']) => {
    const id = /\br:id="([^"]*)"/.exec(attributes)?.[1] ?? '';
    const anchor = /\bw:anchor="([^"]*)"/.exec(attributes)?.[1];
    const text = [...inner.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((t) => unescapeXml(t[1] ?? '')).join('');
    const url = `${targets.get(id) ?? '(no target)'}${anchor === undefined ? '' : `#${unescapeXml(anchor)}`}`;
    return `${text} → ${withoutOrigin(url)}`;
  });
}

function firstDifference(a: string, b: string): string {
  const i = commonPrefix(a, b);
  return `at character ${i}: ${JSON.stringify(a.slice(i, i + 20))} where the record gives ${JSON.stringify(b.slice(i, i + 20))}`;
}

/** The whole log must hash-chain, and its event at `seq` must have `head`; answers the log. */
async function checkChain(store: EventStore, roomId: string, seq: number, head: string): Promise<RoomEvent[]> {
  // The whole log, not just up to `seq`: a locked version's lock comes after its chain head.
  const events = await store.read(roomId, 0);
  if (events.length < seq) throw new Failure(`the log of room ${roomId} has ${events.length} events, not ${seq}`);
  let prev = '';
  for (const [i, e] of events.entries()) {
    if (e.seq !== i + 1) throw new Failure(`the log of room ${roomId} skips from seq ${i} to ${e.seq}`);
    const expected = hashEvent(prev, e);
    if (expected !== e.hash) throw new Failure(`the hash chain of room ${roomId} is broken at seq ${e.seq}`);
    prev = e.hash;
  }
  const atSeq = seq === 0 ? '' : (events[seq - 1]?.hash ?? '');
  if (atSeq !== head) throw new Failure(`the event at seq ${seq} has hash ${atSeq || '(none)'}, not the minutes' chain head ${head}`);
  return events;
}

/**
 * The record must be what the log up to its chain head draws (as a draft: the lock time is
 * not in the log before the lock). A record with a real chain head but other content fails.
 */
function checkDrawnFromLog(log: RoomEvent[], roomId: string, m: Minutes): void {
  const state = applyAll(emptyRoom(roomId), log.slice(0, m.seq));
  // A locked record's 群众留言 counts are the comment store's summary its lock recorded.
  const lock = m.lockedAt === null ? undefined : lockOf(log, m);
  const drawn = canonicalJson(minutesSkeleton(state, lock?.data));
  const claimed = canonicalJson({ ...m, lockedAt: null });
  if (drawn !== claimed) throw new Failure(`the record is not what the log up to seq ${m.seq} gives ${firstDifference(claimed, drawn)}`);
  // A log written by a server that miscounted (or showed a group too small) chains as well as
  // any other: the breakdowns are checked against what the log itself says of the voters.
  const problem = breakdownProblem(state);
  if (problem !== null) throw new Failure(`the results by venue and sector do not hold: ${problem}`);
}

/** The lock of the record's version at its chain head, if the log has one. */
function lockOf(log: RoomEvent[], m: Minutes): Extract<RoomEvent, { type: 'minutes.locked' }> | undefined {
  for (const e of log) if (e.type === 'minutes.locked' && e.data.chainSeq === m.seq && e.data.version === m.version) return e;
  return undefined;
}

/** A locked record needs the lock in the log: at its chain head, for its version, with its content hash. */
function checkLock(log: RoomEvent[], m: Minutes): void {
  const lock = lockOf(log, m);
  if (!lock) throw new Failure(`the log has no lock of version ${m.version} at seq ${m.seq}`);
  const hash = contentHash(m);
  if (lock.data.contentHash !== hash) throw new Failure(`the lock at seq ${lock.seq} recorded content SHA-256 ${lock.data.contentHash}, the record has ${hash}`);
  if (lock.at !== m.lockedAt) throw new Failure(`version ${m.version} was locked at ${lock.at}, the record says ${m.lockedAt}`);
}

/** A recording file as the verifier reads it: its size and SHA-256 (hex). */
export type RecordingFileFacts = { bytes: number; sha256: string };

/** Which part of a verified record a recording file is, or why it is none. */
export type RecordingFileCheck = { ok: true; partIndex: number; name: string } | { ok: false; reason: string };

/**
 * Which part of `m`'s recording the file is: one whose size and SHA-256, as the lock read
 * them, are the file's. Only a locked record can say (a draft has not read its files); a file of
 * a part's size but another hash is named as that part, altered.
 */
export function recordingFilePart(file: RecordingFileFacts, m: Minutes): RecordingFileCheck {
  if (m.lockedAt === null) return { ok: false, reason: `version ${m.version} of the minutes is a draft: its recording's files are read when it is locked` };
  const parts = m.recording?.parts ?? [];
  if (parts.length === 0) return { ok: false, reason: `version ${m.version} of the minutes records no recording` };
  const sha256 = file.sha256.toLowerCase();
  const partIndex = parts.findIndex((p) => p.sha256 === sha256 && p.bytes === file.bytes);
  const part = parts[partIndex];
  if (part) return { ok: true, partIndex, name: part.name };
  const described = (p: (typeof parts)[number], i: number): string => `part ${i + 1} (${p.name}: ${p.bytes ?? '?'} bytes, SHA-256 ${p.sha256 ?? '?'})`;
  const sameSize = parts.findIndex((p) => p.bytes === file.bytes);
  const sized = parts[sameSize];
  if (sized) return { ok: false, reason: `it has the size of ${described(sized, sameSize)} but SHA-256 ${sha256}: the file was altered` };
  return { ok: false, reason: `its ${file.bytes} bytes and SHA-256 ${sha256} are no part of the locked record, which has ${parts.map(described).join(', ')}` };
}
