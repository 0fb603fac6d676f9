/**
 * What the three exports share: the record's JSON (its hashes: server/store/recordHash.ts), the
 * cleaning of user text, Chinese labels and times. Every renderer goes through these, so the same record reads the same in each.
 * The written parts are Chinese text and take Chinese (full-width) punctuation: ，：；（）.
 */
import { recordedBasis, type Minutes, type PassageStatus, type PollRecord } from '../../signaling/record/types.js';
import { basisWording } from '../../signaling/room/polls.js';
import { contentHash, minutesJson } from '../store/recordHash.js';
import type { PollKind, Role, SpeechType } from '../../signaling/room/state.js';
import {
  BASIS_ZH,
  FIXED_OPTION_ZH,
  MINUTES_ZH,
  PASSAGE_STATUS_ZH,
  POLL_KIND_ZH,
  ROLE_ZH,
  SPEECH_TYPE_ZH,
  THRESHOLD_ZH,
} from '../../signaling/room/termsZh.js';

/**
 * The canonical JSON made safe to embed anywhere: `<`, `>` and `&` (so no user text can close
 * an HTML comment or a <script> element), DEL and C1 controls, line separators, bidi
 * overrides (which would make the raw file read differently from what it holds) and the
 * XML-forbidden U+FFFE/U+FFFF become \u escapes, which JSON.parse reads back as the same
 * characters (JSON.stringify already escapes C0 controls and lone surrogates).
 */
export function embeddableJson(m: Minutes): string {
  return minutesJson(m).replace(/[<>&\u007F-\u009F\u202A-\u202E\u2028\u2029\u2066-\u2069\uFFFE\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// C0 and C1 controls, DEL, bidi overrides/isolates (they can make a name display as another),
// and the non-characters U+FFFE/U+FFFF, which XML 1.0 also forbids.
const DROP = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]/g;
// Unpaired surrogates cannot be encoded in UTF-8 or XML.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * User text as every export shows it: one line (tabs and line breaks become spaces, since
 * each field is rendered inside one line or table cell), without control characters.
 */
export function cleanText(text: string): string {
  return text.replace(/[\t\n\r]+/g, ' ').replace(DROP, '').replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * Multi-line user text (a speech's record, the conclusions, a statement) as the paragraphs
 * every export shows: split at line breaks, each cleaned like a one-line field and trimmed
 * (leading spaces would make Markdown code blocks), empty lines dropped.
 */
export function paragraphs(text: string): string[] {
  return text
    .split(/\r\n|[\n\r\u2028\u2029\u0085]/)
    .map((line) => cleanText(line).trim())
    .filter((line) => line.length > 0);
}

const FIXED: Record<string, string> = FIXED_OPTION_ZH;

/** Chinese labels of the fixed vocabularies (never user text). */
export const label = {
  role: (r: Role): string => ROLE_ZH[r],
  speech: (t: SpeechType): string => SPEECH_TYPE_ZH[t],
  kind: (k: PollKind): string => POLL_KIND_ZH[k],
  /** The pass rule and what it counts against: 过半数（以实际投票计，弃权不计）. */
  rule: (poll: Pick<PollRecord, 'kind' | 'threshold' | 'basis'>): string =>
    hasRule(poll) ? `${THRESHOLD_ZH[poll.threshold]}（${BASIS_ZH[basisWording(poll.kind, recordedBasis(poll))]}）` : THRESHOLD_ZH.none,
  /** Fixed option keys of yes/no and consensus polls are translated; others are user text. */
  option: (poll: Pick<PollRecord, 'kind'>, option: string): string =>
    (poll.kind === 'yesno' || poll.kind === 'consensus') && FIXED[option] !== undefined ? (FIXED[option] ?? option) : cleanText(option),
  yesNo: (v: boolean | null, yes: string, no: string): string => (v === null ? '—' : v ? yes : no),
  passage: (s: PassageStatus): string => PASSAGE_STATUS_ZH[s],
  due: (due: string | null): string => (due === null ? MINUTES_ZH.noDue : formatIsoDate(due)),
};

/** Does the poll have a pass rule? (A multiple-choice poll is counted, never passed.) */
function hasRule(poll: Pick<PollRecord, 'kind' | 'threshold'>): boolean {
  return poll.threshold !== 'none' && poll.kind !== 'multiple';
}

/** Headings and labels of the written parts (official terms, see termsZh.ts). */
export const terms = MINUTES_ZH;

// The meetings are held in China: times read in China Standard Time, which has no daylight
// saving, so a fixed offset renders the same on any server whatever its time zone.
const CST_OFFSET_MS = 8 * 3_600_000;

/** `2024年5月1日 09:30` in China Standard Time, the way the screen writes dates; `—` for none. */
export function formatTime(t: number | null): string {
  if (t === null) return '—';
  const d = new Date(t + CST_OFFSET_MS);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${formatDate(t)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

/** `2024年5月1日`, the day in China Standard Time. */
export function formatDate(t: number): string {
  const d = new Date(t + CST_OFFSET_MS);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/** A calendar date as the commands carry it (`2025-06-30`) written `2025年6月30日`. */
export function formatIsoDate(date: string): string {
  const ymd = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return ymd ? `${Number(ymd[1])}年${Number(ymd[2])}月${Number(ymd[3])}日` : cleanText(date);
}

/** `1小时5分20秒` style duration. */
export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const min = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h > 0 ? `${h}小时` : ''}${h > 0 || min > 0 ? `${min}分` : ''}${s}秒`;
}

/** Which version this is and whether it is locked, as the footer and the title line say it. */
export function versionText(m: Minutes): string {
  return `第${m.version}版 · ${m.lockedAt === null ? MINUTES_ZH.draft : `${MINUTES_ZH.locked}（${formatTime(m.lockedAt)}）`}`;
}

/** The footer line every export ends with (its visible text; the renderers escape nothing here). */
export function footerText(m: Minutes): string {
  return `${versionText(m)} · 内容 SHA-256：${contentHash(m)} · 日志链头：第 ${m.seq} 条事件，哈希 ${m.chainHead || '—'}`;
}

/** Poll result rows: option label, count (or — before the result). */
export function pollRows(poll: PollRecord): { option: string; count: string }[] {
  return poll.options.map((o, i) => ({ option: label.option(poll, o), count: poll.counts ? String(poll.counts[i] ?? 0) : '—' }));
}

/**
 * The one-line summary of a poll's outcome, naming what its majority counted:
 * 记名投票；应投 3 人，实投 2 人；无法定人数要求；通过标准：过半数（以实际投票计，弃权不计），结果：通过
 */
export function pollSummary(poll: PollRecord): string {
  const quorum = poll.quorumPercent === null ? '无法定人数要求' : `法定人数${label.yesNo(poll.quorumMet, '已达到', '未达到')}`;
  const rule = hasRule(poll) ? `通过标准：${label.rule(poll)}，结果：${label.yesNo(poll.passed, '通过', '未通过')}` : label.rule(poll);
  return `${poll.secret ? '无记名投票' : '记名投票'}；应投 ${poll.eligible} 人，实投 ${poll.voted} 人；${quorum}；${rule}`;
}

/** Time span of the meeting as shown under 时间. */
export function timeLines(m: Minutes): { planned: string; actual: string } {
  return {
    planned: `${formatTime(m.plannedStart)} 至 ${formatTime(m.plannedEnd)}`,
    actual: `${formatTime(m.actualStart)} 至 ${formatTime(m.actualEnd)}${m.ended ? '' : '（会议未结束）'}`,
  };
}
