/**
 * The admin page for people with an account: asks the server who is logged in (the session
 * cookie), shows the login form if nobody is, and the organisation's page once somebody is.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { errorCodeOf } from '../../errors.js';
import { me as whoIsLoggedIn, type Me } from '../../net/orgApi.js';
import { AdminShell } from './AdminShell.js';
import { LoginForm } from './LoginForm.js';
import { OrgAdminPage } from './OrgAdminPage.js';

type Session = { state: 'checking' } | { state: 'out'; expired: boolean } | { state: 'in'; me: Me };

/** Login, then the organisation's page; `onUseSecret` switches to the admin key's form. */
export function AccountAdmin({ onUseSecret }: { onUseSecret: () => void }) {
  const { t } = useTranslation();
  const [session, setSession] = useState<Session>({ state: 'checking' });
  useEffect(() => {
    let live = true;
    whoIsLoggedIn().then(
      (me) => live && setSession({ state: 'in', me }),
      (failure: unknown) => {
        // 401 is the usual answer here: nobody logged in on this browser yet.
        if (errorCodeOf(failure) !== 'UNAUTHORIZED') console.warn('could not ask who is logged in', failure);
        if (live) setSession({ state: 'out', expired: false });
      },
    );
    return () => {
      live = false;
    };
  }, []);
  if (session.state === 'in') {
    return (
      <OrgAdminPage
        key={session.me.account.accountId}
        me={session.me}
        onLoggedOut={(expired) => setSession({ state: 'out', expired })}
      />
    );
  }
  return (
    <AdminShell>
      {session.state === 'checking' ? (
        <p className="field-hint">{t('orgAdmin.list.loading')}</p>
      ) : (
        <LoginForm expired={session.expired} onLoggedIn={(me) => setSession({ state: 'in', me })} onUseSecret={onUseSecret} />
      )}
    </AdminShell>
  );
}
