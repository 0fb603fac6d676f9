/** Issues invites for one role and venue: optional sector and name, and how many. */
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { ROLES, type Role } from '../../../../signaling/room/state.js';
import type { IssuedInvite } from '../../net/adminApi.js';
import type { RoomSummary } from '../../net/inviteApi.js';
import type { AdminContext } from './adminContext.js';

/** The form; `onIssued` gets the new invites. */
export function IssueInvitesForm({ ctx, room, onIssued }: { ctx: AdminContext; room: RoomSummary; onIssued: (invites: IssuedInvite[]) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [role, setRole] = useState<Role>('member');
  const [venue, setVenue] = useState(room.venues[0]?.id ?? '');
  const [sector, setSector] = useState('');
  const [name, setName] = useState('');
  const [count, setCount] = useState(1);
  const named = name.trim() !== '';
  const venueKnown = room.venues.some((v) => v.id === venue);

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (ctx.busy || !venueKnown) return;
    const input = { role, venue, sector: sector.trim(), count: named ? 1 : count, ...(named ? { name: name.trim() } : {}) };
    void ctx.run((api) => api.issueInvites(room.roomId, input)).then((issued) => {
      if (issued === undefined) return;
      onIssued(issued);
      setName('');
    });
  };

  return (
    <form className="card-form no-print" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('admin.issueTitle')}</h2>
      <div className="two-fields">
        <span>
          <label htmlFor={`${id}-role`}>{t('admin.role')}</label>
          <select id={`${id}-role`} data-testid="admin-invite-role" value={role} onChange={(e) => setRole(ROLES.find((r) => r === e.target.value) ?? 'member')}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </select>
        </span>
        <span>
          <label htmlFor={`${id}-venue`}>{t('admin.venue')}</label>
          <select id={`${id}-venue`} data-testid="admin-invite-venue" value={venue} onChange={(e) => setVenue(e.target.value)}>
            {room.venues.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </select>
        </span>
      </div>
      <label htmlFor={`${id}-sector`}>{t('admin.sector')}</label>
      <input id={`${id}-sector`} data-testid="admin-invite-sector" maxLength={64} value={sector} onChange={(e) => setSector(e.target.value)} />
      <label htmlFor={`${id}-name`}>{t('admin.name')}</label>
      <input id={`${id}-name`} data-testid="admin-invite-name" maxLength={64} value={name} onChange={(e) => setName(e.target.value)} />
      <label htmlFor={`${id}-count`}>{t('admin.count')}</label>
      <input
        id={`${id}-count`}
        data-testid="admin-invite-count"
        type="number"
        min={1}
        max={500}
        value={named ? 1 : count}
        disabled={named}
        onChange={(e) => setCount(Math.min(500, Math.max(1, Math.floor(Number(e.target.value) || 1))))}
      />
      <button type="submit" className="button primary" data-testid="admin-issue-invite" disabled={ctx.busy || !venueKnown} aria-busy={ctx.busy}>
        {ctx.busy ? t('admin.working') : t('admin.issue')}
      </button>
    </form>
  );
}
