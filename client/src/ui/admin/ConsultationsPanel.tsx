/**
 * 会议列表: the organisation's consultations, upcoming, running (with who is online now) and
 * ended (with where their minutes stand), searched by topic and planned date; one opened shows
 * its invites and cards below.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { CONSULTATION_STATUSES } from '../../../../signaling/http/orgs.js';
import { formatMeetingNumber } from '../../../../signaling/shortLinks.js';
import { consultations, type ConsultationSearch, type ListedConsultation } from '../../net/orgApi.js';
import { formatDateTime } from '../format.js';
import { loadRoom, type OpenedRoom } from './adminContext.js';
import { adminContextOf, dayEnd, dayStart, type OrgContext } from './orgContext.js';
import { RoomSection } from './RoomSection.js';

/** The list, its search and the consultation opened. */
export function ConsultationsPanel({ ctx }: { ctx: OrgContext }) {
  const { t } = useTranslation();
  const id = useId();
  const [q, setQ] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [search, setSearch] = useState<ConsultationSearch>({});
  const [list, setList] = useState<ListedConsultation[] | null>(null);
  const [room, setRoom] = useState<OpenedRoom | null>(null);
  const orgId = ctx.org.orgId;
  useEffect(() => {
    let live = true;
    void ctx.run(() => consultations({ orgId, ...search })).then((found) => {
      if (live && found !== undefined) setList(found);
    });
    return () => {
      live = false;
    };
  }, [orgId, search]);

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    setSearch({ q: q.trim() || undefined, from: dayStart(from), to: dayEnd(to) });
  };
  const clear = (): void => {
    setQ('');
    setFrom('');
    setTo('');
    setSearch({});
  };
  const admin = adminContextOf(ctx);
  const open = (roomId: string): void => {
    void admin.run((api) => loadRoom(api, roomId)).then((loaded) => loaded !== undefined && setRoom({ ...loaded, justCreated: false }));
  };

  return (
    <section className="org-panel" aria-labelledby={`${id}-title`} data-testid="consultations-panel">
      <h2 id={`${id}-title`} className="visually-hidden">
        {t('orgAdmin.tabs.consultations')}
      </h2>
      <form className="search-row no-print" onSubmit={submit} role="search">
        <label>
          {t('orgAdmin.list.search')}
          <input type="search" data-testid="consultations-q" value={q} maxLength={100} onChange={(e) => setQ(e.target.value)} />
        </label>
        <label>
          {t('orgAdmin.list.from')}
          <input type="date" data-testid="consultations-from" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          {t('orgAdmin.list.to')}
          <input type="date" data-testid="consultations-to" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <button type="submit" className="button" data-testid="consultations-search">
          {t('orgAdmin.list.apply')}
        </button>
        <button type="button" className="button ghost" onClick={clear}>
          {t('orgAdmin.list.clear')}
        </button>
      </form>
      {list === null ? (
        <p className="field-hint">{t('orgAdmin.list.loading')}</p>
      ) : (
        CONSULTATION_STATUSES.map((status) => (
          <StatusGroup key={status} title={t(`orgAdmin.list.${status}`)} status={status} items={list.filter((c) => c.status === status)} onOpen={open} busy={ctx.busy} />
        ))
      )}
      {room !== null && <RoomSection key={room.summary.roomId} ctx={admin} room={room} onChange={setRoom} />}
    </section>
  );
}

function StatusGroup({ title, status, items, onOpen, busy }: { title: string; status: string; items: ListedConsultation[]; onOpen: (roomId: string) => void; busy: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="consultation-group no-print" data-testid={`consultations-${status}`}>
      <h3>
        {title} <span className="muted-text">({items.length})</span>
      </h3>
      {items.length === 0 ? (
        <p className="field-hint">{t('orgAdmin.list.none')}</p>
      ) : (
        <ul className="consultation-list">
          {items.map((c) => (
            <li key={c.roomId} data-testid="consultation" data-room-id={c.roomId} data-status={c.status}>
              <span className="recent-topic">{c.topic}</span>
              <span className="field-hint">
                {formatMeetingNumber(c.meetingNumber)} · {c.startsAt === null ? t('orgAdmin.list.noTime') : formatDateTime(c.startsAt)} ·{' '}
                {t('orgAdmin.list.invited', { count: c.invited })}
                {c.orgName !== null && ` · ${c.orgName}`}
              </span>
              {c.live !== null && (
                <span className="live-count" data-testid="consultation-live">
                  {t('orgAdmin.list.live', { online: c.live.online, members: c.live.members })}
                </span>
              )}
              {c.status === 'ended' && (
                <span className="minutes-status" data-testid="consultation-minutes" data-minutes={c.minutes}>
                  {t(`orgAdmin.list.minutes.${c.minutes}`)}
                </span>
              )}
              <button type="button" className="button small" data-testid="consultation-open" disabled={busy} onClick={() => onOpen(c.roomId)}>
                {t('orgAdmin.list.open')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
