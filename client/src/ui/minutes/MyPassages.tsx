/**
 * 核稿 on the speaker's side: the passages the secretary wrote for my speeches. Once one is
 * sent to me I confirm it, or propose the text I would have it read instead; the secretary
 * then accepts or rejects my proposal.
 */
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { sectionOf, sectionSpeaker, speechSection } from '../../../../signaling/room/minutes.js';
import type { RoomState, SectionKey } from '../../../../signaling/room/state.js';
import { useRoomClient } from '../context.js';
import { ConfirmationBadge } from './Confirmation.js';
import { formatTime } from '../format.js';

/** Speech sections whose speaker is `me`, with their index in the speech log. */
export function myPassages(room: RoomState, me: string): Array<{ index: number; section: SectionKey }> {
  return room.speeches.flatMap((_, index) => {
    const section = speechSection(index);
    return sectionSpeaker(room, section) === me ? [{ index, section }] : [];
  });
}

/** My passages and what I can do about each. */
export function MyPassages({ room, me }: { room: RoomState; me: string }) {
  const { t } = useTranslation();
  const passages = myPassages(room, me);
  return (
    <section className="minutes-block" aria-labelledby="minutes-mine-heading" data-testid="minutes-my-passages">
      <h3 id="minutes-mine-heading" className="panel-heading">
        {t('minutes.mine.title')}
      </h3>
      {passages.length === 0 ? (
        <p className="field-hint">{t('minutes.mine.none')}</p>
      ) : (
        passages.map(({ index, section }) => <Passage key={section} room={room} index={index} section={section} />)
      )}
    </section>
  );
}

function Passage({ room, index, section }: { room: RoomState; index: number; section: SectionKey }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const current = sectionOf(room.minutes, section);
  const speech = room.speeches[index];
  const [proposing, setProposing] = useState(false);
  const [text, setText] = useState('');
  const id = useId();
  const status = current.confirmation.status;
  const pending = status === 'pending' && !room.minutes.locked;
  const propose = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    void client.act('minutes:proposeCorrection', { section, text }).then((ok) => {
      if (ok) setProposing(false);
    });
  };
  return (
    <article className="minutes-speech" aria-labelledby={`${id}-heading`} data-testid="minutes-my-passage" data-section={section} data-status={status}>
      <header className="minutes-speech-head">
        <h4 id={`${id}-heading`} className="minutes-item-title">
          {t('minutes.mine.speech', { index: index + 1, time: speech === undefined ? '' : formatTime(speech.startedAt) })}
        </h4>
        <ConfirmationBadge status={status} />
      </header>
      <div className="minutes-text passage" data-testid="minutes-my-passage-text">
        {current.text === '' ? <span className="muted-text">{t('minutes.mine.notWritten')}</span> : current.text}
      </div>
      {status === 'draft' && <p className="field-hint">{t('minutes.mine.notSent')}</p>}
      {status === 'correctionProposed' && (
        <>
          <p className="field-hint">{t('minutes.mine.proposedWait')}</p>
          {current.confirmation.status === 'correctionProposed' && current.confirmation.text !== '' && (
            <div className="conflict-theirs" data-testid="minutes-my-proposal">
              {current.confirmation.text}
            </div>
          )}
        </>
      )}
      {pending &&
        (proposing ? (
          <form className="minutes-form" onSubmit={propose}>
            <label htmlFor={`${id}-text`}>{t('minutes.mine.proposalLabel')}</label>
            <textarea id={`${id}-text`} data-testid="minutes-proposal-text" rows={5} maxLength={20_000} value={text} onChange={(e) => setText(e.target.value)} />
            <div className="row-actions">
              <button type="submit" className="button primary small" data-testid="minutes-proposal-submit" disabled={text === current.text}>
                {t('minutes.mine.sendProposal')}
              </button>
              <button type="button" className="button small" onClick={() => setProposing(false)}>
                {t('minutes.mine.cancel')}
              </button>
            </div>
          </form>
        ) : (
          <div className="row-actions">
            <button type="button" className="button primary small" data-testid="minutes-confirm" onClick={() => client.act('minutes:confirm', { section })}>
              {t('minutes.mine.confirm')}
            </button>
            <button
              type="button"
              className="button small"
              data-testid="minutes-propose"
              onClick={() => {
                // Start from the secretary's text: most corrections change a few words.
                setText(current.text);
                setProposing(true);
              }}
            >
              {t('minutes.mine.propose')}
            </button>
          </div>
        ))}
    </article>
  );
}
