/**
 * `/admin`: the organisers' page. Opens on the login form (AccountAdmin: accounts, their
 * organisations, rosters and duty records). The admin secret stays for the first set-up and
 * automation, behind a link: checked with the server (kept in this tab's sessionStorage only),
 * it creates a consultation or reopens one of the recent ones, lists the invites issued for it
 * (revocable), issues more, and prints cards per audience.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { errorCodeOf, type ClientErrorCode } from '../../errors.js';
import { AdminApi } from '../../net/adminApi.js';
import { AccountAdmin } from './AccountAdmin.js';
import type { AdminContext, OpenedRoom } from './adminContext.js';
import { AdminShell } from './AdminShell.js';
import { CreateRoomForm } from './CreateRoomForm.js';
import { FirstAdministratorForm } from './FirstAdministratorForm.js';
import { OpenRoomForm } from './OpenRoomForm.js';
import { RoomSection } from './RoomSection.js';
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
  // The secret's form, asked for from the login form's link (or kept in this tab).
  const [bySecret, setBySecret] = useState(secret !== null);
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
    setBySecret(wrong !== null);
  };

  if (secret === null && !bySecret) return <AccountAdmin onUseSecret={() => setBySecret(true)} />;
  if (secret === null) {
    return (
      <Shell>
        <button type="button" className="button ghost small no-print" data-testid="admin-use-login" onClick={() => setBySecret(false)}>
          {t('orgAdmin.login.useLogin')}
        </button>
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
      {/* While no organisation exists: the first administrator, then the login form. */}
      <FirstAdministratorForm secret={secret} onCreated={() => signOut()} />
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

function Shell({ children, onSignOut }: { children: ReactNode; onSignOut?: () => void }) {
  const { t } = useTranslation();
  const actions = onSignOut !== undefined && (
    <button type="button" className="button ghost no-print" data-testid="admin-sign-out" onClick={onSignOut}>
      {t('admin.secretForget')}
    </button>
  );
  return <AdminShell actions={actions}>{children}</AdminShell>;
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
