/**
 * The meeting panel: tabs for speakers, votes, people and (for those with a part in them) the
 * minutes. A side column on desktop; on phones a bottom sheet that a tab bar opens and closes.
 */
import { memo, useId, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { lobby } from '../../../../signaling/room/selectors.js';
import type { RoomState } from '../../../../signaling/room/state.js';
import { canIssue, commentsPart, myRole, takesPartInMinutes } from '../../roomSelectors.js';
import { PANEL_TABS, type PanelTab } from '../../store.js';
import { useRoomClient, useRoomSelector } from '../context.js';
import { QueuePanel } from '../panels/QueuePanel.js';
import { PeoplePanel } from '../people/PeoplePanel.js';
import { MinutesPanel, minutesWaiting } from '../minutes/MinutesPanel.js';
import { PollsPanel } from '../polls/PollsPanel.js';
import { AnswerPanel } from '../comments/AnswerPanel.js';
import { ModerationPanel } from '../comments/ModerationPanel.js';
import { usePendingCount } from '../comments/useModeration.js';

type Tab = PanelTab;
const LABEL = { queue: 'room.tabQueue', polls: 'room.tabPolls', people: 'room.tabPeople', minutes: 'minutes.tab', comments: 'comments.moderation.tab' } as const;
const BADGE = { queue: 'room.badgeQueue', polls: 'room.badgePolls', people: 'room.badgePeople', minutes: 'minutes.badge', comments: 'comments.moderation.badge' } as const;

/**
 * Tabs with a badge each: hands raised, open polls, people waiting in the lobby, minutes work.
 * NOTE: memo() and selected values only: the panel and its tabs render again when the room
 * changes, not on each media change of the store (see useRoomSelector).
 */
export const SidePanel = memo(function SidePanel({ room }: { room: RoomState }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  // In the store, not here: a notice (a hand raised, someone waiting) can open a tab.
  const open = useRoomSelector((s) => s.panel.open);
  const chosen = useRoomSelector((s) => s.panel.tab);
  const role = useRoomSelector(myRole);
  const me = useRoomSelector((s) => s.peerId);
  const invite = useRoomSelector((s) => (s.invite.kind === 'none' ? null : s.invite.token));
  const admits = useRoomSelector((s) => canIssue(s, 'lobby:admit'));
  const id = useId();
  const tabs = useRef<Array<HTMLButtonElement | null>>([]);
  // The minutes are for those who keep them and those who may add to them (not the public).
  const minutes = takesPartInMinutes(role);
  // Public comments: the staff moderate them, a department answers them; nobody else has the tab.
  const comments = commentsPart(role);
  const pendingComments = usePendingCount(room.id, invite, comments === 'moderate');
  const shown: readonly Tab[] = PANEL_TABS.filter((name) => (name !== 'minutes' || minutes) && (name !== 'comments' || comments !== null));
  const tab: Tab = shown.includes(chosen) ? chosen : 'queue';
  const badges: Record<Tab, number> = {
    queue: room.queue.entries.length,
    polls: Object.values(room.polls).filter((p) => p.status === 'open').length,
    people: admits ? lobby(room).length : 0,
    minutes: minutes ? minutesWaiting(room, role, me) : 0,
    comments: pendingComments,
  };

  const choose = (next: Tab): void => client.showPanel(next);

  // WAI-ARIA tabs: arrow keys move between tabs, Home/End jump to the ends.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const index = shown.indexOf(tab);
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: -index, End: shown.length - 1 - index }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const nextIndex = (index + step + shown.length) % shown.length;
    const next = shown[nextIndex] ?? 'queue';
    choose(next);
    tabs.current[nextIndex]?.focus();
  };

  return (
    <aside className={`side-panel${open ? ' open' : ''}${tab === 'minutes' ? ' wide' : ''}`} aria-label={t('room.panel')} data-testid="side-panel">
      <div className="tab-bar">
        <div role="tablist" aria-label={t('room.panel')} className="tabs" onKeyDown={onKeyDown}>
          {shown.map((name, i) => (
            <button
              key={name}
              ref={(el) => {
                tabs.current[i] = el;
              }}
              type="button"
              role="tab"
              id={`${id}-tab-${name}`}
              aria-selected={tab === name}
              aria-controls={`${id}-panel`}
              tabIndex={tab === name ? 0 : -1}
              className={tab === name ? 'tab active' : 'tab'}
              data-testid={`tab-${name}`}
              onClick={() => choose(name)}
            >
              {t(LABEL[name])}
              {badges[name] > 0 && (
                <>
                  <span className="tab-badge" aria-hidden="true">
                    {badges[name]}
                  </span>
                  {/* The number alone would be read out without saying what it counts. */}
                  <span className="visually-hidden">{t(BADGE[name], { count: badges[name] })}</span>
                </>
              )}
            </button>
          ))}
        </div>
        <button
          type="button"
          className="button ghost small sheet-toggle"
          data-testid="sheet-toggle"
          aria-expanded={open}
          aria-controls={`${id}-panel`}
          onClick={() => client.showPanel(tab, !open)}
        >
          {open ? t('room.hidePanel') : t('room.showPanel')}
        </button>
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${tab}`} className="tab-panel" tabIndex={0}>
        {tab === 'queue' && <QueuePanel room={room} />}
        {tab === 'polls' && <PollsPanel room={room} />}
        {tab === 'people' && <PeoplePanel room={room} />}
        {tab === 'comments' && (comments === 'moderate' ? <ModerationPanel room={room} /> : comments === 'answer' && <AnswerPanel room={room} />)}
        {/* NOTE: kept mounted while another tab is shown: it holds the secretary's unsaved typing. */}
        {minutes && (
          <div hidden={tab !== 'minutes'}>
            <MinutesPanel room={room} />
          </div>
        )}
      </div>
    </aside>
  );
});
