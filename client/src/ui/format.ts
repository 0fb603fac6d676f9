/** Dates and times in the interface language. */
import { currentLanguage } from '../i18n/index.js';

type Style = 'dateTime' | 'time';
const STYLES: Record<Style, Intl.DateTimeFormatOptions> = {
  dateTime: { dateStyle: 'medium', timeStyle: 'short' },
  time: { timeStyle: 'short' },
};
/**
 * One formatter per language and style, kept: making an Intl.DateTimeFormat costs far more
 * than formatting with one (bench/date-format.ts), and a list of hundreds of comments, or the
 * join page rendering again at every step of a join, made one per time shown.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(style: Style): Intl.DateTimeFormat {
  const language = currentLanguage();
  const key = `${language} ${style}`;
  let made = formatters.get(key);
  if (made === undefined) {
    made = new Intl.DateTimeFormat(language, STYLES[style]);
    formatters.set(key, made);
  }
  return made;
}

/** A date and time such as 2025年5月20日 14:30 / May 20, 2025, 2:30 PM. */
export function formatDateTime(epochMs: number): string {
  return formatter('dateTime').format(epochMs);
}

/** A clock time such as 14:30 / 2:30 PM. */
export function formatTime(epochMs: number): string {
  return formatter('time').format(epochMs);
}

/** A planned time range, the end's date left out when it is the same day. */
export function formatRange(startsAt: number | null, endsAt: number | null, unknown: string): string {
  if (startsAt === null && endsAt === null) return unknown;
  if (startsAt === null || endsAt === null) return formatDateTime(startsAt ?? endsAt ?? 0);
  const sameDay = new Date(startsAt).toDateString() === new Date(endsAt).toDateString();
  return `${formatDateTime(startsAt)} – ${sameDay ? formatTime(endsAt) : formatDateTime(endsAt)}`;
}
