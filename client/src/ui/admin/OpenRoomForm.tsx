/** Opens an existing consultation by id, to issue more invites. */
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomSummary } from '../../net/inviteApi.js';
import type { AdminContext } from './AdminPage.js';

/** The id field and its button. */
export function OpenRoomForm({ ctx, onOpened }: { ctx: AdminContext; onOpened: (room: RoomSummary) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [roomId, setRoomId] = useState('');
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const wanted = roomId.trim();
    if (wanted === '' || ctx.busy) return;
    void ctx.run((api) => api.room(wanted)).then((room) => {
      if (room !== undefined) onOpened(room);
    });
  };
  return (
    <form className="card-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('admin.openRoom')}</h2>
      <label htmlFor={`${id}-room`}>{t('admin.roomId')}</label>
      <input id={`${id}-room`} data-testid="admin-room-id" value={roomId} maxLength={64} spellCheck={false} onChange={(e) => setRoomId(e.target.value)} />
      <button type="submit" className="button" data-testid="admin-open-room" disabled={roomId.trim() === '' || ctx.busy}>
        {t('admin.load')}
      </button>
    </form>
  );
}
