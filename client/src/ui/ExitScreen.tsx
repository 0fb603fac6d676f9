/**
 * Why the meeting is over for me: removed, not admitted, or ended. After the end, whoever has
 * a part in the minutes finds them here, to finish, confirm or add a written statement.
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from '../i18n/useTranslation.js';
import { myRole, takesPartInMinutes } from '../roomSelectors.js';
import type { ExitReason } from '../store.js';
import { Alerts } from './Alerts.js';
import { useRoomState } from './context.js';
import { MinutesPanel } from './minutes/MinutesPanel.js';

const TEXT = {
  removed: { title: 'exit.removedTitle', body: 'exit.removedBody' },
  denied: { title: 'exit.deniedTitle', body: 'exit.deniedBody' },
  ended: { title: 'exit.endedTitle', body: 'exit.endedBody' },
} as const;

/** A message screen in place of the room. */
export function ExitScreen({ reason }: { reason: ExitReason }) {
  const { t } = useTranslation();
  const state = useRoomState();
  const heading = useRef<HTMLHeadingElement>(null);
  // Move focus to the news, so screen readers announce it and keyboards start from here.
  useEffect(() => heading.current?.focus(), [reason]);
  const room = state.room;
  const review = reason === 'ended' && room !== null && state.peerId !== null && takesPartInMinutes(myRole(state));
  return (
    <main className="page narrow message-screen" data-testid="exit-screen" data-reason={reason}>
      <h1 ref={heading} tabIndex={-1}>
        {t(TEXT[reason].title)}
      </h1>
      <p>{t(TEXT[reason].body)}</p>
      <a className="button" href="/">
        {t('exit.home')}
      </a>
      {review && (
        <section className="review-minutes" aria-labelledby="review-minutes-heading" data-testid="review-minutes">
          <h2 id="review-minutes-heading">{t('minutes.review.title')}</h2>
          <p className="field-hint">{t('minutes.review.body')}</p>
          <Alerts />
          <MinutesPanel room={room} />
        </section>
      )}
    </main>
  );
}
