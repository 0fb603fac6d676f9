/**
 * The list of speakers: raise a hand with a kind of speech and a note, see my place, withdraw.
 * The host orders the list and gives the floor (next, or a chosen person, for a chosen time).
 */
import { memo, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { SPEECH_TYPES, type QueueEntry, type RoomState, type SpeechType } from '../../../../signaling/room/state.js';
import { holdsFloor } from '../../../../signaling/room/selectors.js';
import { canIssue, floorHeldBy, queuePlace, speechSeconds, venueName } from '../../roomSelectors.js';
import { ConfirmButton } from '../ConfirmButton.js';
import { useRoomClient, useRoomSelector } from '../context.js';
import { SpeechSecondsSelect } from './SpeechSecondsSelect.js';
import { grantAsk, queuedGrant } from './grantAsk.js';

/** The "发言" tab; renders again when the room changes (see useRoomSelector). */
export const QueuePanel = memo(function QueuePanel({ room }: { room: RoomState }) {
  const { t } = useTranslation();
  const host = useRoomSelector((s) => canIssue(s, 'floor:grant'));
  const raises = useRoomSelector((s) => canIssue(s, 'queue:raise'));
  const seconds = useRoomSelector((s) => speechSeconds(s, room));
  const entries = room.queue.entries;
  return (
    <div className="panel-section">
      {raises && <RaiseHand room={room} />}
      {!room.queue.open && (
        <p className="notice small" role="status" data-testid="queue-closed">
          {t('queue.closed')}
        </p>
      )}
      {host && <HostQueueBar room={room} seconds={seconds} />}
      <h3 className="panel-heading">{t('queue.list')}</h3>
      {entries.length === 0 ? (
        <p className="field-hint">{t('queue.empty')}</p>
      ) : (
        <ol className="queue-list">
          {entries.map((entry, index) => (
            <QueueRow key={entry.participantId} room={room} entry={entry} index={index} last={index === entries.length - 1} host={host} seconds={seconds} />
          ))}
        </ol>
      )}
    </div>
  );
});

function RaiseHand({ room }: { room: RoomState }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const peerId = useRoomSelector((s) => s.peerId);
  const [type, setType] = useState<SpeechType>('statement');
  const [note, setNote] = useState('');
  const typeId = useId();
  const noteId = useId();
  // Raising swaps the form for my place and 撤回发言申请 (withdrawing swaps it back): the focus
  // follows to the control that took the pressed one's place instead of falling to the page's top.
  const focusNext = useRef<'withdraw' | 'raise' | null>(null);
  const focusIfNext = (which: 'withdraw' | 'raise') => (element: HTMLElement | null) => {
    if (element === null || focusNext.current !== which) return;
    focusNext.current = null;
    element.focus();
  };
  const send = (which: 'withdraw' | 'raise', command: () => Promise<boolean>): void => {
    focusNext.current = which;
    void command().then((ok) => {
      if (!ok) focusNext.current = null;
    });
  };
  const place = queuePlace(room, peerId);
  if (peerId !== null && holdsFloor(room, peerId)) return null;
  if (place !== null) {
    return (
      <div className="my-place" role="status">
        <strong data-testid="queue-place" data-place={place}>
          {t('queue.place', { place })}
        </strong>
        <button type="button" className="button small" data-testid="queue-withdraw" ref={focusIfNext('withdraw')} onClick={() => send('raise', () => client.act('queue:withdraw', {}))}>
          {t('queue.withdraw')}
        </button>
      </div>
    );
  }
  const mayRaise = room.queue.open || type === 'order';
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    send('withdraw', () => client.act('queue:raise', { speechType: type, note: note.trim() }));
    setNote('');
  };
  return (
    <form className="raise-form" onSubmit={submit}>
      <label htmlFor={typeId}>{t('queue.type')}</label>
      <select id={typeId} data-testid="queue-type" value={type} onChange={(e) => setType(speechTypeOf(e.target.value))}>
        {SPEECH_TYPES.map((s) => (
          <option key={s} value={s}>
            {t(`queue.types.${s}`)}
          </option>
        ))}
      </select>
      <label htmlFor={noteId}>{t('queue.note')}</label>
      <input
        id={noteId}
        data-testid="queue-note"
        value={note}
        maxLength={200}
        placeholder={t('queue.notePlaceholder')}
        onChange={(e) => setNote(e.target.value)}
      />
      <button type="submit" className="button primary" data-testid="queue-raise" ref={focusIfNext('raise')} disabled={!mayRaise}>
        {t('queue.raise')}
      </button>
    </form>
  );
}

function HostQueueBar({ room, seconds }: { room: RoomState; seconds: number }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const empty = room.queue.entries.length === 0;
  const first = room.queue.entries[0];
  // The venue's speech quota asks too (grantAsk.ts); the override goes only with a confirmed grant.
  const { overrideQuota: overrideNext, ...askNext } =
    first === undefined ? { confirm: null, overrideQuota: false } : grantAsk(t, room, queuedGrant(room, first.participantId), t('queue.confirmGrantNext'));
  return (
    <div className="host-bar" role="group" aria-label={t('queue.title')}>
      <SpeechSecondsSelect room={room} />
      {/* Granting ends the current speech first (room model): while someone speaks, ask. */}
      <ConfirmButton
        className="button primary small"
        data-testid="queue-grant-next"
        disabled={empty}
        {...askNext}
        onConfirm={() => client.act('floor:grant', { target: { kind: 'next' }, seconds, ...(overrideNext ? { overrideQuota: true } : {}) })}
      >
        {t('queue.grantNext')}
      </ConfirmButton>
      <button
        type="button"
        className="button small"
        data-testid="queue-set-open"
        onClick={() => client.act('queue:setOpen', { open: !room.queue.open })}
      >
        {room.queue.open ? t('queue.close') : t('queue.reopen')}
      </button>
      <ConfirmButton
        className="button small"
        data-testid="queue-lower-all"
        disabled={empty}
        confirm={t('queue.confirmLowerAll')}
        onConfirm={() => client.act('queue:lowerAll', {})}
      >
        {t('queue.lowerAll')}
      </ConfirmButton>
    </div>
  );
}

type RowProps = { room: RoomState; entry: QueueEntry; index: number; last: boolean; host: boolean; seconds: number };

function QueueRow({ room, entry, index, last, host, seconds }: RowProps) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const peerId = useRoomSelector((s) => s.peerId);
  const p = room.participants[entry.participantId];
  const name = p?.name ?? entry.participantId;
  const id = entry.participantId;
  const { overrideQuota, ...ask } = grantAsk(t, room, queuedGrant(room, id), t('queue.confirmGrant', { name }));
  return (
    <li
      className={id === peerId ? 'queue-entry mine' : 'queue-entry'}
      data-testid="queue-entry"
      data-participant-id={id}
      data-type={entry.type}
    >
      <div className="queue-who">
        <span className="queue-index" aria-hidden="true">
          {index + 1}
        </span>
        <span className="queue-name">{name}</span>
        {p !== undefined && <span className="muted-text">{venueName(room, p.venue)}</span>}
        <span className={entry.type === 'order' ? 'chip order' : 'chip'}>{t(`queue.types.${entry.type}`)}</span>
        {host && overrideQuota && (
          <span className="chip quota-used" data-testid="queue-quota-used">
            {t('quota.usedUp')}
          </span>
        )}
      </div>
      {entry.note !== '' && <p className="queue-note">{entry.note}</p>}
      {host && (
        <div className="row-actions">
          {!floorHeldBy(room, { kind: 'participant', participantId: id }) && (
            <ConfirmButton
              className="button small"
              data-testid="queue-grant"
              {...ask}
              onConfirm={() => client.act('floor:grant', { target: { kind: 'participant', participantId: id }, seconds, ...(overrideQuota ? { overrideQuota: true } : {}) })}
            >
              {t('queue.grant', { name })}
            </ConfirmButton>
          )}
          <button
            type="button"
            className="button small icon-only"
            data-testid="queue-move-up"
            aria-label={t('queue.moveUp', { name })}
            title={t('queue.moveUp', { name })}
            disabled={index === 0}
            onClick={() => client.act('queue:move', { participantId: id, toIndex: index - 1 })}
          >
            ↑
          </button>
          <button
            type="button"
            className="button small icon-only"
            data-testid="queue-move-down"
            aria-label={t('queue.moveDown', { name })}
            title={t('queue.moveDown', { name })}
            disabled={last}
            onClick={() => client.act('queue:move', { participantId: id, toIndex: index + 1 })}
          >
            ↓
          </button>
          <button
            type="button"
            className="button small icon-only"
            data-testid="queue-remove"
            aria-label={t('queue.remove', { name })}
            title={t('queue.remove', { name })}
            onClick={() => client.act('queue:remove', { participantId: id })}
          >
            ×
          </button>
        </div>
      )}
    </li>
  );
}

function speechTypeOf(value: string): SpeechType {
  return SPEECH_TYPES.find((s) => s === value) ?? 'statement';
}
