/**
 * 用户名 and 密码, then 登录. A wrong name or password is one answer (the server does not say
 * which); what was typed stays to correct. The admin key's form is a link below, for the first
 * set-up and automation.
 */
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { ClientError, errorCodeOf, type ClientErrorCode } from '../../errors.js';
import { login, type Me } from '../../net/orgApi.js';

/** The login form; `onLoggedIn` gets the account and its organisations. */
export function LoginForm({ onLoggedIn, onUseSecret, expired = false }: { onLoggedIn: (me: Me) => void; onUseSecret: () => void; expired?: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<LoginFailure | null>(null);
  const filled = username.trim() !== '' && password !== '';
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (!filled || checking) return;
    setChecking(true);
    setError(null);
    login({ username: username.trim(), password }).then(
      (me) => onLoggedIn(me),
      (failure: unknown) => {
        setChecking(false);
        setError(failureOf(failure));
      },
    );
  };
  return (
    <form className="card-form narrow" onSubmit={submit} aria-labelledby={`${id}-title`} data-testid="login-form">
      <h2 id={`${id}-title`}>{t('orgAdmin.login.title')}</h2>
      {expired && error === null && (
        <p role="status" className="notice">
          {t('orgAdmin.login.expired')}
        </p>
      )}
      <label htmlFor={`${id}-user`}>{t('orgAdmin.login.username')}</label>
      <input id={`${id}-user`} data-testid="login-username" autoComplete="username" value={username} maxLength={64} onChange={(e) => setUsername(e.target.value)} />
      <label htmlFor={`${id}-password`}>{t('orgAdmin.login.password')}</label>
      <input
        id={`${id}-password`}
        type="password"
        data-testid="login-password"
        autoComplete="current-password"
        value={password}
        maxLength={200}
        aria-invalid={error !== null}
        aria-describedby={error === null ? undefined : `${id}-error`}
        onChange={(e) => setPassword(e.target.value)}
      />
      {error !== null && (
        <p id={`${id}-error`} role="alert" className="field-error" data-testid="login-error" data-code={error.code}>
          {error.code === 'UNAUTHORIZED'
            ? t('orgAdmin.login.wrong')
            : error.code === 'RATE_LIMITED'
              ? t('orgAdmin.login.limited', { minutes: error.minutes })
              : t(`errors.${error.code}`)}
        </p>
      )}
      <button type="submit" className="button primary" data-testid="login-submit" disabled={!filled || checking} aria-busy={checking}>
        {checking ? t('orgAdmin.login.checking') : t('orgAdmin.login.submit')}
      </button>
      <p className="field-hint">
        <button type="button" className="button ghost small" data-testid="login-use-secret" onClick={onUseSecret}>
          {t('orgAdmin.login.useSecret')}
        </button>{' '}
        {t('orgAdmin.login.useSecretHint')}
      </p>
    </form>
  );
}

/** Why a login failed: the code, and for RATE_LIMITED the minutes to wait. */
type LoginFailure = { code: ClientErrorCode; minutes: number };

function failureOf(failure: unknown): LoginFailure {
  const waitMs = failure instanceof ClientError ? (failure.retryAfterMs ?? 60_000) : 60_000;
  return { code: errorCodeOf(failure), minutes: Math.max(1, Math.ceil(waitMs / 60_000)) };
}
