/** Issued invites as cards: role, venue, name, the link, its QR code; printable on their own. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IssuedInvite } from '../../net/adminApi.js';
import { inviteQrUrl, type RoomSummary } from '../../net/inviteApi.js';
import { formatDateTime } from '../format.js';

const COPIED_MS = 2_000;

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
                <CopyButton text={invite.url} />
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function CopyButton({ text }: { text: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = window.setTimeout(() => setCopied(false), COPIED_MS);
    return () => window.clearTimeout(timer);
  }, [copied]);
  const copy = (): void => {
    navigator.clipboard
      .writeText(text)
      .then(() => setCopied(true))
      .catch((error: unknown) => console.warn('clipboard unavailable', error));
  };
  return (
    <button type="button" className="button small no-print" onClick={copy}>
      <span aria-live="polite">{copied ? t('admin.copied') : t('admin.copy')}</span>
    </button>
  );
}
