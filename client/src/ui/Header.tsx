/** The top bar: product name, what the page adds (room facts), and the language switch. */
import type { ReactNode } from 'react';
import { useTranslation } from '../i18n/useTranslation.js';
import { currentLanguage, setLanguage } from '../i18n/index.js';

/** Shown on every page. */
export function Header({ children }: { children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <header className="header">
      <a className="brand" href="/">
        <span className="brand-name">{t('app.name')}</span>
        <span className="brand-tagline">{t('app.tagline')}</span>
      </a>
      {children}
      <LanguageSwitch />
    </header>
  );
}

function LanguageSwitch() {
  const { t } = useTranslation();
  const next = currentLanguage() === 'en' ? 'zh-CN' : 'en';
  const change = (): void => {
    setLanguage(next).catch((error: unknown) => console.error('language switch failed', error));
  };
  return (
    <button
      type="button"
      className="button ghost"
      data-testid="lang-switch"
      lang={next}
      aria-label={t('language.switchLabel')}
      onClick={change}
    >
      {t('language.switch')}
    </button>
  );
}
