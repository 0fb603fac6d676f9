/**
 * Every invite issued for the consultation, newest first, as the server keeps them: reopening
 * the room finds the chair's link again. Each valid invite can be revoked, after a question
 * asked in the row itself.
 */
import { useState } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import type { IssuedInvite } from '../../net/adminApi.js';
import type { RoomSummary } from '../../net/inviteApi.js';
import { CopyButton } from '../CopyButton.js';
import { formatDateTime } from '../format.js';
import type { AdminContext } from './adminContext.js';

/** The table of issued invites. */
export function InviteList({
  ctx,
  room,
  invites,
  onRevoked,
}: {
  ctx: AdminContext;
  room: RoomSummary;
  invites: IssuedInvite[];
  onRevoked: (invite: IssuedInvite) => void;
}) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState<string | null>(null);
  const venueName = (id: string): string => room.venues.find((v) => v.id === id)?.name ?? id;
  const now = Date.now();
  const revoke = (invite: IssuedInvite): void => {
    void ctx.run((api) => api.revoke(room.roomId, invite.inviteId)).then((revoked) => {
      setAsking(null);
      if (revoked !== undefined) onRevoked(revoked);
    });
  };
  return (
    <section className="invite-list no-print" aria-labelledby="invite-list-heading">
      <h2 id="invite-list-heading">{t('inviteList.title')}</h2>
      <p className="field-hint">{t('inviteList.intro')}</p>
      {invites.length === 0 ? (
        <p>{t('inviteList.none')}</p>
      ) : (
        <div className="table-scroll">
          <table data-testid="invite-list">
            <thead>
              <tr>
                <th scope="col">{t('inviteList.role')}</th>
                <th scope="col">{t('inviteList.venue')}</th>
                <th scope="col">{t('inviteList.name')}</th>
                <th scope="col">{t('inviteList.link')}</th>
                <th scope="col">{t('inviteList.issued')}</th>
                <th scope="col">{t('inviteList.status')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {invites.map((invite) => {
                const who = invite.name ?? t(`roles.${invite.role}`);
                const status = invite.revokedAt !== null ? 'revoked' : invite.expiresAt <= now ? 'expired' : 'active';
                return (
                  <tr key={invite.inviteId} data-testid="invite-row" data-role={invite.role} data-status={status} data-code={invite.code}>
                    <td>{t(`roles.${invite.role}`)}</td>
                    <td>{venueName(invite.venue)}</td>
                    <td>{invite.name ?? t('admin.unnamed')}</td>
                    <td>
                      {status === 'active' ? (
                        <>
                          <a className="invite-link" data-testid="invite-short-link" href={invite.shortUrl} target="_blank" rel="noreferrer">
                            {invite.shortUrl}
                          </a>{' '}
                          <CopyButton text={invite.shortUrl} label={t('admin.copy')} copiedLabel={t('admin.copied')} className="button small" />
                        </>
                      ) : (
                        <s className="muted-text">{invite.shortUrl}</s>
                      )}
                    </td>
                    <td>{formatDateTime(invite.issuedAt)}</td>
                    <td data-testid="invite-status">
                      {t(`inviteList.${status}`)}
                      {invite.revokedAt !== null && ` ${formatDateTime(invite.revokedAt)}`}
                    </td>
                    <td>
                      {status === 'active' && asking !== invite.inviteId && (
                        <button type="button" className="button small danger" data-testid="invite-revoke" onClick={() => setAsking(invite.inviteId)}>
                          {t('inviteList.revoke')}
                        </button>
                      )}
                      {status === 'active' && asking === invite.inviteId && (
                        <span className="revoke-question" role="group" aria-label={t('inviteList.revoke')}>
                          <span>{t('inviteList.revokeQuestion', { who })}</span>
                          <button type="button" className="button small danger" data-testid="invite-revoke-confirm" disabled={ctx.busy} onClick={() => revoke(invite)}>
                            {t('inviteList.confirmRevoke')}
                          </button>
                          <button type="button" className="button small ghost" onClick={() => setAsking(null)}>
                            {t('inviteList.cancel')}
                          </button>
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
