/** `/`: what this is, how to join (by invite, or by meeting number to watch), and the way in for organisers. */
import { useEffect } from 'react';
import { useTranslation } from '../i18n/useTranslation.js';
import { Header } from './Header.js';
import { MeetingNumberForm } from './MeetingNumberForm.js';

/** The start page. */
export function LandingPage() {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = t('app.name');
  }, [t]);
  return (
    <div className="app">
      <Header />
      <main className="page narrow" data-testid="landing">
        <h1>{t('landing.title')}</h1>
        <p>{t('landing.intro')}</p>
        <p className="lead">{t('landing.howTo')}</p>
        <p className="field-hint">{t('landing.noAccount')}</p>
        <MeetingNumberForm />
        <p>
          {t('landing.organisers')} <a href="/admin">{t('landing.adminLink')}</a>
        </p>
      </main>
    </div>
  );
}
