/**
 * The first organisation and its administrator, made from the admin key's page while no
 * organisation exists (POST /auth/bootstrap): whoever installed the server opens /admin, enters
 * the key and creates the account here, without a command line. Once it exists the form is not
 * shown again; the page goes to the login form.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { errorCodeOf, type ClientErrorCode } from '../../errors.js';
import { bootstrap, listOrgsBySecret } from '../../net/orgApi.js';

/** Shown only while the server has no organisation; `onCreated` gets the new username. */
export function FirstAdministratorForm({ secret, onCreated }: { secret: string; onCreated: (username: string) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [needed, setNeeded] = useState(false);
  const [orgName, setOrgName] = useState(() => t('orgAdmin.firstAdmin.defaultOrgName'));
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<ClientErrorCode | null>(null);

  useEffect(() => {
    let current = true;
    listOrgsBySecret(secret).then(
      (orgs) => current && setNeeded(orgs.length === 0),
      // The key's page works without it; the key form reports a wrong key itself.
      (failure: unknown) => console.warn('could not ask for the organisations', failure),
    );
    return () => {
      current = false;
    };
  }, [secret]);
  if (!needed) return null;

  const filled = orgName.trim() !== '' && username.trim().length >= 3 && displayName.trim() !== '' && password.length >= 10;
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (!filled || creating) return;
    setCreating(true);
    setError(null);
    bootstrap(secret, { orgName: orgName.trim(), username: username.trim(), displayName: displayName.trim(), password }).then(
      () => onCreated(username.trim().toLowerCase()),
      (failure: unknown) => {
        setCreating(false);
        setError(errorCodeOf(failure));
      },
    );
  };
  return (
    <form className="card-form narrow no-print" onSubmit={submit} aria-labelledby={`${id}-title`} data-testid="first-admin-form">
      <h2 id={`${id}-title`}>{t('orgAdmin.firstAdmin.title')}</h2>
      <p className="field-hint">{t('orgAdmin.firstAdmin.hint')}</p>
      <label htmlFor={`${id}-org`}>{t('orgAdmin.firstAdmin.orgName')}</label>
      <input id={`${id}-org`} data-testid="first-admin-org" value={orgName} maxLength={64} onChange={(e) => setOrgName(e.target.value)} />
      <label htmlFor={`${id}-user`}>{t('orgAdmin.firstAdmin.username')}</label>
      <input id={`${id}-user`} data-testid="first-admin-username" autoComplete="username" value={username} maxLength={64} onChange={(e) => setUsername(e.target.value)} />
      <label htmlFor={`${id}-name`}>{t('orgAdmin.firstAdmin.displayName')}</label>
      <input id={`${id}-name`} data-testid="first-admin-display-name" value={displayName} maxLength={64} onChange={(e) => setDisplayName(e.target.value)} />
      <label htmlFor={`${id}-password`}>{t('orgAdmin.firstAdmin.password')}</label>
      <input
        id={`${id}-password`}
        type="password"
        data-testid="first-admin-password"
        autoComplete="new-password"
        value={password}
        maxLength={200}
        onChange={(e) => setPassword(e.target.value)}
      />
      {error !== null && (
        <p role="alert" className="field-error" data-testid="first-admin-error" data-code={error}>
          {error === 'CONFLICT' ? t('orgAdmin.firstAdmin.taken') : t(`errors.${error}`)}
        </p>
      )}
      <button type="submit" className="button primary" data-testid="first-admin-submit" disabled={!filled || creating} aria-busy={creating}>
        {creating ? t('orgAdmin.firstAdmin.creating') : t('orgAdmin.firstAdmin.submit')}
      </button>
    </form>
  );
}
