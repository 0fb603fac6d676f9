/** How the minutes panel writes times and durations. */
import type { TFunction } from 'i18next';
import { currentLanguage } from '../../i18n/index.js';

/** A clock time such as 14:30 (the date is the meeting's, shown once at the top). */
export function formatClock(epochMs: number): string {
  return new Intl.DateTimeFormat(currentLanguage(), { timeStyle: 'short' }).format(epochMs);
}

/** A speaking time such as 1 分 30 秒 / 1 min 30 s. */
export function formatDuration(t: TFunction, ms: number): string {
  const total = Math.round(ms / 1000);
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return minutes === 0 ? t('minutes.seconds', { seconds }) : t('minutes.minutesSeconds', { minutes, seconds });
}

