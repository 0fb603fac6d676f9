/** The room's facts in the header: topic, people present, and (for the public) the link to share. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { presentCount } from '../roomSelectors.js';
import { joinLink } from '../routes.js';
import { participantCount } from '../selectors.js';
import { useRoomState } from './context.js';

const COPIED_MS = 2_000;

/** Shown in the header while in the room or its lobby. */
export function RoomHeaderInfo() {
  const { t } = useTranslation();
  const state = useRoomState();
  const room = state.room;
  const count = room === null ? participantCount(state) : presentCount(room);
  const invite = state.invite;
  // Only a public invite is meant to be passed on; personal invites stay personal.
  const shareable = invite.kind === 'ready' && invite.info.invite.role === 'public' ? invite.token : null;
  return (
    <div className="room-info">
      <span data-testid="room-label" className="room-topic">
        {t('room.label', { topic: room?.info.topic ?? state.roomId })}
      </span>
      <span data-testid="participant-count">{t('room.participants', { count })}</span>
      {shareable !== null && <CopyLinkButton token={shareable} />}
    </div>
  );
}

function CopyLinkButton({ token }: { token: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = window.setTimeout(() => setCopied(false), COPIED_MS);
    return () => window.clearTimeout(timer);
  }, [copied]);
  const copy = (): void => {
    navigator.clipboard
      .writeText(joinLink(window.location.origin, token))
      .then(() => setCopied(true))
      .catch((error: unknown) => console.warn('clipboard unavailable', error));
  };
  return (
    <button type="button" className="button ghost" data-testid="copy-link" onClick={copy}>
      <span aria-live="polite">{copied ? t('room.linkCopied') : t('room.copyLink')}</span>
    </button>
  );
}
