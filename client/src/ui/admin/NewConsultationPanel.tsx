/**
 * 新建会议 from the roster: the consultation's fields, the venues (the roster's own among
 * them at a click) and the members to invite; once made, every personal invite at once, as
 * QR cards per venue and as a list of links (invites.csv) for the office's own messaging.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { formatMeetingNumber } from '../../../../signaling/shortLinks.js';
import { createConsultation, invitesCsvUrl, roster as readRoster, type CreatedConsultation, type RosterMember } from '../../net/orgApi.js';
import type { RoomSummary } from '../../net/inviteApi.js';
import { InviteCards } from './InviteCards.js';
import { MemberPicker } from './MemberPicker.js';
import type { OrgContext } from './orgContext.js';
import { RoomFields, useRoomDraft } from './RoomFields.js';

type Made = { summary: RoomSummary; created: CreatedConsultation };

/** The form, and what it made. */
export function NewConsultationPanel({ ctx }: { ctx: OrgContext }) {
  const [made, setMade] = useState<Made | null>(null);
  if (made !== null) return <CreatedConsultationView made={made} onAnother={() => setMade(null)} />;
  return <NewConsultationForm ctx={ctx} onCreated={setMade} />;
}

function NewConsultationForm({ ctx, onCreated }: { ctx: OrgContext; onCreated: (made: Made) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const draft = useRoomDraft();
  const [members, setMembers] = useState<RosterMember[]>([]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [defaultVenue, setDefaultVenue] = useState('');
  const orgId = ctx.org.orgId;
  useEffect(() => {
    void ctx.run(() => readRoster(orgId)).then((read) => read !== undefined && setMembers(read));
  }, [orgId]);
  const venueIds = draft.venueList.map((v) => v.id);
  const fallback = venueIds.includes(defaultVenue) ? defaultVenue : (venueIds[0] ?? '');
  const rosterVenues = [...new Set(members.map((m) => m.venue))].filter((v) => v !== '' && !venueIds.includes(v));

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (!draft.valid || ctx.busy) return;
    const room = draft.input();
    const memberIds = members.filter((m) => selected.has(m.memberId)).map((m) => m.memberId);
    void ctx.run(() => createConsultation(orgId, { room, memberIds, defaultVenue: fallback })).then((created) => {
      if (created === undefined) return;
      onCreated({ created, summary: { roomId: created.roomId, topic: room.topic, startsAt: room.startsAt, endsAt: room.endsAt, venues: room.venues } });
    });
  };

  return (
    <form className="card-form" onSubmit={submit} aria-labelledby={`${id}-title`} data-testid="new-consultation">
      <h2 id={`${id}-title`}>{t('orgAdmin.create.title')}</h2>
      <RoomFields draft={draft} id={id} />
      {rosterVenues.length > 0 && (
        <button type="button" className="button small" data-testid="add-roster-venues" onClick={() => rosterVenues.forEach((v) => draft.addVenue(v, v))}>
          {t('orgAdmin.create.rosterVenues', { venues: rosterVenues.join(t('orgAdmin.create.separator')) })}
        </button>
      )}
      <label htmlFor={`${id}-default-venue`}>{t('orgAdmin.create.defaultVenue')}</label>
      <select id={`${id}-default-venue`} className="new-consultation-venue" data-testid="default-venue" value={fallback} onChange={(e) => setDefaultVenue(e.target.value)}>
        {draft.venueList.map((v) => (
          <option key={v.id} value={v.id}>
            {v.name || v.id}
          </option>
        ))}
      </select>
      <MemberPicker roster={members} selected={selected} onChange={setSelected} />
      <button type="submit" className="button primary" data-testid="create-consultation" disabled={!draft.valid || ctx.busy} aria-busy={ctx.busy}>
        {ctx.busy ? t('admin.working') : t('orgAdmin.create.submit')}
      </button>
    </form>
  );
}

function CreatedConsultationView({ made, onAnother }: { made: Made; onAnother: () => void }) {
  const { t } = useTranslation();
  const { summary, created } = made;
  return (
    <section className="admin-room" data-testid="created-consultation" data-room-id={created.roomId}>
      <h2 className="no-print">{summary.topic}</h2>
      <p role="status" className="notice no-print" data-testid="created-consultation-status">
        {t('orgAdmin.create.created', { number: formatMeetingNumber(created.meetingNumber), count: created.invites.length })}
      </p>
      <p className="no-print button-row">
        <a className="button" href={invitesCsvUrl(created.roomId)} download data-testid="export-invites">
          {t('orgAdmin.create.exportLinks')}
        </a>
        <button type="button" className="button ghost" onClick={onAnother}>
          {t('orgAdmin.create.another')}
        </button>
      </p>
      <InviteCards room={summary} meetingNumber={created.meetingNumber} invites={[created.hostInvite, ...created.invites]} />
    </section>
  );
}
