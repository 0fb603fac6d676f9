/** The top bar: product name, the room (when in one) and the language switch. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage, setLanguage } from '../i18n/index.js';
import { roomLink } from '../roomId.js';
import { participantCount } from '../selectors.js';
import { useRoomState } from './context.js';

const COPIED_MS = 2_000;

/** Shown on every page. */
export function Header() {
  const { t } = useTranslation();
  const state = useRoomState();
  const inRoom = state.phase === 'joined';
  return (
    <header className="header">
      <div className="brand">
        <span className="brand-name">{t('app.name')}</span>
        <span className="brand-tagline">{t('app.tagline')}</span>
      </div>
      {inRoom && (
        <div className="room-info">
          <span data-testid="room-label">{t('room.label', { roomId: state.roomId })}</span>
          <span data-testid="participant-count">{t('room.participants', { count: participantCount(state) })}</span>
          <CopyLinkButton roomId={state.roomId} />
        </div>
      )}
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

function CopyLinkButton({ roomId }: { roomId: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = window.setTimeout(() => setCopied(false), COPIED_MS);
    return () => window.clearTimeout(timer);
  }, [copied]);
  const copy = (): void => {
    navigator.clipboard
      .writeText(roomLink(window.location.origin, roomId))
      .then(() => setCopied(true))
      .catch((error: unknown) => console.warn('clipboard unavailable', error));
  };
  return (
    <button type="button" className="button ghost" data-testid="copy-link" onClick={copy}>
      <span aria-live="polite">{copied ? t('room.linkCopied') : t('room.copyLink')}</span>
    </button>
  );
}
