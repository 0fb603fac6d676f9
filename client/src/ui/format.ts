/** Dates and times in the interface language. */
import { currentLanguage } from '../i18n/index.js';

/** A date and time such as 2025年5月20日 14:30 / May 20, 2025, 2:30 PM. */
export function formatDateTime(epochMs: number): string {
  return new Intl.DateTimeFormat(currentLanguage(), { dateStyle: 'medium', timeStyle: 'short' }).format(epochMs);
}

/** A planned time range, the end's date left out when it is the same day. */
export function formatRange(startsAt: number | null, endsAt: number | null, unknown: string): string {
  if (startsAt === null && endsAt === null) return unknown;
  if (startsAt === null || endsAt === null) return formatDateTime(startsAt ?? endsAt ?? 0);
  const sameDay = new Date(startsAt).toDateString() === new Date(endsAt).toDateString();
  const end = sameDay
    ? new Intl.DateTimeFormat(currentLanguage(), { timeStyle: 'short' }).format(endsAt)
    : formatDateTime(endsAt);
  return `${formatDateTime(startsAt)} – ${end}`;
}
