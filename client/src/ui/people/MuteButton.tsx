/**
 * A mute the chair gives. When it would silence the one speaking, the chair says in the app's
 * dialog what becomes of the speech — paused (it can resume with its time left) or ended —
 * before anything happens; the server records the choice with the mute (media:forceMute /
 * media:muteAll).
 */
import { useState } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { Dialog } from '../Dialog.js';

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
  const choose = (floor?: 'end' | 'pause'): void => {
    setAsking(false);
    if (floor !== undefined) onMute(floor);
  };
  return (
    <>
      <button
        type="button"
        className="button small"
        data-testid={testId}
        aria-label={ariaLabel}
        aria-haspopup={silencesSpeech ? 'dialog' : undefined}
        onClick={() => (silencesSpeech ? setAsking(true) : onMute())}
      >
        {label}
      </button>
      {/* The app's one dialog (Dialog.tsx), as every other question: 取消 first and focused. */}
      {asking && (
        <Dialog title={t('mute.question')} onCancel={() => choose()} initialFocus="first" data-testid={`${testId}-choice`}>
          <div className="dialog-actions">
            <button type="button" className="button" data-testid={`${testId}-cancel`} onClick={() => choose()}>
              {t('mute.cancel')}
            </button>
            <button type="button" className="button" data-testid={`${testId}-pause`} onClick={() => choose('pause')}>
              {t('mute.pauseSpeech')}
            </button>
            <button type="button" className="button danger" data-testid={`${testId}-end`} onClick={() => choose('end')}>
              {t('mute.endSpeech')}
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}
