/** How the minutes panel writes durations (times: ../format.ts). */
import type { TFunction } from 'i18next';

/** A speaking time such as 1 分 30 秒 / 1 min 30 s. */
export function formatDuration(t: TFunction, ms: number): string {
  const total = Math.round(ms / 1000);
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return minutes === 0 ? t('minutes.seconds', { seconds }) : t('minutes.minutesSeconds', { minutes, seconds });
}

