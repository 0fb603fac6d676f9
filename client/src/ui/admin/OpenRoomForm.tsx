/** Reopens a consultation: one of the recent ones, or any by its id. */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { formatMeetingNumber } from '../../../../signaling/shortLinks.js';
import type { ListedRoom } from '../../net/adminApi.js';
import { formatDateTime } from '../format.js';
import { loadRoom, type AdminContext, type OpenedRoom } from './adminContext.js';

/** The recent consultations, the id field and its button. */
export function OpenRoomForm({
  ctx,
  current,
  onOpened,
}: {
  ctx: AdminContext;
  /** The room shown now: listed again after it was created. */
  current: string | null;
  onOpened: (room: Omit<OpenedRoom, 'justCreated'>) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [roomId, setRoomId] = useState('');
  const [recent, setRecent] = useState<ListedRoom[] | null>(null);
  const { api } = ctx;
  useEffect(() => {
    let live = true;
    api.rooms().then(
      (rooms) => {
        if (live) setRecent(rooms);
      },
      (error: unknown) => console.warn('could not list the recent rooms', error),
    );
    return () => {
      live = false;
    };
    // The list is read again when another room is shown (a new one appears in it).
  }, [current]);

  const open = (wanted: string): void => {
    if (wanted === '' || ctx.busy) return;
    void ctx.run((a) => loadRoom(a, wanted)).then((room) => {
      if (room !== undefined) onOpened(room);
    });
  };
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    open(roomId.trim());
  };
  return (
    <form className="card-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('admin.openRoom')}</h2>
      <h3 className="field-label">{t('inviteList.recentRooms')}</h3>
      {recent !== null && recent.length === 0 && <p className="field-hint">{t('inviteList.noRooms')}</p>}
      {recent !== null && recent.length > 0 && (
        <ul className="recent-rooms" data-testid="admin-recent-rooms">
          {recent.slice(0, 8).map((r) => (
            <li key={r.roomId}>
              <button type="button" className="button ghost small" data-testid="admin-recent-room" data-room-id={r.roomId} disabled={ctx.busy} onClick={() => open(r.roomId)}>
                {t('inviteList.open')}
              </button>
              <span className="recent-topic">{r.topic}</span>
              <span className="field-hint">
                {formatMeetingNumber(r.meetingNumber)}
                {r.startsAt !== null && ` · ${formatDateTime(r.startsAt)}`}
              </span>
            </li>
          ))}
        </ul>
      )}
      <label htmlFor={`${id}-room`}>{t('admin.roomId')}</label>
      <input id={`${id}-room`} data-testid="admin-room-id" value={roomId} maxLength={64} spellCheck={false} onChange={(e) => setRoomId(e.target.value)} />
      <button type="submit" className="button" data-testid="admin-open-room" disabled={roomId.trim() === '' || ctx.busy}>
        {t('admin.load')}
      </button>
    </form>
  );
}
