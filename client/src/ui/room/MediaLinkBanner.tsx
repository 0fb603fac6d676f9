/**
 * Why my audio and video do not get through, under the connection banner: retrying, the relay
 * refused the credential, or the relay cannot be reached (media/TransportLinks.ts). Said in
 * words a participant can repeat to the staff, who know what to fix for each.
 */
import { useTranslation } from '../../i18n/useTranslation.js';
import type { MediaLinkProblem } from '../../media/TransportLinks.js';

/** The banner; nothing while media gets through. */
export function MediaLinkBanner({ problem }: { problem: MediaLinkProblem | null }) {
  const { t } = useTranslation();
  if (problem === null) return null;
  return (
    <div className="banner media-link" role="alert" data-testid="media-link" data-problem={problem}>
      {problem === 'failed' && <span className="spinner" aria-hidden="true" />}
      <span>{t(`room.mediaLink.${problem}`)}</span>
    </div>
  );
}
