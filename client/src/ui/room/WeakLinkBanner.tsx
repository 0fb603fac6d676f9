/**
 * The proposal of audio-only when my link stays poor (media/weakLink.ts decides when): said in
 * words a member on a phone understands, with what it changes and what it does not, and two
 * answers. It never switches by itself: the member may be the one about to speak on camera.
 */
import { useTranslation } from '../../i18n/useTranslation.js';
import { useRoomClient, useRoomState } from '../context.js';

/** The banner; nothing unless the link is proposed audio-only. */
export function WeakLinkBanner() {
  const { t } = useTranslation();
  const client = useRoomClient();
  const { weakLink, audioOnly, phase } = useRoomState();
  if (!weakLink.proposed || audioOnly || phase !== 'joined') return null;
  return (
    <div className="banner weak-link" role="status" aria-live="polite" data-testid="weak-link">
      <span className="weak-link-text">
        <strong>{t('weakLink.proposal')}</strong>
        <span className="field-hint">{t('weakLink.proposalHint')}</span>
      </span>
      <span className="weak-link-actions">
        <button type="button" className="button primary small" data-testid="weak-link-switch" onClick={() => client.setAudioOnly(true)}>
          {t('weakLink.switch')}
        </button>
        <button type="button" className="button small" data-testid="weak-link-dismiss" onClick={() => client.declineAudioOnly()}>
          {t('weakLink.notNow')}
        </button>
      </span>
    </div>
  );
}
