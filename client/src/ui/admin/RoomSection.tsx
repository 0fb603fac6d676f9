/** One consultation as the admin page shows it: its meeting number, its invites (revocable), more invites, comment settings and the cards. */
import { useEffect, useRef } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { formatMeetingNumber } from '../../../../signaling/shortLinks.js';
import type { IssuedInvite } from '../../net/adminApi.js';
import type { AdminContext, OpenedRoom } from './adminContext.js';
import { CommentSettingsForm } from './CommentSettingsForm.js';
import { InviteCards } from './InviteCards.js';
import { InviteList } from './InviteList.js';
import { IssueInvitesForm } from './IssueInvitesForm.js';

/** One consultation: what was just made (in view), its invites, more invites, the cards. */
export function RoomSection({ ctx, room, onChange }: { ctx: AdminContext; room: OpenedRoom; onChange: (room: OpenedRoom) => void }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  const { summary, meetingNumber, invites } = room;
  useEffect(() => {
    // A new or reopened room is below the forms: bring it into view, and focus its heading so a
    // screen reader announces it and the next Tab goes on from there.
    heading.current?.scrollIntoView({ block: 'start' });
    heading.current?.focus({ preventScroll: true });
  }, []);
  const replace = (changed: IssuedInvite): void => onChange({ ...room, invites: invites.map((i) => (i.inviteId === changed.inviteId ? changed : i)) });
  return (
    <section className="admin-room" aria-labelledby="admin-room-heading">
      <h2 id="admin-room-heading" ref={heading} tabIndex={-1} className="no-print" data-testid="admin-room" data-room-id={summary.roomId}>
        {summary.topic} <span className="muted-text">({summary.roomId})</span>
      </h2>
      <p className="no-print meeting-number-line">
        {t('inviteList.meetingNumber')} <strong data-testid="admin-meeting-number">{formatMeetingNumber(meetingNumber)}</strong>
      </p>
      {room.justCreated && (
        <p role="status" className="notice no-print" data-testid="admin-created">
          {t('inviteList.created', { number: formatMeetingNumber(meetingNumber) })}
        </p>
      )}
      <InviteList ctx={ctx} room={summary} invites={invites} onRevoked={replace} />
      <IssueInvitesForm ctx={ctx} room={summary} onIssued={(issued) => onChange({ ...room, invites: [...issued, ...invites], justCreated: false })} />
      <CommentSettingsForm ctx={ctx} room={summary} />
      <InviteCards room={summary} meetingNumber={meetingNumber} invites={invites} />
    </section>
  );
}
