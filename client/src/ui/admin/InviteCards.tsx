/**
 * Invite cards to print, one audience at a time: the public poster (a large code, the topic,
 * the time, the meeting number) on a sheet of its own, personal cards of members and venues,
 * and the staff's cards (chair, secretary) apart, so a chair's card is never pinned up in the
 * hall. Members' cards come per venue, as they are handed out. Every card carries the short
 * link's QR code and the meeting's time. Revoked and expired invites are not printed.
 */
import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import { useTranslation } from '../../i18n/useTranslation.js';
import { formatMeetingNumber } from '../../../../signaling/shortLinks.js';
import type { Role } from '../../../../signaling/room/state.js';
import type { IssuedInvite } from '../../net/adminApi.js';
import { inviteQrUrl, type RoomSummary } from '../../net/inviteApi.js';
import { formatRange } from '../format.js';

/** Who a sheet is for. */
type Audience = 'public' | 'members' | 'staff';

const AUDIENCES: readonly Audience[] = ['public', 'members', 'staff'];

function audienceOf(role: Role): Audience {
  if (role === 'public') return 'public';
  if (role === 'host' || role === 'secretary') return 'staff';
  return 'members';
}

/** The cards by audience, each with its own print button; print CSS shows only the chosen audience. */
export function InviteCards({ room, meetingNumber, invites }: { room: RoomSummary; meetingNumber: string; invites: IssuedInvite[] }) {
  const { t } = useTranslation();
  // Null: a print from the browser's own menu prints every audience, each from a new sheet.
  const [printing, setPrinting] = useState<Audience | null>(null);
  useEffect(() => {
    const done = (): void => setPrinting(null);
    window.addEventListener('afterprint', done);
    return () => window.removeEventListener('afterprint', done);
  }, []);
  const now = Date.now();
  const valid = invites.filter((i) => i.revokedAt === null && i.expiresAt > now);
  if (valid.length === 0) return null;
  const time = room.startsAt === null ? t('cards.timeUnknown') : t('cards.time', { time: formatRange(room.startsAt, room.endsAt, '') });
  const print = (audience: Audience): void => {
    // The chosen audience must be on the page before the print dialog takes its picture.
    flushSync(() => setPrinting(audience));
    window.print();
  };
  return (
    <section className="invites" aria-labelledby="invites-heading" data-printing={printing ?? 'all'}>
      <div className="no-print">
        <h2 id="invites-heading">{t('cards.title')}</h2>
        <p className="field-hint">{t('cards.intro')}</p>
      </div>
      {AUDIENCES.map((audience) => {
        const cards = valid.filter((i) => audienceOf(i.role) === audience);
        if (cards.length === 0) return null;
        const label = t(`cards.${audience}`);
        return (
          <div key={audience} className="card-group" data-audience={audience} data-testid={`cards-${audience}`}>
            <div className="venue-head no-print">
              <h3>{label}</h3>
              <button type="button" className="button" data-testid={`print-${audience}`} onClick={() => print(audience)}>
                {t('cards.print', { group: label })}
              </button>
            </div>
            {audience === 'public' ? (
              cards.map((invite) => <Poster key={invite.inviteId} room={room} meetingNumber={meetingNumber} invite={invite} time={time} />)
            ) : (
              byVenue(cards, room).map(([venue, venueCards]) => (
                <div key={venue} className="venue-cards" data-testid="venue-cards" data-venue={venue}>
                  {audience === 'members' && room.venues.length > 1 && <h4>{room.venues.find((v) => v.id === venue)?.name ?? venue}</h4>}
                  <ul className="qr-cards">
                    {venueCards.map((invite) => (
                      <PersonalCard key={invite.inviteId} room={room} invite={invite} time={time} />
                    ))}
                  </ul>
                </div>
              ))
            )}
          </div>
        );
      })}
    </section>
  );
}

/** Cards by venue, in the room's order of venues (members' cards are handed out per venue). */
function byVenue(cards: IssuedInvite[], room: RoomSummary): Array<[string, IssuedInvite[]]> {
  const order = room.venues.map((v) => v.id);
  const venues = [...new Set(cards.map((c) => c.venue))].sort((a, b) => rank(order, a) - rank(order, b));
  return venues.map((venue) => [venue, cards.filter((c) => c.venue === venue)]);
}

function rank(order: string[], venue: string): number {
  const index = order.indexOf(venue);
  return index === -1 ? order.length : index;
}

/** The public poster: one per sheet, to pin up in a hall and scan from a few metres. */
function Poster({ room, meetingNumber, invite, time }: { room: RoomSummary; meetingNumber: string; invite: IssuedInvite; time: string }) {
  const { t } = useTranslation();
  return (
    <article className="poster" data-testid="poster">
      <p className="poster-topic">{room.topic}</p>
      <p className="poster-time">{time}</p>
      <p className="poster-scan">{t('cards.scan')}</p>
      <img className="poster-qr" src={inviteQrUrl(invite.token)} alt={t('admin.qrAlt', { name: t('roles.public') })} width={320} height={320} />
      <p className="poster-hint">{t('cards.scanHint')}</p>
      <p className="poster-number" data-testid="poster-meeting-number">
        {t('cards.meetingNumber', { number: formatMeetingNumber(meetingNumber) })}
      </p>
      <p className="poster-site">{t('cards.numberHint', { site: window.location.host })}</p>
      <p className="poster-link">{invite.shortUrl}</p>
    </article>
  );
}

/** A card for one person or one venue terminal. */
function PersonalCard({ room, invite, time }: { room: RoomSummary; invite: IssuedInvite; time: string }) {
  const { t } = useTranslation();
  const venue = room.venues.find((v) => v.id === invite.venue)?.name ?? invite.venue;
  const who = invite.name ?? t('admin.unnamed');
  return (
    <li className="qr-card" data-testid="invite-card" data-role={invite.role}>
      <img src={inviteQrUrl(invite.token)} alt={t('admin.qrAlt', { name: who })} width={180} height={180} />
      <div className="qr-text">
        <strong className="card-topic">{room.topic}</strong>
        <span>{time}</span>
        <strong>
          {t(`roles.${invite.role}`)} · {venue}
        </strong>
        <span>{who}</span>
        {invite.sector !== '' && <span>{invite.sector}</span>}
        <span className="card-scan">{t('cards.scanHint')}</span>
        <span className="card-link">{invite.shortUrl}</span>
        <span className="field-hint">{t('cards.personal')}</span>
      </div>
    </li>
  );
}
