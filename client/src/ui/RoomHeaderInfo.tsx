/** The room's facts in the header: 录制中 while recorded, topic, people present, and (for the public) the link to share. */
import { useTranslation } from '../i18n/useTranslation.js';
import { presentCount } from '../roomSelectors.js';
import { joinLink } from '../routes.js';
import { participantCount } from '../tileSelectors.js';
import { useRoomState } from './context.js';
import { CopyButton } from './CopyButton.js';
import { RecordingMark } from './recording/RecordingMark.js';


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
      {room?.recording.on === true && <RecordingMark />}
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
  return (
    <CopyButton
      text={joinLink(window.location.origin, token)}
      label={t('room.copyLink')}
      copiedLabel={t('room.linkCopied')}
      className="button ghost"
      testId="copy-link"
    />
  );
}
