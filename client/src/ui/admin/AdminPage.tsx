/**
 * `/admin`: the organisers' page. Asks for the admin secret (kept in this tab's
 * sessionStorage only), then creates a consultation or opens one, and issues invites with QR
 * codes to print.
 */
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorCodeOf, type ClientErrorCode } from '../../errors.js';
import { AdminApi, type IssuedInvite } from '../../net/adminApi.js';
import type { RoomSummary } from '../../net/inviteApi.js';
import { Header } from '../Header.js';
import { CreateRoomForm } from './CreateRoomForm.js';
import { InviteCards } from './InviteCards.js';
import { IssueInvitesForm } from './IssueInvitesForm.js';
import { OpenRoomForm } from './OpenRoomForm.js';

const SECRET_KEY = 'wsl.adminSecret';

/** What the admin forms need: the API and a way to report failures. */
export type AdminContext = {
  api: AdminApi;
  /** Runs a request; its failure is shown on the page. Resolves undefined on failure. */
  run<T>(request: (api: AdminApi) => Promise<T>): Promise<T | undefined>;
  busy: boolean;
};

/** The admin page. */
export function AdminPage() {
  const { t } = useTranslation();
  const [secret, setSecret] = useState<string | null>(readSecret);
  const [room, setRoom] = useState<RoomSummary | null>(null);
  const [invites, setInvites] = useState<IssuedInvite[]>([]);
  const [error, setError] = useState<ClientErrorCode | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = `${t('admin.title')} · ${t('app.name')}`;
  }, [t]);

  const signOut = (): void => {
    writeSecret(null);
    setSecret(null);
    setRoom(null);
    setInvites([]);
  };

  if (secret === null) {
    return (
      <Shell>
        <SecretForm
          onSecret={(s) => {
            writeSecret(s);
            setSecret(s);
            setError(null);
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
        setError(errorCodeOf(failure));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
  };

  return (
    <Shell onSignOut={signOut}>
      {error !== null && (
        <div role="alert" className="alert" data-testid="error" data-code={error}>
          <span>{error === 'UNAUTHORIZED' ? t('admin.badSecret') : t(`errors.${error}`)}</span>
          <button type="button" className="button ghost small" aria-label={t('alert.dismiss')} onClick={() => setError(null)}>
            ×
          </button>
        </div>
      )}
      <div className="admin-grid no-print">
        <CreateRoomForm
          ctx={ctx}
          onCreated={(summary, hostInvite) => {
            setRoom(summary);
            setInvites([hostInvite]);
          }}
        />
        <OpenRoomForm
          ctx={ctx}
          onOpened={(summary) => {
            setRoom(summary);
            setInvites([]);
          }}
        />
      </div>
      {room !== null && (
        <section className="admin-room" aria-labelledby="admin-room-heading">
          <h2 id="admin-room-heading" className="no-print" data-testid="admin-room" data-room-id={room.roomId}>
            {room.topic} <span className="muted-text">({room.roomId})</span>
          </h2>
          <IssueInvitesForm ctx={ctx} room={room} onIssued={(issued) => setInvites((all) => [...issued, ...all])} />
          <InviteCards room={room} invites={invites} />
        </section>
      )}
    </Shell>
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

function SecretForm({ onSecret }: { onSecret: (secret: string) => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const id = useId();
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (value.trim() !== '') onSecret(value.trim());
  };
  return (
    <form className="card-form narrow" onSubmit={submit}>
      <label htmlFor={id}>{t('admin.secret')}</label>
      <input
        id={id}
        type="password"
        data-testid="admin-secret"
        autoComplete="current-password"
        value={value}
        aria-describedby={`${id}-hint`}
        onChange={(e) => setValue(e.target.value)}
      />
      <p id={`${id}-hint`} className="field-hint">
        {t('admin.secretHint')}
      </p>
      <button type="submit" className="button primary" data-testid="admin-secret-submit" disabled={value.trim() === ''}>
        {t('admin.secretSubmit')}
      </button>
    </form>
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

