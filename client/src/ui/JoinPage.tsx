/**
 * The join page of an invite: what the invite grants (topic, time, role, venue), a name if
 * the invite has none, and the device check; the public join without camera or microphone.
 * After the meeting there is no device check: those with a part in the minutes join to review
 * them, the public learns that the meeting is over (and where to read published minutes).
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from '../i18n/useTranslation.js';
import type { ClientErrorCode } from '../errors.js';
import type { InviteInfo } from '../net/inviteApi.js';
import { takesPartInMinutes } from '../roomSelectors.js';
import { Alerts } from './Alerts.js';
import { useRoomClient, useRoomState } from './context.js';
import { formatRange } from './format.js';
import { NetworkStatus } from './NetworkStatus.js';
import { MinutesDownloads } from './minutes/MinutesDownloads.js';
import { DeviceSelects, Preview } from './Preview.js';

/** Join failures that no second click can fix: the page explains instead of offering the form. */
const FINAL: ReadonlySet<ClientErrorCode> = new Set(['UNAUTHORIZED', 'INVITE_REVOKED', 'MEETING_ENDED', 'FORBIDDEN']);

/** Shown until the room is joined, and again after leaving. */
export function JoinPage({ invite }: { invite: string | null }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const state = useRoomState();

  useEffect(() => client.prepare(invite), [client, invite]);

  const status = state.invite;
  let body;
  if (status.kind === 'failed') {
    body = <Blocked code={status.token === null ? 'noInvite' : status.error} />;
  } else if (status.kind !== 'ready') {
    body = (
      <p role="status" className="notice">
        <span className="spinner" aria-hidden="true" /> {t('join.loadingInvite')}
      </p>
    );
  } else if (state.error !== null && FINAL.has(state.error)) {
    body = (
      <>
        <InviteSummary info={status.info} />
        <Blocked code={state.error} />
      </>
    );
  } else {
    body = <JoinForm info={status.info} />;
  }

  return (
    <main className="join" data-testid="join">
      {/* After the meeting the page is a way back to its minutes, not into a meeting. */}
      <h1 className="join-title">{status.kind === 'ready' && status.info.room.ended ? t('join.ended.title') : t('join.title')}</h1>
      {state.phase === 'left' && state.error === null && (
        <p role="status" className="notice" data-testid="left-notice">
          {t('join.left')}
        </p>
      )}
      {body}
    </main>
  );
}

function Blocked({ code }: { code: ClientErrorCode | 'noInvite' }) {
  const { t } = useTranslation();
  const known = code === 'noInvite' || code === 'UNAUTHORIZED' || code === 'MEETING_ENDED' || code === 'FORBIDDEN';
  return (
    <div role="alert" className="alert blocked" data-testid="join-blocked" data-code={code}>
      <p>{known ? t(`join.blocked.${code}`) : t(`errors.${code}`)}</p>
      <a className="button" href="/">
        {t('join.home')}
      </a>
    </div>
  );
}

function InviteSummary({ info }: { info: InviteInfo }) {
  const { t } = useTranslation();
  const { invite, room } = info;
  const venue = room.venues.find((v) => v.id === invite.venue)?.name ?? invite.venue;
  return (
    <dl className="invite-summary" data-testid="invite-summary">
      <dt>{t('join.topic')}</dt>
      <dd data-testid="join-room" className="invite-topic">
        {room.topic}
      </dd>
      <dt>{t('join.time')}</dt>
      <dd>{formatRange(room.startsAt, room.endsAt, t('join.timeUnknown'))}</dd>
      <dt>{t('join.role')}</dt>
      <dd data-testid="join-role" data-role={invite.role}>
        {t(`roles.${invite.role}`)}
      </dd>
      <dt>{t('join.venue')}</dt>
      <dd data-testid="join-venue">{venue}</dd>
      {invite.sector !== '' && (
        <>
          <dt>{t('join.sector')}</dt>
          <dd>{invite.sector}</dd>
        </>
      )}
      {invite.name !== undefined && (
        <>
          <dt>{t('join.name')}</dt>
          <dd data-testid="join-invite-name">{invite.name}</dd>
        </>
      )}
    </dl>
  );
}

function JoinForm({ info }: { info: InviteInfo }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const state = useRoomState();
  // After a reload the page starts afresh: say so, and offer the name typed before.
  const [returning] = useState(() => (state.phase === 'left' ? null : client.rememberedSession()));
  const [name, setName] = useState(state.displayName !== '' ? state.displayName : (returning?.name ?? ''));
  const [submitted, setSubmitted] = useState(false);
  const nameId = useId();
  const isPublic = info.invite.role === 'public';
  const ended = info.room.ended;
  // The server lets into an ended room only those with a part in the minutes (not the public).
  const mayEnter = !ended || takesPartInMinutes(info.invite.role);
  // A venue terminal is the hall's computer: it joins under the venue's name (older venue
  // invites carry none), and nobody in the hall is asked for 您的姓名.
  const hallName = info.invite.role === 'venue' && info.invite.name === undefined ? (info.room.venues.find((v) => v.id === info.invite.venue)?.name ?? null) : null;
  const needsName = info.invite.name === undefined && hallName === null && mayEnter;
  const nameMissing = needsName && name.trim() === '';
  const joining = state.phase === 'joining';

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    setSubmitted(true);
    if (nameMissing || !mayEnter) return;
    client.join(needsName ? name.trim() : hallName);
  };

  const submitLabel = joining ? t('join.joining') : ended ? t('join.ended.submit') : state.error === 'ROOM_LOCKED' ? t('join.retry') : t('join.submit');

  return (
    <>
      <Alerts />
      <div className={isPublic || ended ? 'join-body single' : 'join-body'}>
        {ended ? (
          <EndedNotice info={info} mayEnter={mayEnter} />
        ) : isPublic ? (
          <section className="notice" aria-label={t('join.preview')}>
            <InviteSummary info={info} />
          </section>
        ) : (
          // What the meeting is and who I enter as come before the camera check: on a phone,
          // where everything stacks, they are the first thing on the screen (join.css places
          // them beside the preview on a wide one).
          <>
            <section className="join-who" aria-label={t('join.who')}>
              <InviteSummary info={info} />
            </section>
            <Preview />
          </>
        )}
        <form className="join-form" onSubmit={submit} noValidate>
          {ended && <InviteSummary info={info} />}
          {returning !== null && !ended && (
            <p className="notice small" role="status" data-testid="join-returning">
              {t('join.returning')}
            </p>
          )}
          {isPublic && !ended && <p className="field-hint">{t('join.publicNote')}</p>}
          {needsName && (
            <>
              <label htmlFor={nameId}>{t('join.name')}</label>
              <input
                id={nameId}
                data-testid="join-name"
                value={name}
                maxLength={64}
                autoComplete="name"
                placeholder={t('join.namePlaceholder')}
                aria-invalid={submitted && nameMissing}
                aria-describedby={submitted && nameMissing ? `${nameId}-error` : undefined}
                onChange={(e) => setName(e.target.value)}
              />
              {submitted && nameMissing && (
                <p id={`${nameId}-error`} className="field-error">
                  {t('join.nameRequired')}
                </p>
              )}
            </>
          )}
          {!isPublic && !ended && <DeviceSelects />}
          {!ended && <NetworkStatus />}
          {mayEnter && (
            // One test id for both: whoever opens a link clicks the page's one button.
            <button type="submit" className="button primary join-submit" data-testid="join-submit" data-ended={ended} disabled={joining} aria-busy={joining}>
              {submitLabel}
            </button>
          )}
          {mayEnter && !state.deviceLoaded && state.error === null && (
            <p className="field-hint" role="status">
              {t('join.preparing')}
            </p>
          )}
        </form>
      </div>
    </>
  );
}

/** Says the meeting is over, and what is left: the minutes to review, or to read once published. */
function EndedNotice({ info, mayEnter }: { info: InviteInfo; mayEnter: boolean }) {
  const { t } = useTranslation();
  return (
    <section className="notice join-ended" data-testid="join-ended" data-review={mayEnter}>
      <p role="status">{mayEnter ? t('join.ended.review') : t('join.ended.closed')}</p>
      {!mayEnter &&
        (info.room.minutesPublished ? (
          <>
            <p>{t('join.ended.published')}</p>
            <MinutesDownloads roomId={info.room.roomId} />
          </>
        ) : (
          <p data-testid="join-ended-unpublished">{t('join.ended.notPublished')}</p>
        ))}
    </section>
  );
}
