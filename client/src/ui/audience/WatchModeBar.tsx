/**
 * Which way the program plays (实时模式 or 流畅模式 with its delay), why the page fell back to
 * the stream if it did, and the one switch the viewer has now.
 */
import { useTranslation } from '../../i18n/useTranslation.js';
import type { WatchDecision, WatchMode } from '../../audience/watchMode.js';
import '../../styles/watchMode.css';

export type WatchModeBarProps = {
  decision: WatchDecision;
  /** Seconds the stream is behind (流畅模式), null: not known yet. */
  delay: number | null;
  onChoose: (mode: WatchMode) => void;
};

/** The mode line above the program. */
export function WatchModeBar({ decision, delay, onChoose }: WatchModeBarProps) {
  const { t } = useTranslation();
  const { mode, fallback, offer } = decision;
  const label = mode === 'realtime' ? t('watchMode.realtime') : delay === null ? t('watchMode.smooth') : t('watchMode.smoothDelay', { seconds: delay });
  const action = offer === 'smooth' ? t('watchMode.toSmooth') : offer === 'realtime' ? (fallback === null ? t('watchMode.toRealtime') : t('watchMode.retryRealtime')) : null;
  return (
    <div className="watch-mode" role="group" aria-label={t('watchMode.label')} data-testid="watch-mode" data-mode={mode} data-fallback={fallback ?? ''}>
      <span className={`watch-mode-label ${mode}`} data-testid="watch-mode-label">
        {label}
      </span>
      {offer !== null && action !== null && (
        <button type="button" className="button watch-mode-switch" data-testid="watch-mode-switch" onClick={() => onChoose(offer)}>
          {action}
        </button>
      )}
      {fallback !== null && (
        <p className="watch-mode-why muted" data-testid="watch-mode-why">
          {t(`watchMode.fallback.${fallback}`)}
        </p>
      )}
    </div>
  );
}
