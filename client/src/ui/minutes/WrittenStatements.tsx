/**
 * 书面发言: statements members submitted in writing. The secretary sees them all, each marked
 * as written so nobody mistakes one for something said in the meeting; a member sees the form
 * and their own.
 */
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { MAX_STATEMENTS_PER_PARTICIPANT } from '../../../../signaling/room/minutes.js';
import type { RoomState, WrittenStatement } from '../../../../signaling/room/state.js';
import { venueName } from '../../roomSelectors.js';
import { useRoomClient } from '../context.js';
import { formatDateTime } from '../format.js';

/** The written statements in the order they came in. */
export function WrittenStatements({ room, statements }: { room: RoomState; statements: WrittenStatement[] }) {
  const { t } = useTranslation();
  return (
    <section className="minutes-block" aria-labelledby="minutes-statements-heading" data-testid="minutes-statements">
      <h3 id="minutes-statements-heading" className="panel-heading">
        {t('minutes.statements.title')}
      </h3>
      {statements.length === 0 ? (
        <p className="field-hint">{t('minutes.statements.empty')}</p>
      ) : (
        <ol className="minutes-list">
          {statements.map((st, i) => {
            const p = room.participants[st.participantId];
            return (
              <li key={`${st.participantId}-${st.submittedAt}-${i}`} className="minutes-statement" data-testid="minutes-statement">
                <p className="minutes-item-title">
                  <span className="chip written">{t('minutes.statements.written')}</span> {p?.name ?? st.participantId}
                  {p !== undefined && <span className="muted-text"> · {venueName(room, p.venue)}</span>}
                </p>
                <p className="muted-text">{t('minutes.statements.submittedAt', { time: formatDateTime(st.submittedAt) })}</p>
                <p className="minutes-text">{st.text}</p>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

/** A member's form to submit a written statement, with the ones they already submitted. */
export function StatementForm({ room, me }: { room: RoomState; me: string }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const id = useId();
  const mine = room.minutes.statements.filter((st) => st.participantId === me);
  const full = mine.length >= MAX_STATEMENTS_PER_PARTICIPANT;
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (text.trim() === '' || busy) return;
    setBusy(true);
    void client.act('minutes:submitStatement', { text: text.trim() }).then((ok) => {
      setBusy(false);
      // Refused (the limit, a locked version): the text stays for another try.
      if (ok) setText('');
      setSent(ok);
    });
  };
  return (
    <section className="minutes-block" aria-labelledby={`${id}-heading`} data-testid="minutes-statement-form">
      <h3 id={`${id}-heading`} className="panel-heading">
        {t('minutes.statements.formTitle')}
      </h3>
      <p className="field-hint">{t('minutes.statements.formHint', { count: MAX_STATEMENTS_PER_PARTICIPANT })}</p>
      {room.minutes.locked ? (
        <p className="notice small">{t('minutes.statements.locked')}</p>
      ) : full ? (
        <p className="notice small">{t('minutes.statements.full', { count: MAX_STATEMENTS_PER_PARTICIPANT })}</p>
      ) : (
        <form className="minutes-form" onSubmit={submit}>
          <label htmlFor={`${id}-text`}>{t('minutes.statements.label')}</label>
          <textarea
            id={`${id}-text`}
            data-testid="minutes-statement-text"
            rows={4}
            maxLength={20_000}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setSent(false);
            }}
          />
          <button type="submit" className="button primary small" data-testid="minutes-statement-submit" disabled={text.trim() === '' || busy}>
            {t('minutes.statements.submit')}
          </button>
        </form>
      )}
      <p role="status" className="field-hint" data-testid="minutes-statement-sent">
        {sent ? t('minutes.statements.sent') : ''}
      </p>
      {mine.length > 0 && (
        <>
          <h4 className="panel-heading">{t('minutes.statements.mine')}</h4>
          <ol className="minutes-list">
            {mine.map((st, i) => (
              <li key={`${st.submittedAt}-${i}`} className="minutes-statement" data-testid="minutes-my-statement">
                <p className="muted-text">{t('minutes.statements.submittedAt', { time: formatDateTime(st.submittedAt) })}</p>
                <p className="minutes-text">{st.text}</p>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
