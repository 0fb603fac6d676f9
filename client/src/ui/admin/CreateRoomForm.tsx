/** A new consultation: topic, planned time, venues (主会场 plus districts) and two settings. */
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreatedRoom } from '../../net/adminApi.js';
import type { RoomSummary } from '../../net/inviteApi.js';
import type { AdminContext } from './adminContext.js';

type VenueRow = { key: number; id: string; name: string; expected: string };

const VENUE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The create form; `onCreated` gets the room, its meeting number and the chair's invite. The
 * form empties once the room is made, so a second click cannot make the same room twice.
 */
export function CreateRoomForm({ ctx, onCreated }: { ctx: AdminContext; onCreated: (room: RoomSummary, created: CreatedRoom) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [topic, setTopic] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const [endsAt, setEndsAt] = useState('');
  const firstVenues = (): VenueRow[] => [{ key: 0, id: 'city', name: t('admin.cityVenue'), expected: '0' }];
  const [venues, setVenues] = useState<VenueRow[]>(firstVenues);
  const [open, setOpen] = useState(false);
  const [floorOnly, setFloorOnly] = useState(true);
  const reset = (): void => {
    setTopic('');
    setStartsAt('');
    setEndsAt('');
    setVenues(firstVenues());
    setOpen(false);
    setFloorOnly(true);
  };

  const ids = venues.map((v) => v.id.trim());
  const idsOk = ids.every((v) => VENUE_ID.test(v)) && new Set(ids).size === ids.length;
  const valid = topic.trim() !== '' && idsOk && venues.every((v) => v.name.trim() !== '');

  const patch = (key: number, change: Partial<VenueRow>): void =>
    setVenues((rows) => rows.map((row) => (row.key === key ? { ...row, ...change } : row)));
  const addVenue = (): void =>
    setVenues((rows) => {
      const n = rows.length;
      return [...rows, { key: Math.max(...rows.map((r) => r.key)) + 1, id: `district-${n}`, name: '', expected: '0' }];
    });

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (!valid || ctx.busy) return;
    const input = {
      topic: topic.trim(),
      startsAt: toEpoch(startsAt),
      endsAt: toEpoch(endsAt),
      venues: venues.map((v) => ({ id: v.id.trim(), name: v.name.trim(), expectedMembers: Math.max(0, Math.floor(Number(v.expected) || 0)) })),
      settings: { open, floorOnly },
    };
    void ctx
      .run((api) => api.createRoom(input))
      .then((created) => {
        if (created === undefined) return;
        reset();
        onCreated({ roomId: created.roomId, topic: input.topic, startsAt: input.startsAt, endsAt: input.endsAt, venues: input.venues }, created);
      });
  };

  return (
    <form className="card-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('admin.createTitle')}</h2>
      <label htmlFor={`${id}-topic`}>{t('admin.topic')}</label>
      <input id={`${id}-topic`} data-testid="admin-topic" required maxLength={200} value={topic} onChange={(e) => setTopic(e.target.value)} />
      <div className="two-fields">
        <span>
          <label htmlFor={`${id}-start`}>{t('admin.startsAt')}</label>
          <input id={`${id}-start`} type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} />
        </span>
        <span>
          <label htmlFor={`${id}-end`}>{t('admin.endsAt')}</label>
          <input id={`${id}-end`} type="datetime-local" value={endsAt} onChange={(e) => setEndsAt(e.target.value)} />
        </span>
      </div>
      <fieldset className="venues-fieldset">
        <legend>{t('admin.venues')}</legend>
        <div className="venue-row head" aria-hidden="true">
          <span>{t('admin.venueId')}</span>
          <span>{t('admin.venueName')}</span>
          <span>{t('admin.expectedMembers')}</span>
        </div>
        {venues.map((v, index) => (
          <div className="venue-row" key={v.key} data-testid="admin-venue-row">
            <input
              aria-label={t('admin.venueId')}
              placeholder={t('admin.venueId')}
              data-testid="admin-venue-id"
              value={v.id}
              readOnly={index === 0}
              aria-invalid={!VENUE_ID.test(v.id.trim())}
              onChange={(e) => patch(v.key, { id: e.target.value })}
            />
            <input
              aria-label={t('admin.venueName')}
              placeholder={t('admin.venueName')}
              data-testid="admin-venue-name"
              value={v.name}
              maxLength={64}
              onChange={(e) => patch(v.key, { name: e.target.value })}
            />
            <input
              aria-label={t('admin.expectedMembers')}
              title={t('admin.expectedMembers')}
              data-testid="admin-venue-expected"
              type="number"
              min={0}
              max={10000}
              value={v.expected}
              onChange={(e) => patch(v.key, { expected: e.target.value })}
            />
            {index > 0 && (
              <button
                type="button"
                className="button small icon-only"
                aria-label={t('admin.removeVenue', { name: v.name || v.id })}
                title={t('admin.removeVenue', { name: v.name || v.id })}
                onClick={() => setVenues((rows) => rows.filter((row) => row.key !== v.key))}
              >
                ×
              </button>
            )}
          </div>
        ))}
        <button type="button" className="button small" data-testid="admin-add-venue" onClick={addVenue}>
          {t('admin.addVenue')}
        </button>
      </fieldset>
      <fieldset>
        <legend>{t('admin.settings')}</legend>
        <label className="check">
          <input type="checkbox" data-testid="admin-open" checked={open} onChange={(e) => setOpen(e.target.checked)} />
          {t('admin.open')}
        </label>
        <label className="check">
          <input type="checkbox" data-testid="admin-floor-only" checked={floorOnly} onChange={(e) => setFloorOnly(e.target.checked)} />
          {t('admin.floorOnly')}
        </label>
      </fieldset>
      <button type="submit" className="button primary" data-testid="admin-create-room" disabled={!valid || ctx.busy} aria-busy={ctx.busy}>
        {ctx.busy ? t('admin.working') : t('admin.create')}
      </button>
    </form>
  );
}

function toEpoch(local: string): number | null {
  if (local === '') return null;
  const ms = new Date(local).getTime();
  return Number.isFinite(ms) ? ms : null;
}
