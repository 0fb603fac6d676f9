/**
 * 机构与账号 (administrators only): the organisations below this one, and this one's accounts:
 * created with a role (管理员 / 组织者) and a first password, disabled (after a question) or
 * enabled again, and given a new password.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { ORG_ROLES, type OrgRole } from '../../../../signaling/orgs/model.js';
import { createAccount, listAccounts, updateAccount, type Account } from '../../net/orgApi.js';
import { ConfirmButton } from '../ConfirmButton.js';
import { Dialog } from '../Dialog.js';
import type { OrgContext } from './orgContext.js';
import { SubOrgsSection } from './SubOrgsSection.js';

/** Sub-organisations and accounts of the organisation shown. */
export function AccountsPanel({ ctx, onManage }: { ctx: OrgContext; onManage: (orgId: string) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [resetting, setResetting] = useState<Account | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const orgId = ctx.org.orgId;
  useEffect(() => {
    void ctx.run(() => listAccounts(orgId)).then((read) => read !== undefined && setAccounts(read));
  }, [orgId]);
  const replace = (changed: Account): void => setAccounts((list) => list?.map((a) => (a.accountId === changed.accountId ? changed : a)) ?? null);
  const setDisabled = (account: Account, disabled: boolean): void => {
    void ctx.run(() => updateAccount(orgId, account.accountId, { disabled })).then((changed) => changed !== undefined && replace(changed));
  };

  return (
    <section className="org-panel" aria-labelledby={`${id}-title`} data-testid="accounts-panel">
      <h2 id={`${id}-title`}>{t('orgAdmin.tabs.orgs')}</h2>
      <SubOrgsSection ctx={ctx} onManage={onManage} />
      <section className="card-form" aria-labelledby={`${id}-accounts`}>
        <h3 id={`${id}-accounts`}>{t('orgAdmin.accounts.title', { org: ctx.org.name })}</h3>
        {accounts !== null && accounts.length === 0 && <p className="field-hint">{t('orgAdmin.accounts.none')}</p>}
        {accounts !== null && accounts.length > 0 && (
          <div className="table-scroll">
            <table className="admin-table" data-testid="accounts-table">
              <thead>
                <tr>
                  <th scope="col">{t('orgAdmin.accounts.username')}</th>
                  <th scope="col">{t('orgAdmin.accounts.displayName')}</th>
                  <th scope="col">{t('orgAdmin.accounts.role')}</th>
                  <th scope="col">{t('orgAdmin.accounts.status')}</th>
                  <th scope="col">{t('orgAdmin.roster.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {accounts.map((a) => (
                  <tr key={a.accountId} data-testid="account-row" data-username={a.username} data-disabled={a.disabled}>
                    <td>{a.username}</td>
                    <td>{a.displayName}</td>
                    <td>{t(`orgAdmin.roles.${a.role}`)}</td>
                    <td>{a.disabled ? t('orgAdmin.accounts.disabled') : t('orgAdmin.accounts.active')}</td>
                    <td className="table-actions">
                      {a.disabled ? (
                        <button type="button" className="button small" data-testid="account-enable" disabled={ctx.busy} onClick={() => setDisabled(a, false)}>
                          {t('orgAdmin.accounts.enable')}
                        </button>
                      ) : (
                        <ConfirmButton
                          className="button small ghost"
                          data-testid="account-disable"
                          confirm={t('orgAdmin.accounts.disableConfirm', { name: a.displayName })}
                          confirmLabel={t('orgAdmin.accounts.disable')}
                          danger
                          disabled={ctx.busy || a.accountId === ctx.me.account.accountId}
                          onConfirm={() => setDisabled(a, true)}
                        >
                          {t('orgAdmin.accounts.disable')}
                        </ConfirmButton>
                      )}
                      <button type="button" className="button small ghost" data-testid="account-reset" onClick={() => setResetting(a)}>
                        {t('orgAdmin.accounts.resetPassword')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {notice !== null && (
          <p role="status" className="notice" data-testid="accounts-notice">
            {notice}
          </p>
        )}
        <NewAccountForm
          ctx={ctx}
          onCreated={(account) => {
            setAccounts((list) => [...(list ?? []), account]);
            setNotice(t('orgAdmin.accounts.created', { username: account.username }));
          }}
        />
      </section>
      {resetting !== null && (
        <ResetPasswordDialog
          ctx={ctx}
          account={resetting}
          onDone={(done) => {
            setResetting(null);
            if (done) setNotice(t('orgAdmin.accounts.resetDone', { name: resetting.displayName }));
          }}
        />
      )}
    </section>
  );
}

function NewAccountForm({ ctx, onCreated }: { ctx: OrgContext; onCreated: (account: Account) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<OrgRole>('organiser');
  const valid = username.trim().length >= 3 && displayName.trim() !== '' && password.length >= 10;
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (!valid || ctx.busy) return;
    void ctx.run(() => createAccount(ctx.org.orgId, { username: username.trim(), displayName: displayName.trim(), password, role })).then((account) => {
      if (account === undefined) return;
      setUsername('');
      setDisplayName('');
      setPassword('');
      onCreated(account);
    });
  };
  return (
    <form onSubmit={submit} className="account-form" data-testid="account-form">
      <label htmlFor={`${id}-user`}>{t('orgAdmin.accounts.username')}</label>
      <input id={`${id}-user`} data-testid="account-username" autoComplete="off" value={username} maxLength={64} onChange={(e) => setUsername(e.target.value)} />
      <label htmlFor={`${id}-name`}>{t('orgAdmin.accounts.displayName')}</label>
      <input id={`${id}-name`} data-testid="account-display-name" value={displayName} maxLength={64} onChange={(e) => setDisplayName(e.target.value)} />
      <label htmlFor={`${id}-password`}>{t('orgAdmin.accounts.password')}</label>
      <input id={`${id}-password`} type="password" autoComplete="new-password" data-testid="account-password" value={password} maxLength={200} onChange={(e) => setPassword(e.target.value)} />
      <label htmlFor={`${id}-role`}>{t('orgAdmin.accounts.role')}</label>
      <select id={`${id}-role`} data-testid="account-role" value={role} onChange={(e) => setRole(ORG_ROLES.find((r) => r === e.target.value) ?? 'organiser')}>
        {ORG_ROLES.map((r) => (
          <option key={r} value={r}>
            {t(`orgAdmin.roles.${r}`)}
          </option>
        ))}
      </select>
      <button type="submit" className="button primary" data-testid="account-create" disabled={!valid || ctx.busy}>
        {t('orgAdmin.accounts.create')}
      </button>
    </form>
  );
}

function ResetPasswordDialog({ ctx, account, onDone }: { ctx: OrgContext; account: Account; onDone: (done: boolean) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [password, setPassword] = useState('');
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (password.length < 10 || ctx.busy) return;
    void ctx.run(() => updateAccount(ctx.org.orgId, account.accountId, { password })).then((changed) => onDone(changed !== undefined));
  };
  return (
    <Dialog title={t('orgAdmin.accounts.resetTitle', { name: account.displayName })} onCancel={() => onDone(false)} initialFocus="first" data-testid="account-reset-dialog">
      <form onSubmit={submit} className="card-form">
        <label htmlFor={`${id}-password`}>{t('orgAdmin.accounts.newPassword')}</label>
        <input id={`${id}-password`} type="password" autoComplete="new-password" data-testid="account-new-password" value={password} maxLength={200} onChange={(e) => setPassword(e.target.value)} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={() => onDone(false)}>
            {t('dialog.cancel')}
          </button>
          <button type="submit" className="button primary" data-testid="account-reset-submit" disabled={password.length < 10 || ctx.busy}>
            {t('orgAdmin.accounts.reset')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
