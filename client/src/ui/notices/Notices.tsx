/**
 * Notices that come to the person instead of waiting in a tab: someone at the door (with 准入),
 * a raised hand or a point of order for whoever runs the meeting, the floor given to me or
 * ended, a new ballot (whose 表决 tab RoomClient also brings forward), 请准备发言 for the next
 * speaker when a speech reaches its warning (OnDeck.tsx). Each that asks for action
 * has a chime (RoomClient rings it) and stays on screen until done or dismissed; the passing
 * ones for a few seconds.
 */
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import type { Notice } from '../../room/notices.js';
import { formatMmSs } from '../../room/countdown.js';
import { pointOfOrderToTake } from '../../room/pointOfOrder.js';
import { canIssue, micStatus } from '../../roomSelectors.js';
import { useRoomClient, useRoomState } from '../context.js';
import { OnDeckCard, useOnDeck } from './OnDeck.js';

/** How long a notice that asks nothing of anyone stays (ms); null: until done or dismissed. */
function lingerMs(notice: Notice): number | null {
  switch (notice.kind) {
    case 'handRaised':
      return notice.type === 'order' ? null : 15_000;
    case 'floorGranted':
    case 'floorEnded':
    case 'floorResumed':
      return 8_000;
    case 'floorInterrupted':
    case 'streamFailing':
    case 'recordingFailing':
      return null;
    case 'lobbyWaiting':
    case 'pollOpened':
      return null;
  }
}

/** The notices as a stack in the top corner (top of the screen on a phone). */
export function Notices() {
  const { notices } = useRoomState();
  // 请准备发言 comes from the clock, not from an event: it is watched here, always mounted.
  const onDeck = useOnDeck();
  if (notices.length === 0 && !onDeck.shown) return null;
  return (
    <div className="toasts" data-testid="notices">
      {onDeck.shown && <OnDeckCard onDismiss={onDeck.dismiss} />}
      {notices.map((notice) => (
        <NoticeCard key={notice.id} notice={notice} />
      ))}
    </div>
  );
}

function NoticeCard({ notice }: { notice: Notice }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const state = useRoomState();
  const linger = lingerMs(notice);
  useEffect(() => {
    if (linger === null) return;
    const timer = setTimeout(() => client.dismissNotice(notice.id), linger);
    return () => clearTimeout(timer);
  }, [client, notice.id, linger]);

  const urgent = notice.kind === 'handRaised' && notice.type === 'order';
  const dismiss = (
    <button type="button" className="button ghost small" aria-label={t('alert.dismiss')} onClick={() => client.dismissNotice(notice.id)}>
      ×
    </button>
  );
  const body = ((): { text: string; actions: ReactNode } => {
    switch (notice.kind) {
      case 'lobbyWaiting':
        return {
          text: t('notices.lobbyWaiting', { name: notice.name }),
          actions: (
            <>
              <button
                type="button"
                className="button primary small"
                data-testid="notice-admit"
                onClick={() => void client.act('lobby:admit', { participantId: notice.participantId })}
              >
                {t('notices.admit')}
              </button>
              <button type="button" className="button small" onClick={() => client.showPanel('people')}>
                {t('notices.show')}
              </button>
            </>
          ),
        };
      case 'handRaised':
        return {
          text: urgent
            ? t('notices.pointOfOrder', { name: notice.name })
            : t('notices.handRaised', { name: notice.name, type: t(`queue.types.${notice.type}`) }),
          actions: (
            <>
              {/* While someone speaks, the chair takes the point of order from here in one click. */}
              {urgent && canIssue(state, 'floor:interrupt') && state.room !== null && pointOfOrderToTake(state.room)?.participantId === notice.participantId && (
                <button
                  type="button"
                  className="button primary small"
                  data-testid="notice-interrupt"
                  onClick={() => void client.act('floor:interrupt', { participantId: notice.participantId })}
                >
                  {t('pointOfOrder.interrupt')}
                </button>
              )}
              <button type="button" className="button small" data-testid="notice-show-queue" onClick={() => client.showPanel('queue')}>
                {t('notices.show')}
              </button>
            </>
          ),
        };
      case 'floorGranted':
        return {
          text: micStatus(state) === 'off' ? t('notices.floorGrantedMicOff') : t('notices.floorGranted', { minutes: Math.round(notice.limitMs / 60_000) }),
          actions: null,
        };
      case 'floorEnded':
        return { text: t(`notices.floorEnded.${notice.end}`), actions: null };
      case 'floorInterrupted':
        return { text: t('pointOfOrder.myWaiting', { time: formatMmSs(notice.remainingMs, 'up') }), actions: null };
      case 'floorResumed':
        return { text: t('pointOfOrder.myResumed', { time: formatMmSs(notice.remainingMs, 'up') }), actions: null };
      case 'streamFailing':
        return { text: t('notices.streamFailing'), actions: null };
      case 'recordingFailing':
        return { text: t('notices.recordingFailing'), actions: null };
      case 'pollOpened':
        return {
          text: t('notices.pollOpened', { question: state.room?.polls[notice.pollId]?.question ?? '' }),
          actions: (
            <button type="button" className="button primary small" data-testid="notice-vote" onClick={() => client.showPanel('polls')}>
              {t('ballot.go')}
            </button>
          ),
        };
    }
  })();
  return (
    <div
      className={`toast${urgent ? ' urgent' : ''}`}
      role={notice.kind === 'lobbyWaiting' || urgent ? 'alert' : 'status'}
      data-testid="notice"
      data-kind={notice.kind}
    >
      <span className="toast-text">{body.text}</span>
      <span className="toast-actions">
        {body.actions}
        {dismiss}
      </span>
    </div>
  );
}
