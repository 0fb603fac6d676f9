/** Why the meeting is over for me: removed, not admitted, or ended. */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExitReason } from '../store.js';

const TEXT = {
  removed: { title: 'exit.removedTitle', body: 'exit.removedBody' },
  denied: { title: 'exit.deniedTitle', body: 'exit.deniedBody' },
  ended: { title: 'exit.endedTitle', body: 'exit.endedBody' },
} as const;

/** A message screen in place of the room. */
export function ExitScreen({ reason }: { reason: ExitReason }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  // Move focus to the news, so screen readers announce it and keyboards start from here.
  useEffect(() => heading.current?.focus(), [reason]);
  return (
    <main className="page narrow message-screen" data-testid="exit-screen" data-reason={reason}>
      <h1 ref={heading} tabIndex={-1}>
        {t(TEXT[reason].title)}
      </h1>
      <p>{t(TEXT[reason].body)}</p>
      <a className="button" href="/">
        {t('exit.home')}
      </a>
    </main>
  );
}
