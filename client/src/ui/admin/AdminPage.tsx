/**
 * `/admin`: the organisers' page. Asks for the admin secret and checks it with the server (kept
 * in this tab's sessionStorage only), then creates a consultation or reopens one of the recent
 * ones, lists the invites issued for it (revocable), issues more, and prints cards per audience.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMeetingNumber } from '../../../../signaling/shortLinks.js';
import { errorCodeOf, type ClientErrorCode } from '../../errors.js';
import { AdminApi, type IssuedInvite } from '../../net/adminApi.js';
import { Header } from '../Header.js';
import type { AdminContext, OpenedRoom } from './adminContext.js';
import { CommentSettingsForm } from './CommentSettingsForm.js';
import { CreateRoomForm } from './CreateRoomForm.js';
import { InviteCards } from './InviteCards.js';
import { InviteList } from './InviteList.js';
import { IssueInvitesForm } from './IssueInvitesForm.js';
import { OpenRoomForm } from './OpenRoomForm.js';
import { SecretForm } from './SecretForm.js';

const SECRET_KEY = 'wsl.adminSecret';

/** The admin page. */
export function AdminPage() {
  const { t } = useTranslation();
  const [secret, setSecret] = useState<string | null>(readSecret);
  const [secretError, setSecretError] = useState<ClientErrorCode | null>(null);
  // The server refused the secret after it was accepted (changed meanwhile): asked for again
  // above the forms, which stay as they are, with what was typed in them.
  const [secretRefused, setSecretRefused] = useState(false);
  const [room, setRoom] = useState<OpenedRoom | null>(null);
  const [error, setError] = useState<ClientErrorCode | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = `${t('admin.title')} · ${t('app.name')}`;
  }, [t]);

  const signOut = (wrong: ClientErrorCode | null = null): void => {
    writeSecret(null);
    setSecret(null);
    setSecretError(wrong);
    setRoom(null);
    setError(null);
    setSecretRefused(false);
  };

  if (secret === null) {
    return (
      <Shell>
        <SecretForm
          initialError={secretError}
          onSecret={(s) => {
            writeSecret(s);
            setSecret(s);
            setSecretError(null);
          }}
        />
      </Shell>
    );
  }

  const api = new AdminApi(secret);
  const ctx: AdminContext = {
    api,
    busy,
    async run(request) {
      setBusy(true);
      setError(null);
      try {
        return await request(api);
      } catch (failure) {
        console.error('admin request failed', failure);
        const code = errorCodeOf(failure);
        if (code === 'UNAUTHORIZED') {
          writeSecret(null);
          setSecretRefused(true);
        } else {
          setError(code);
        }
        return undefined;
      } finally {
        setBusy(false);
      }
    },
  };

  return (
    <Shell onSignOut={() => signOut()}>
      {secretRefused && (
        <SecretForm
          initialError="UNAUTHORIZED"
          onSecret={(s) => {
            writeSecret(s);
            setSecret(s);
            setSecretRefused(false);
          }}
        />
      )}
      {error !== null && (
        <div role="alert" className="alert" data-testid="error" data-code={error}>
          <span>{t(`errors.${error}`)}</span>
          <button type="button" className="button ghost small" aria-label={t('alert.dismiss')} onClick={() => setError(null)}>
            ×
          </button>
        </div>
      )}
      <div className="admin-grid no-print">
        <CreateRoomForm
          ctx={ctx}
          onCreated={(summary, created) =>
            setRoom({ summary, meetingNumber: created.meetingNumber, invites: [created.hostInvite], justCreated: true })
          }
        />
        <OpenRoomForm ctx={ctx} current={room?.summary.roomId ?? null} onOpened={(opened) => setRoom({ ...opened, justCreated: false })} />
      </div>
      {room !== null && <RoomSection key={room.summary.roomId} ctx={ctx} room={room} onChange={setRoom} />}
    </Shell>
  );
}

/** One consultation: what was just made (in view), its invites, more invites, the cards. */
function RoomSection({ ctx, room, onChange }: { ctx: AdminContext; room: OpenedRoom; onChange: (room: OpenedRoom) => void }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  const { summary, meetingNumber, invites } = room;
  useEffect(() => {
    // A new or reopened room is below the forms: bring it into view, and focus its heading so a
    // screen reader announces it and the next Tab goes on from there.
    heading.current?.scrollIntoView({ block: 'start' });
    heading.current?.focus({ preventScroll: true });
  }, []);
  const replace = (changed: IssuedInvite): void => onChange({ ...room, invites: invites.map((i) => (i.inviteId === changed.inviteId ? changed : i)) });
  return (
    <section className="admin-room" aria-labelledby="admin-room-heading">
      <h2 id="admin-room-heading" ref={heading} tabIndex={-1} className="no-print" data-testid="admin-room" data-room-id={summary.roomId}>
        {summary.topic} <span className="muted-text">({summary.roomId})</span>
      </h2>
      <p className="no-print meeting-number-line">
        {t('inviteList.meetingNumber')} <strong data-testid="admin-meeting-number">{formatMeetingNumber(meetingNumber)}</strong>
      </p>
      {room.justCreated && (
        <p role="status" className="notice no-print" data-testid="admin-created">
          {t('inviteList.created', { number: formatMeetingNumber(meetingNumber) })}
        </p>
      )}
      <InviteList ctx={ctx} room={summary} invites={invites} onRevoked={replace} />
      <IssueInvitesForm ctx={ctx} room={summary} onIssued={(issued) => onChange({ ...room, invites: [...issued, ...invites], justCreated: false })} />
      <CommentSettingsForm ctx={ctx} room={summary} />
      <InviteCards room={summary} meetingNumber={meetingNumber} invites={invites} />
    </section>
  );
}

function Shell({ children, onSignOut }: { children: ReactNode; onSignOut?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="app">
      <Header>
        {onSignOut !== undefined && (
          <button type="button" className="button ghost no-print" data-testid="admin-sign-out" onClick={onSignOut}>
            {t('admin.secretForget')}
          </button>
        )}
      </Header>
      <main className="page admin" data-testid="admin">
        <h1 className="no-print">{t('admin.title')}</h1>
        {children}
      </main>
    </div>
  );
}

function readSecret(): string | null {
  try {
    return window.sessionStorage.getItem(SECRET_KEY);
  } catch (error) {
    console.warn('sessionStorage unavailable', error);
    return null;
  }
}

function writeSecret(secret: string | null): void {
  try {
    if (secret === null) window.sessionStorage.removeItem(SECRET_KEY);
    else window.sessionStorage.setItem(SECRET_KEY, secret);
  } catch (error) {
    // Without storage the secret lives in this page only; a reload asks again.
    console.warn('could not keep the admin secret', error);
  }
}
