/** The admin page's frame: the app's header (with the page's own actions on the right) and the page's title. */
import type { ReactNode } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { Header } from '../Header.js';

/** The frame; `actions` go in the header. */
export function AdminShell({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="app">
      <Header>{actions}</Header>
      <main className="page admin" data-testid="admin">
        <h1 className="no-print">{t('admin.title')}</h1>
        {children}
      </main>
    </div>
  );
}
