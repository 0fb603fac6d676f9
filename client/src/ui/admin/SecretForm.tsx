/**
 * Asks for the admin secret and checks it with the server before any form is shown: a wrong
 * secret is said at once, and what was typed stays in the field to correct.
 */
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { errorCodeOf, type ClientErrorCode } from '../../errors.js';
import { AdminApi } from '../../net/adminApi.js';

/** The secret field; `onSecret` gets a secret the server accepted. */
export function SecretForm({ onSecret, initialError = null }: { onSecret: (secret: string) => void; initialError?: ClientErrorCode | null }) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<ClientErrorCode | null>(initialError);
  const id = useId();
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const secret = value.trim();
    if (secret === '' || checking) return;
    setChecking(true);
    setError(null);
    new AdminApi(secret).checkSecret().then(
      () => onSecret(secret),
      (failure: unknown) => {
        setChecking(false);
        setError(errorCodeOf(failure));
      },
    );
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
        aria-invalid={error === 'UNAUTHORIZED'}
        aria-describedby={`${id}-hint${error === null ? '' : ` ${id}-error`}`}
        onChange={(e) => setValue(e.target.value)}
      />
      {error !== null && (
        <p id={`${id}-error`} role="alert" className="field-error" data-testid="admin-secret-error" data-code={error}>
          {error === 'UNAUTHORIZED' ? t('inviteList.badSecret') : t(`errors.${error}`)}
        </p>
      )}
      <p id={`${id}-hint`} className="field-hint">
        {t('admin.secretHint')}
      </p>
      <button type="submit" className="button primary" data-testid="admin-secret-submit" disabled={value.trim() === '' || checking} aria-busy={checking}>
        {checking ? t('inviteList.checking') : t('admin.secretSubmit')}
      </button>
    </form>
  );
}
