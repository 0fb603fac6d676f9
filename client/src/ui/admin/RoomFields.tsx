/**
 * A consultation's fields (topic, planned time, venues: 主会场 plus districts, two settings),
 * shared by the form that creates one with the admin key and the one that creates one from
 * the roster. `useRoomDraft` holds what was typed; `RoomFields` shows it.
 */
import { useState } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import type { CreateRoomInput } from '../../net/adminApi.js';

type VenueRow = { key: number; id: string; name: string; expected: string };

const VENUE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** What was typed, and what to do with it. */
export type RoomDraft = ReturnType<typeof useRoomDraft>;

/** The draft of a new consultation. */
export function useRoomDraft() {
  const { t } = useTranslation();
  const [topic, setTopic] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const [endsAt, setEndsAt] = useState('');
  const firstVenues = (): VenueRow[] => [{ key: 0, id: 'city', name: t('admin.cityVenue'), expected: '0' }];
  const [venues, setVenues] = useState<VenueRow[]>(firstVenues);
  const [open, setOpen] = useState(false);
  const [floorOnly, setFloorOnly] = useState(true);
  const ids = venues.map((v) => v.id.trim());
  const idsOk = ids.every((v) => VENUE_ID.test(v)) && new Set(ids).size === ids.length;
  const nextKey = (rows: VenueRow[]): number => Math.max(...rows.map((r) => r.key)) + 1;
  return {
    topic, setTopic, startsAt, setStartsAt, endsAt, setEndsAt, venues, setVenues, open, setOpen, floorOnly, setFloorOnly,
    valid: topic.trim() !== '' && idsOk && venues.every((v) => v.name.trim() !== ''),
    /** The venues as they will be made (ids trimmed). */
    venueList: venues.map((v) => ({ id: v.id.trim(), name: v.name.trim() })),
    patch(key: number, change: Partial<VenueRow>): void {
      setVenues((rows) => rows.map((row) => (row.key === key ? { ...row, ...change } : row)));
    },
    addVenue(id?: string, name = ''): void {
      setVenues((rows) => [...rows, { key: nextKey(rows), id: id ?? `district-${rows.length}`, name, expected: '0' }]);
    },
    removeVenue(key: number): void {
      setVenues((rows) => rows.filter((row) => row.key !== key));
    },
    reset(): void {
      setTopic('');
      setStartsAt('');
      setEndsAt('');
      setVenues(firstVenues());
      setOpen(false);
      setFloorOnly(true);
    },
    /** What the API takes. */
    input(): CreateRoomInput & { topic: string; startsAt: number | null; endsAt: number | null; venues: Array<{ id: string; name: string; expectedMembers: number }> } {
      return {
        topic: topic.trim(),
        startsAt: toEpoch(startsAt),
        endsAt: toEpoch(endsAt),
        venues: venues.map((v) => ({ id: v.id.trim(), name: v.name.trim(), expectedMembers: Math.max(0, Math.floor(Number(v.expected) || 0)) })),
        settings: { open, floorOnly },
      };
    },
  };
}

/** The fields of `draft`; `id` prefixes the inputs' ids. */
export function RoomFields({ draft, id }: { draft: RoomDraft; id: string }) {
  const { t } = useTranslation();
  return (
    <>
      <label htmlFor={`${id}-topic`}>{t('admin.topic')}</label>
      <input id={`${id}-topic`} data-testid="admin-topic" required maxLength={200} value={draft.topic} onChange={(e) => draft.setTopic(e.target.value)} />
      <div className="two-fields">
        <span>
          <label htmlFor={`${id}-start`}>{t('admin.startsAt')}</label>
          <input id={`${id}-start`} type="datetime-local" value={draft.startsAt} onChange={(e) => draft.setStartsAt(e.target.value)} />
        </span>
        <span>
          <label htmlFor={`${id}-end`}>{t('admin.endsAt')}</label>
          <input id={`${id}-end`} type="datetime-local" value={draft.endsAt} onChange={(e) => draft.setEndsAt(e.target.value)} />
        </span>
      </div>
      <fieldset className="venues-fieldset">
        <legend>{t('admin.venues')}</legend>
        <div className="venue-row head" aria-hidden="true">
          <span>{t('admin.venueId')}</span>
          <span>{t('admin.venueName')}</span>
          <span>{t('admin.expectedMembers')}</span>
        </div>
        {draft.venues.map((v, index) => (
          <div className="venue-row" key={v.key} data-testid="admin-venue-row">
            <input
              aria-label={t('admin.venueId')}
              placeholder={t('admin.venueId')}
              data-testid="admin-venue-id"
              value={v.id}
              readOnly={index === 0}
              aria-invalid={!VENUE_ID.test(v.id.trim())}
              onChange={(e) => draft.patch(v.key, { id: e.target.value })}
            />
            <input
              aria-label={t('admin.venueName')}
              placeholder={t('admin.venueName')}
              data-testid="admin-venue-name"
              value={v.name}
              maxLength={64}
              onChange={(e) => draft.patch(v.key, { name: e.target.value })}
            />
            <input
              aria-label={t('admin.expectedMembers')}
              title={t('admin.expectedMembers')}
              data-testid="admin-venue-expected"
              type="number"
              min={0}
              max={10000}
              value={v.expected}
              onChange={(e) => draft.patch(v.key, { expected: e.target.value })}
            />
            {index > 0 && (
              <button
                type="button"
                className="button small icon-only"
                aria-label={t('admin.removeVenue', { name: v.name || v.id })}
                title={t('admin.removeVenue', { name: v.name || v.id })}
                onClick={() => draft.removeVenue(v.key)}
              >
                ×
              </button>
            )}
          </div>
        ))}
        <button type="button" className="button small" data-testid="admin-add-venue" onClick={() => draft.addVenue()}>
          {t('admin.addVenue')}
        </button>
      </fieldset>
      <fieldset>
        <legend>{t('admin.settings')}</legend>
        <label className="check">
          <input type="checkbox" data-testid="admin-open" checked={draft.open} onChange={(e) => draft.setOpen(e.target.checked)} />
          {t('admin.open')}
        </label>
        <label className="check">
          <input type="checkbox" data-testid="admin-floor-only" checked={draft.floorOnly} onChange={(e) => draft.setFloorOnly(e.target.checked)} />
          {t('admin.floorOnly')}
        </label>
      </fieldset>
    </>
  );
}

function toEpoch(local: string): number | null {
  if (local === '') return null;
  const ms = new Date(local).getTime();
  return Number.isFinite(ms) ? ms : null;
}
