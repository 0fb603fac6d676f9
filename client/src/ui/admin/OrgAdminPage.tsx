/**
 * The admin page of a logged-in account: the organisation shown (an administrator reaching
 * districts switches between them), 退出登录, and the panels in tabs: 会议列表, 新建会议,
 * 委员名册, 履职记录 and, for whoever may administer it, 机构与账号.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { errorCodeOf, type ClientErrorCode } from '../../errors.js';
import { listOrgs, logout, type Me, type Organisation } from '../../net/orgApi.js';
import { AccountsPanel } from './AccountsPanel.js';
import { AdminShell } from './AdminShell.js';
import { ConsultationsPanel } from './ConsultationsPanel.js';
import { DutiesPanel } from './DutiesPanel.js';
import { NewConsultationPanel } from './NewConsultationPanel.js';
import { mayAdminister, type OrgContext } from './orgContext.js';
import { OrgSwitcher } from './OrgSwitcher.js';
import { RosterPanel } from './RosterPanel.js';

const TABS = ['consultations', 'newConsultation', 'roster', 'duties', 'orgs'] as const;
type Tab = (typeof TABS)[number];

/** The page; `onLoggedOut(expired)` is called after 退出登录 (false) or when the server no longer knows the session (true). */
export function OrgAdminPage({ me, onLoggedOut }: { me: Me; onLoggedOut: (expired: boolean) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [orgs, setOrgs] = useState<Organisation[]>(me.orgs);
  const [orgId, setOrgId] = useState(me.orgs[0]?.orgId ?? me.account.orgId);
  const [tab, setTab] = useState<Tab>('consultations');
  const [error, setError] = useState<ClientErrorCode | null>(null);
  const [busy, setBusy] = useState(false);
  const tabButtons = useRef<Array<HTMLButtonElement | null>>([]);
  const org = orgs.find((o) => o.orgId === orgId) ?? orgs[0];
  const shown = TABS.filter((name) => name !== 'orgs' || (org !== undefined && mayAdminister(me, orgs, org.orgId)));
  const current = shown.includes(tab) ? tab : 'consultations';
  useEffect(() => {
    document.title = `${t('admin.title')} · ${t('app.name')}`;
  }, [t]);

  const run: OrgContext['run'] = async (request) => {
    setBusy(true);
    setError(null);
    try {
      return await request();
    } catch (failure) {
      console.error('admin request failed', failure);
      const code = errorCodeOf(failure);
      if (code === 'UNAUTHORIZED') onLoggedOut(true);
      else setError(code);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  const signOut = (): void => {
    logout().then(
      () => onLoggedOut(false),
      (failure: unknown) => {
        // The cookie may already be gone; the page forgets the account either way.
        console.warn('logout failed', failure);
        onLoggedOut(false);
      },
    );
  };

  const actions = (
    <>
      <span className="admin-account no-print" data-testid="admin-account">
        {t('orgAdmin.signedInAs', { name: me.account.displayName, role: t(`orgAdmin.roles.${me.account.role}`) })}
      </span>
      <button type="button" className="button ghost no-print" data-testid="admin-logout" onClick={signOut}>
        {t('orgAdmin.logout')}
      </button>
    </>
  );
  if (org === undefined) return <AdminShell actions={actions}>{null}</AdminShell>;
  const ctx: OrgContext = {
    me,
    org,
    orgs,
    busy,
    run,
    reloadOrgs: () => void run(listOrgs).then((list) => list !== undefined && setOrgs(list)),
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    // WAI-ARIA tabs: arrow keys move between tabs, Home/End jump to the ends.
    const index = shown.indexOf(current);
    const step = { ArrowRight: 1, ArrowLeft: -1, Home: -index, End: shown.length - 1 - index }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const nextIndex = (index + step + shown.length) % shown.length;
    setTab(shown[nextIndex] ?? 'consultations');
    tabButtons.current[nextIndex]?.focus();
  };

  return (
    <AdminShell actions={actions}>
      <OrgSwitcher orgs={orgs} current={org} onChoose={(next) => setOrgId(next)} />
      {error !== null && (
        <div role="alert" className="alert no-print" data-testid="error" data-code={error}>
          <span>{t(`errors.${error}`)}</span>
          <button type="button" className="button ghost small" aria-label={t('alert.dismiss')} onClick={() => setError(null)}>
            ×
          </button>
        </div>
      )}
      <div role="tablist" aria-label={t('orgAdmin.tabs.label')} className="tabs admin-tabs no-print" onKeyDown={onKeyDown}>
        {shown.map((name, i) => (
          <button
            key={name}
            ref={(el) => {
              tabButtons.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${name}`}
            aria-selected={current === name}
            aria-controls={`${id}-panel`}
            tabIndex={current === name ? 0 : -1}
            className={current === name ? 'tab active' : 'tab'}
            data-testid={`admin-tab-${name}`}
            onClick={() => setTab(name)}
          >
            {t(`orgAdmin.tabs.${name}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${current}`} className="admin-tab-panel" key={`${org.orgId}-${current}`}>
        {current === 'consultations' && <ConsultationsPanel ctx={ctx} />}
        {current === 'newConsultation' && <NewConsultationPanel ctx={ctx} />}
        {current === 'roster' && <RosterPanel ctx={ctx} />}
        {current === 'duties' && <DutiesPanel ctx={ctx} />}
        {current === 'orgs' && <AccountsPanel ctx={ctx} onManage={(next) => setOrgId(next)} />}
      </div>
    </AdminShell>
  );
}
