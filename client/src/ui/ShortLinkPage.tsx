/**
 * `/j/<code>`: a short link from a QR code or a card. The page looks the code up and goes on to
 * the invite's join page; a code that is unknown, revoked or expired is explained in words.
 */
import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';
import { useTranslation } from '../i18n/useTranslation.js';
import { ClientError } from '../errors.js';
import { joinPath, lookupShortLink } from '../net/linkApi.js';
import { Header } from './Header.js';

type Failure = { title: string; body: string; code: string };

/** The page of a short link. */
export function ShortLinkPage({ code }: { code: string }) {
  const { t } = useTranslation();
  const [failure, setFailure] = useState<Failure | null>(null);
  useEffect(() => {
    document.title = t('app.name');
  }, [t]);
  useEffect(() => {
    let live = true;
    lookupShortLink(code).then(
      // replace(): the back button returns to where the link was opened from, not to this step.
      (link) => window.location.replace(joinPath(link.token)),
      (error: unknown) => {
        if (live) setFailure(describe(error, t));
      },
    );
    return () => {
      live = false;
    };
  }, [code, t]);
  return (
    <div className="app">
      <Header />
      <main className="page narrow message-screen" data-testid="short-link">
        {failure === null ? (
          <p role="status" className="notice">
            <span className="spinner" aria-hidden="true" /> {t('shortLink.opening')}
          </p>
        ) : (
          <div role="alert" className="alert blocked" data-testid="short-link-failed" data-code={failure.code}>
            <h1>{failure.title}</h1>
            <p>{failure.body}</p>
            <a className="button" href="/">
              {t('shortLink.home')}
            </a>
          </div>
        )}
      </main>
    </div>
  );
}

function describe(error: unknown, t: TFunction): Failure {
  const code = error instanceof ClientError ? error.code : 'INTERNAL';
  switch (code) {
    case 'NOT_FOUND':
      return { code, title: t('shortLink.notFoundTitle'), body: t('shortLink.notFound') };
    case 'BAD_REQUEST':
      return { code, title: t('shortLink.notFoundTitle'), body: t('shortLink.invalid') };
    case 'INVITE_REVOKED':
      return { code, title: t('shortLink.revokedTitle'), body: t('shortLink.revoked') };
    case 'UNAUTHORIZED':
      return { code, title: t('shortLink.expiredTitle'), body: t('shortLink.expired') };
    case 'RATE_LIMITED': {
      const ms = error instanceof ClientError ? (error.retryAfterMs ?? 60_000) : 60_000;
      return { code, title: t('shortLink.failedTitle'), body: t('shortLink.limited', { minutes: Math.max(1, Math.ceil(ms / 60_000)) }) };
    }
    default:
      return { code, title: t('shortLink.failedTitle'), body: t('shortLink.failed') };
  }
}
