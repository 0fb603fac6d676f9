/**
 * A mute the chair gives. When it would silence the one speaking, the chair says what becomes
 * of the speech — paused (it can resume with its time left) or ended — before anything
 * happens; the server records the choice with the mute (media:forceMute / media:muteAll).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

type Props = {
  /** The button's text and, when it differs, its accessible name. */
  label: string;
  ariaLabel?: string;
  'data-testid': string;
  /** Muting would silence a running speech. */
  silencesSpeech: boolean;
  /** Does it; `floor` is given only when a speech is silenced. */
  onMute: (floor?: 'end' | 'pause') => void;
};

/** A mute button that asks pause-or-end when someone is speaking. */
export function MuteButton({ label, ariaLabel, silencesSpeech, onMute, ...rest }: Props) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const testId = rest['data-testid'];
  if (!asking) {
    return (
      <button
        type="button"
        className="button small"
        data-testid={testId}
        aria-label={ariaLabel}
        onClick={() => (silencesSpeech ? setAsking(true) : onMute())}
      >
        {label}
      </button>
    );
  }
  const choose = (floor?: 'end' | 'pause'): void => {
    setAsking(false);
    if (floor !== undefined) onMute(floor);
  };
  return (
    <span className="mute-choice" role="group" aria-label={t('mute.question')} data-testid={`${testId}-choice`}>
      <span className="field-hint">{t('mute.question')}</span>
      <button type="button" className="button small" data-testid={`${testId}-pause`} autoFocus onClick={() => choose('pause')}>
        {t('mute.pauseSpeech')}
      </button>
      <button type="button" className="button small danger" data-testid={`${testId}-end`} onClick={() => choose('end')}>
        {t('mute.endSpeech')}
      </button>
      <button type="button" className="button small" data-testid={`${testId}-cancel`} onClick={() => choose()}>
        {t('mute.cancel')}
      </button>
    </span>
  );
}
