/** A new consultation with the admin key: topic, planned time, venues (主会场 plus districts) and two settings. */
import { useId, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import type { CreatedRoom } from '../../net/adminApi.js';
import type { RoomSummary } from '../../net/inviteApi.js';
import type { AdminContext } from './adminContext.js';
import { RoomFields, useRoomDraft } from './RoomFields.js';

/**
 * The create form; `onCreated` gets the room, its meeting number and the chair's invite. The
 * form empties once the room is made, so a second click cannot make the same room twice.
 */
export function CreateRoomForm({ ctx, onCreated }: { ctx: AdminContext; onCreated: (room: RoomSummary, created: CreatedRoom) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const draft = useRoomDraft();

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (!draft.valid || ctx.busy) return;
    const input = draft.input();
    void ctx
      .run((api) => api.createRoom(input))
      .then((created) => {
        if (created === undefined) return;
        draft.reset();
        onCreated({ roomId: created.roomId, topic: input.topic, startsAt: input.startsAt, endsAt: input.endsAt, venues: input.venues }, created);
      });
  };

  return (
    <form className="card-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('admin.createTitle')}</h2>
      <RoomFields draft={draft} id={id} />
      <button type="submit" className="button primary" data-testid="admin-create-room" disabled={!draft.valid || ctx.busy} aria-busy={ctx.busy}>
        {ctx.busy ? t('admin.working') : t('admin.create')}
      </button>
    </form>
  );
}
