/** The speaking time the host gives with the floor. */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';

const CHOICES = [60, 120, 180, 300, 600];

/** Minutes to choose from, plus the room's default if it is not one of them. */
export function SpeechSecondsSelect({ value, onChange }: { value: number; onChange: (seconds: number) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const choices = CHOICES.includes(value) ? CHOICES : [...CHOICES, value].sort((a, b) => a - b);
  return (
    <span className="inline-field">
      <label htmlFor={id}>{t('queue.seconds')}</label>
      <select id={id} data-testid="speech-seconds" value={value} onChange={(e) => onChange(Number(e.target.value))}>
        {choices.map((s) => (
          <option key={s} value={s}>
            {s % 60 === 0 ? t('queue.minutes', { count: s / 60 }) : `${s} s`}
          </option>
        ))}
      </select>
    </span>
  );
}
