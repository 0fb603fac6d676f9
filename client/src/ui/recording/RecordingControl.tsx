/**
 * The host's 录制 / 停止录制 in the meeting's control bar, beside the microphone and camera,
 * where a chair used to 腾讯会议 looks for it. Starting is one click (everybody sees 录制中 at
 * once); stopping asks first, since what is said after it is lost to the record for good. A
 * refusal is shown as any refused command is (RoomClient.act → the room's alert).
 */
import { useState } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import type { RoomState } from '../../../../signaling/room/state.js';
import { canIssue } from '../../roomSelectors.js';
import { useRoomClient, useRoomState } from '../context.js';
import { ConfirmDialog } from '../Dialog.js';

/** The control bar's button; nothing for a role that may not record, or once the meeting has ended. */
export function RecordingControl({ room }: { room: RoomState }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const state = useRoomState();
  const [asking, setAsking] = useState(false);
  if (room.ended || !canIssue(state, room.recording.on ? 'recording:stop' : 'recording:start')) return null;
  if (!room.recording.on) {
    return (
      <button type="button" className="button control" data-testid="recording-start" data-state="off" onClick={() => void client.act('recording:start', {})}>
        <RecordIcon recording={false} />
        <span className="control-label">{t('recording.start')}</span>
      </button>
    );
  }
  return (
    <>
      <button
        type="button"
        className="button control active"
        data-testid="recording-stop"
        data-state="on"
        aria-haspopup="dialog"
        onClick={() => setAsking(true)}
      >
        <RecordIcon recording />
        <span className="control-label">{t('recording.stop')}</span>
      </button>
      {asking && (
        <ConfirmDialog
          data-testid="recording-stop-dialog"
          question={t('recording.stopConfirm')}
          confirmLabel={t('recording.stop')}
          danger
          onCancel={() => setAsking(false)}
          onConfirm={() => {
            setAsking(false);
            void client.act('recording:stop', {});
          }}
        />
      )}
    </>
  );
}

/**
 * A red dot to start, a red square to stop, as in the meeting apps people know; sized like the
 * bar's line icons (ui/icons.tsx) so the button lines up with its neighbours. Decorative: the
 * button's word says what it does.
 */
function RecordIcon({ recording }: { recording: boolean }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
      <circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" strokeWidth="2" />
      {/* A style, not the fill attribute: presentation attributes do not read CSS variables. */}
      {recording ? (
        <rect x="8.5" y="8.5" width="7" height="7" rx="1" style={{ fill: 'var(--danger)' }} />
      ) : (
        <circle cx="12" cy="12" r="5" style={{ fill: 'var(--danger)' }} />
      )}
    </svg>
  );
}
