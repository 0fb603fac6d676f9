/**
 * The speaking time the host gives with the floor. One value in the store, so the select of
 * the speakers tab and the one of the people tab always agree.
 */
import { useId } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import type { RoomState } from '../../../../signaling/room/state.js';
import { speechSeconds } from '../../roomSelectors.js';
import { useRoomClient, useRoomState } from '../context.js';

const CHOICES = [60, 120, 180, 300, 600];

/** Minutes to choose from, plus the room's default if it is not one of them. */
export function SpeechSecondsSelect({ room }: { room: RoomState }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const value = speechSeconds(useRoomState(), room);
  const id = useId();
  const extra = [value, room.settings.defaultSpeechSeconds].filter((s, i, all) => !CHOICES.includes(s) && all.indexOf(s) === i);
  const choices = [...CHOICES, ...extra].sort((a, b) => a - b);
  return (
    <span className="inline-field">
      <label htmlFor={id}>{t('queue.seconds')}</label>
      <select id={id} data-testid="speech-seconds" value={value} onChange={(e) => client.chooseSpeechSeconds(Number(e.target.value))}>
        {choices.map((s) => (
          <option key={s} value={s}>
            {s % 60 === 0 ? t('queue.minutes', { count: s / 60 }) : t('settings.seconds', { count: s })}
          </option>
        ))}
      </select>
    </span>
  );
}
