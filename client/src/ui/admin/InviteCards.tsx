/** Issued invites as cards: role, venue, name, the link, its QR code; printable on their own. */
import { useTranslation } from 'react-i18next';
import type { IssuedInvite } from '../../net/adminApi.js';
import { inviteQrUrl, type RoomSummary } from '../../net/inviteApi.js';
import { CopyButton } from '../CopyButton.js';
import { formatDateTime } from '../format.js';


/** The cards and the print button; print CSS shows only the cards. */
export function InviteCards({ room, invites }: { room: RoomSummary; invites: IssuedInvite[] }) {
  const { t } = useTranslation();
  if (invites.length === 0) return null;
  const venueName = (id: string): string => room.venues.find((v) => v.id === id)?.name ?? id;
  return (
    <section className="invites" aria-labelledby="invites-heading">
      <div className="venue-head no-print">
        <h2 id="invites-heading">{t('admin.invites')}</h2>
        <button type="button" className="button" data-testid="admin-print" onClick={() => window.print()}>
          {t('admin.print')}
        </button>
      </div>
      <p className="print-only print-title">{room.topic}</p>
      <ul className="qr-cards" data-testid="invite-cards">
        {invites.map((invite) => {
          const who = invite.name ?? t('admin.unnamed');
          return (
            <li key={invite.token} className="qr-card" data-testid="invite-card" data-role={invite.role}>
              <img src={inviteQrUrl(invite.token)} alt={t('admin.qrAlt', { name: who })} width={180} height={180} />
              <div className="qr-text">
                <strong>{t(`roles.${invite.role}`)}</strong>
                <span>{venueName(invite.venue)}</span>
                <span>{who}</span>
                <span className="field-hint">{t('admin.expires', { time: formatDateTime(invite.expiresAt) })}</span>
                <a className="invite-link no-print" data-testid="invite-link" href={invite.url} target="_blank" rel="noreferrer">
                  {invite.url}
                </a>
                <CopyInviteButton text={invite.url} />
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function CopyInviteButton({ text }: { text: string }) {
  const { t } = useTranslation();
  return <CopyButton text={text} label={t('admin.copy')} copiedLabel={t('admin.copied')} className="button small no-print" />;
}
