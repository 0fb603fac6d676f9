/**
 * "输入会议号" on the start page: a meeting number leads to the meeting's public entry (the
 * audience's link), never to a member's seat. A room without a public link says so, by topic.
 */
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from '../i18n/useTranslation.js';
import { MEETING_NUMBER, normalizeMeetingNumber } from '../../../signaling/shortLinks.js';
import { ClientError } from '../errors.js';
import { joinPath, lookupMeeting } from '../net/linkApi.js';

type Outcome = { kind: 'idle' } | { kind: 'looking' } | { kind: 'failed'; message: string };

/** The field and its button. */
export function MeetingNumberForm() {
  const { t } = useTranslation();
  const id = useId();
  const [typed, setTyped] = useState('');
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const number = normalizeMeetingNumber(typed);
    if (!MEETING_NUMBER.test(number)) {
      setOutcome({ kind: 'failed', message: t('meetingNumber.invalid') });
      return;
    }
    setOutcome({ kind: 'looking' });
    lookupMeeting(number).then(
      (meeting) => {
        if (meeting.publicInvite === null) {
          setOutcome({ kind: 'failed', message: t('meetingNumber.noPublic', { topic: meeting.topic }) });
          return;
        }
        window.location.assign(joinPath(meeting.publicInvite.token));
      },
      (error: unknown) => {
        const code = error instanceof ClientError ? error.code : 'INTERNAL';
        const minutes = Math.max(1, Math.ceil((error instanceof ClientError ? (error.retryAfterMs ?? 60_000) : 60_000) / 60_000));
        const message =
          code === 'NOT_FOUND'
            ? t('meetingNumber.notFound')
            : code === 'BAD_REQUEST'
              ? t('meetingNumber.invalid')
              : code === 'RATE_LIMITED'
                ? t('meetingNumber.limited', { minutes })
                : t(`errors.${code}`);
        setOutcome({ kind: 'failed', message });
      },
    );
  };
  const looking = outcome.kind === 'looking';
  return (
    <form className="meeting-join" onSubmit={submit} aria-labelledby={`${id}-title`} data-testid="meeting-join">
      <h2 id={`${id}-title`}>{t('meetingNumber.title')}</h2>
      <label htmlFor={`${id}-number`}>{t('meetingNumber.label')}</label>
      <div className="meeting-join-row">
        <input
          id={`${id}-number`}
          data-testid="meeting-number"
          inputMode="numeric"
          autoComplete="off"
          maxLength={20}
          placeholder={t('meetingNumber.placeholder')}
          value={typed}
          aria-invalid={outcome.kind === 'failed'}
          aria-describedby={`${id}-hint${outcome.kind === 'failed' ? ` ${id}-error` : ''}`}
          onChange={(e) => setTyped(e.target.value)}
        />
        <button type="submit" className="button primary" data-testid="meeting-number-submit" disabled={typed.trim() === '' || looking} aria-busy={looking}>
          {looking ? t('meetingNumber.looking') : t('meetingNumber.submit')}
        </button>
      </div>
      {outcome.kind === 'failed' && (
        <p id={`${id}-error`} role="alert" className="field-error" data-testid="meeting-number-error">
          {outcome.message}
        </p>
      )}
      <p id={`${id}-hint`} className="field-hint">
        {t('meetingNumber.hint')}
      </p>
    </form>
  );
}
