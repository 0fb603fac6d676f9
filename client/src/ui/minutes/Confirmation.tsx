/**
 * 核稿 on the secretary's side: the status badge of a passage, sending it to its speaker, and
 * answering the correction a speaker proposed (shown next to the current text before the
 * secretary takes it or turns it down).
 */
import { useTranslation } from '../../i18n/useTranslation.js';
import type { Confirmation, SectionKey } from '../../../../signaling/room/state.js';
import { useRoomClient } from '../context.js';

/** The status of a passage with its speaker (`none`: a venue spoke), in words and colour. */
export function ConfirmationBadge({ status }: { status: Confirmation['status'] | 'none' }) {
  const { t } = useTranslation();
  return (
    <span className={`chip confirmation ${status}`} data-testid="minutes-confirmation" data-status={status}>
      {t(`minutes.confirmation.status.${status}`)}
    </span>
  );
}

type Props = {
  section: SectionKey;
  confirmation: Confirmation;
  /** The meeting is over (speakers confirm only then). */
  ended: boolean;
  /** One person spoke (a whole venue's speech has nobody to confirm it). */
  bySpeaker: boolean;
  locked: boolean;
  /** The section has typing not saved yet: the speaker would be sent the older text. */
  unsaved: boolean;
};

/** What the secretary can do about a passage's confirmation now. */
export function KeeperConfirmation({ section, confirmation, ended, bySpeaker, locked, unsaved }: Props) {
  const { t } = useTranslation();
  const client = useRoomClient();
  if (!bySpeaker || locked) return null;
  if (confirmation.status === 'correctionProposed') {
    return (
      <div className="correction" role="group" aria-label={t('minutes.confirmation.proposed')} data-testid="minutes-correction">
        <p className="conflict-label">{t('minutes.confirmation.proposed')}</p>
        <div className="conflict-theirs" data-testid="minutes-correction-text">
          {confirmation.text === '' ? <span className="muted-text">{t('minutes.editor.emptyText')}</span> : confirmation.text}
        </div>
        <div className="row-actions">
          <button type="button" className="button primary small" data-testid="minutes-correction-accept" onClick={() => client.act('minutes:acceptCorrection', { section })}>
            {t('minutes.confirmation.accept')}
          </button>
          <button type="button" className="button small" data-testid="minutes-correction-reject" onClick={() => client.act('minutes:rejectCorrection', { section })}>
            {t('minutes.confirmation.reject')}
          </button>
        </div>
      </div>
    );
  }
  if (confirmation.status !== 'draft') return null;
  if (!ended) return <p className="field-hint">{t('minutes.confirmation.afterMeeting')}</p>;
  return (
    <div className="row-actions">
      <button
        type="button"
        className="button small"
        data-testid="minutes-request-confirmation"
        disabled={unsaved}
        title={unsaved ? t('minutes.confirmation.saveFirst') : undefined}
        onClick={() => client.act('minutes:requestConfirmation', { section })}>
        {t('minutes.confirmation.request')}
      </button>
      {unsaved && <span className="field-hint">{t('minutes.confirmation.saveFirst')}</span>}
    </div>
  );
}
