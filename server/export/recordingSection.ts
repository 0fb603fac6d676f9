/**
 * The minutes' 录像 section and each speech's place in the recording, as every export writes
 * them: the words and numbers here, the links (when the export is made for someone who may
 * open the files) from the caller's `recordingUrl`. Nothing here is user text.
 */
import type { Minutes, RecordingPartRecord, SpeechRecord } from '../../signaling/record/types.js';
import { formatDuration, formatTime } from './common.js';

/** How a renderer is asked to link the recording. */
export type RenderOptions = {
  /**
   * The URL that opens part `partIndex` (its index in `recording.parts`) at `offsetMs`;
   * undefined (or no function) writes the place without a link.
   */
  recordingUrl?: (partIndex: number, offsetMs: number) => string | undefined;
};

/** The section's heading. */
export const RECORDING_HEADING = '录像';

/** The table's head. */
export const RECORDING_HEAD = ['分段', '开始（北京时间）', '时长', '大小', 'SHA-256'];

/** `第2段`: parts are counted from 1 where people read them. */
export function partLabel(partIndex: number): string {
  return `第${partIndex + 1}段`;
}

/** `01:02:03`: an offset into a part as a player shows it (whole seconds, rounded down). */
export function formatOffset(ms: number): string {
  const total = Math.floor(ms / 1000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(Math.floor(total / 3600))}:${p(Math.floor((total % 3600) / 60))}:${p(total % 60)}`;
}

/** `12.3 MB（12,901,234 字节）`: the size people compare, and the exact one a check needs. */
export function formatBytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB（${bytes.toLocaleString('en-US')} 字节）`;
}

/** `录像 第2段 00:14:05`: where a speech starts in the recording. */
export function recordingAtText(at: NonNullable<SpeechRecord['recordingAt']>): string {
  return `${RECORDING_HEADING} ${partLabel(at.part)} ${formatOffset(at.offsetMs)}`;
}

/** One row of the table, cells in RECORDING_HEAD's order (`—` for what a draft cannot know yet). */
export function recordingRow(part: RecordingPartRecord, partIndex: number): string[] {
  return [
    partLabel(partIndex),
    // To the second: a speech's place is counted from here.
    `${formatTime(part.startedAt)}:${String(Math.floor(part.startedAt / 1000) % 60).padStart(2, '0')}`,
    part.durationMs === null ? '—' : formatDuration(part.durationMs),
    part.bytes === null ? '—' : formatBytes(part.bytes),
    part.sha256 ?? '—',
  ];
}

/** The line under the table: what the numbers are, and that a draft has none yet. */
export function recordingNote(m: Minutes): string {
  return m.lockedAt === null
    ? '录像文件的时长、大小和 SHA-256 在纪要锁定时读取。'
    : '以上时长、大小和 SHA-256 为纪要锁定时读取的录像文件，可据此核对文件是否完整、未经改动。';
}

// A link target any export can carry as it is: http(s) or a path on the server, with nothing
// that could end an attribute, a Markdown link or a table cell.
const LINKABLE = /^(?:https?:\/\/[^\s"'<>()|\\`]+|\/[^\s"'<>()|\\`]*)$/;

/** The URL of a place in the recording, when the caller gave one a document can carry. */
export function recordingLink(options: RenderOptions, partIndex: number, offsetMs: number): string | undefined {
  const url = options.recordingUrl?.(partIndex, offsetMs);
  return url !== undefined && LINKABLE.test(url) ? url : undefined;
}

// A link to a recording file as the minutes route makes it: an origin, the file's path, a key, `#t=`.
const RECORDING_URL = /(?:https?:\/\/[^\s"'<>()|\\`/]+)?(\/recordings\/[^\s"'<>()|\\`?#]+\.mp4)(?:\?key=[^\s"'<>()|\\`#]*)?(#t=\d+)?/;
const LINK_TARGETS = new RegExp(`(href="|\\]\\(<)${RECORDING_URL.source}(?=[">])`, 'g');
const WHOLE_URL = new RegExp(`^${RECORDING_URL.source}$`);

/**
 * The link targets of the recording as the verifier compares them: origin and key dropped (they
 * depend on who downloaded the file and when), the path and `#t=` kept (they must be the record's).
 * Only targets in link syntax (`href="…"`, `](<…>)`) are touched, never text.
 */
export function withoutLinkOrigins(text: string): string {
  return text.replace(LINK_TARGETS, '$1$2$3');
}

/** One link target as withoutLinkOrigins leaves it (a URL that is no recording link stays as it is). */
export function withoutOrigin(url: string): string {
  const m = WHOLE_URL.exec(url);
  return m ? `${m[1] ?? ''}${m[2] ?? ''}` : url;
}
