/**
 * While a ballot waits for my vote and the 表决 tab is not in front of me (I went to another
 * tab, or closed the phone's sheet): a banner with 去投票 until I vote or the poll closes. The
 * new-poll notice says the same with its own 去投票: the banner takes over once it is closed.
 */
import { useTranslation } from '../../i18n/useTranslation.js';
import type { Poll } from '../../../../signaling/room/state.js';
import { useRoomClient, useRoomState } from '../context.js';

/** Open polls I may vote in and have not voted in. */
export function pollsAwaitingMe(polls: Record<string, Poll>, me: string | null): Poll[] {
  if (me === null) return [];
  return Object.values(polls).filter((p) => p.status === 'open' && p.eligible.includes(me) && !p.voted.includes(me));
}

/** The banner; nothing when no ballot waits or the ballot is already shown. */
export function VoteBanner({ panelShown }: { panelShown: boolean }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const { room, peerId, notices } = useRoomState();
  if (room === null || panelShown || notices.some((n) => n.kind === 'pollOpened')) return null;
  const waiting = pollsAwaitingMe(room.polls, peerId);
  if (waiting.length === 0) return null;
  return (
    <div className="banner vote-banner" role="status" data-testid="vote-banner">
      <span>{t('ballot.waiting', { count: waiting.length })}</span>
      <button type="button" className="button primary small" data-testid="vote-banner-go" onClick={() => client.showPanel('polls')}>
        {t('ballot.go')}
      </button>
    </div>
  );
}
