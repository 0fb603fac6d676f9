/**
 * Who waits to be let in, with admit / deny, and admit all. Admitting all asks first, listing
 * who will come in, and admits exactly those: entering shows the meeting, which no undo could
 * take back, so the check comes before (see README, "How a meeting runs").
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { lobby } from '../../../../signaling/room/selectors.js';
import type { Participant, RoomState } from '../../../../signaling/room/state.js';
import { venueName } from '../../roomSelectors.js';
import { useRoomClient } from '../context.js';
import { Dialog } from '../Dialog.js';

/** Whose entries the chair just acted on, and where in the list the focus was. */
type Refocus = { ids: string[]; index: number };

/** The host's view of the lobby. */
export function LobbyList({ room }: { room: RoomState }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const waiting = lobby(room);
  const [asking, setAsking] = useState<Participant[] | null>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const refocus = useRef<Refocus | null>(null);
  const waitingIds = waiting.map((p) => p.id).join(' ');

  // An admitted or denied entry leaves the list and takes the focused button with it: the
  // focus goes on to the entry that took its place (or the one above it), or to the heading
  // once nobody waits, rather than back to the top of the page.
  useEffect(() => {
    const pending = refocus.current;
    if (pending === null || pending.ids.some((id) => waitingIds.split(' ').includes(id))) return;
    refocus.current = null;
    if (!focusLost()) return;
    const buttons = listRef.current?.querySelectorAll<HTMLButtonElement>('[data-testid="lobby-admit"]') ?? [];
    const next = buttons[Math.min(pending.index, buttons.length - 1)];
    (next ?? headingRef.current)?.focus();
  }, [waitingIds]);

  const act = (p: Participant, index: number, type: 'lobby:admit' | 'lobby:deny'): void => {
    refocus.current = { ids: [p.id], index };
    void client.act(type, { participantId: p.id }).then((ok) => {
      if (!ok) refocus.current = null;
    });
  };

  const admitListed = (listed: Participant[]): void => {
    setAsking(null);
    const ids = listed.map((p) => p.id);
    refocus.current = { ids, index: 0 };
    void client.act('lobby:admitAll', { participantIds: ids }).then((ok) => {
      if (!ok) refocus.current = null;
    });
  };

  return (
    <section className="console-block" aria-labelledby="lobby-heading" data-testid="lobby-list">
      <div className="venue-head">
        <h3 id="lobby-heading" ref={headingRef} tabIndex={-1} className="panel-heading">
          {t('people.lobby', { count: waiting.length })}
        </h3>
        <button
          type="button"
          className="button primary small"
          data-testid="lobby-admit-all"
          aria-haspopup="dialog"
          disabled={waiting.length === 0}
          onClick={() => setAsking(waiting)}
        >
          {t('people.admitAll')}
        </button>
      </div>
      {waiting.length === 0 ? (
        <p className="field-hint">{t('people.lobbyEmpty')}</p>
      ) : (
        <ul className="people-list" ref={listRef}>
          {waiting.map((p, index) => (
            <li key={p.id} className="person" data-testid="lobby-entry" data-participant-id={p.id}>
              <Who room={room} p={p} />
              <div className="row-actions">
                <button
                  type="button"
                  className="button primary small"
                  data-testid="lobby-admit"
                  aria-label={t('people.admit', { name: p.name })}
                  onClick={() => act(p, index, 'lobby:admit')}
                >
                  {t('people.short.admit')}
                </button>
                <button
                  type="button"
                  className="button small"
                  data-testid="lobby-deny"
                  aria-label={t('people.deny', { name: p.name })}
                  onClick={() => act(p, index, 'lobby:deny')}
                >
                  {t('people.short.deny')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {asking !== null && <AdmitAllDialog room={room} listed={asking} onCancel={() => setAsking(null)} onConfirm={() => admitListed(asking)} />}
    </section>
  );
}

function Who({ room, p }: { room: RoomState; p: Participant }) {
  const { t } = useTranslation();
  return (
    <div className="person-who">
      <span className="person-name">{p.name}</span>
      <span className="chip">{t(`roles.${p.role}`)}</span>
      <span className="muted-text">{venueName(room, p.venue)}</span>
      {p.sector !== '' && <span className="muted-text">{p.sector}</span>}
    </div>
  );
}

/**
 * Who "admit all" lets in, as the chair sees them when asked: 取消 first and focused, as in
 * every confirmation of this app. Test ids: `lobby-admit-all-dialog`, `-confirm`, `-cancel`,
 * and `lobby-admit-all-listed` per person.
 */
function AdmitAllDialog({ room, listed, onCancel, onConfirm }: { room: RoomState; listed: Participant[]; onCancel: () => void; onConfirm: () => void }) {
  const { t } = useTranslation();
  return (
    <Dialog title={t('people.admitAllQuestion', { count: listed.length })} onCancel={onCancel} initialFocus="first" data-testid="lobby-admit-all-dialog">
      <p className="field-hint">{t('people.admitAllHint')}</p>
      <ul className="people-list admit-all-list">
        {listed.map((p) => (
          <li key={p.id} className="person" data-testid="lobby-admit-all-listed" data-participant-id={p.id}>
            <Who room={room} p={p} />
          </li>
        ))}
      </ul>
      <div className="dialog-actions">
        <button type="button" className="button" data-testid="lobby-admit-all-dialog-cancel" onClick={onCancel}>
          {t('dialog.cancel')}
        </button>
        <button type="button" className="button primary" data-testid="lobby-admit-all-dialog-confirm" onClick={onConfirm}>
          {t('people.admitAllConfirm', { count: listed.length })}
        </button>
      </div>
    </Dialog>
  );
}

/** Nothing useful holds the focus: the page's body, or a control that went away or was disabled. */
function focusLost(): boolean {
  const active = document.activeElement;
  if (active === null || active === document.body || !active.isConnected) return true;
  return active instanceof HTMLButtonElement && active.disabled;
}
