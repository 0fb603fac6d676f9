/**
 * What a downloaded export is called: by topic and meeting day, the way a secretary files it
 * (老旧小区加装电梯-2026年12月2日-纪要-第1版.docx), with an ASCII name beside it in the
 * Content-Disposition for clients that do not read RFC 5987's `filename*`.
 */
import type { Minutes } from '../../signaling/record/types.js';
import { cleanText, formatDate } from './common.js';

// Characters Windows, macOS or a shell would refuse or misread in a file name.
const UNSAFE = /[\\/:*?"<>|\u0000-\u001F\u007F]/g;
const MAX_TOPIC = 40;

/** `<topic>-<day>-纪要-第<n>版[草稿].<extension>`; the day is when the meeting began (or was planned to). */
export function minutesFileName(m: Minutes, extension: string): string {
  const day = m.actualStart ?? m.plannedStart;
  const parts = [topicPart(m.topic), ...(day === null ? [] : [formatDate(day)]), '纪要', `第${m.version}版${m.lockedAt === null ? '草稿' : ''}`];
  return `${parts.join('-')}.${extension}`;
}

/** `<topic>-<day>-群众留言[-全部].csv`: the comments of a consultation as downloaded on `day` (all of them for staff). */
export function commentsFileName(topic: string, day: number, all: boolean): string {
  return `${[topicPart(topic), formatDate(day), all ? '群众留言-全部' : '群众留言'].join('-')}.csv`;
}

/** The ASCII name for old clients: `comments-<room>[-all].csv`. */
export function asciiCommentsFileName(roomId: string, all: boolean): string {
  return `comments-${roomId.replace(/[^A-Za-z0-9_-]/g, '_')}${all ? '-all' : ''}.csv`;
}

/** The topic as a file name's first part: no characters a file system refuses, not too long. */
function topicPart(raw: string): string {
  const topic = [...cleanText(raw).replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim().replace(/^\.+/, '')].slice(0, MAX_TOPIC).join('').trim();
  return topic === '' ? '会议' : topic;
}

/** The ASCII name for old clients: `minutes-<room>-v<n>[-draft-<seq>].<extension>`. */
export function asciiFileName(m: Minutes, extension: string): string {
  const room = m.roomId.replace(/[^A-Za-z0-9_-]/g, '_');
  return `minutes-${room}-v${m.version}${m.lockedAt === null ? `-draft-${m.seq}` : ''}.${extension}`;
}

/** A Content-Disposition naming the file both ways (RFC 6266 with RFC 5987's UTF-8 `filename*`). */
export function contentDisposition(kind: 'attachment' | 'inline', name: string, ascii: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii.replace(/["\\]/g, '_')}"; filename*=UTF-8''${encoded}`;
}
