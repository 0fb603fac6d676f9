/**
 * The host's 开始录制 / 停止录制. Starting is one click (everybody sees 录制中 at once); stopping
 * asks first, since what is said after it is lost to the record for good. A refusal is shown
 * as any refused command is (RoomClient.act → the room's alert).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomState } from '../../../../signaling/room/state.js';
import { canIssue } from '../../roomSelectors.js';
import { useRoomClient, useRoomState } from '../context.js';
import { ConfirmDialog } from '../Dialog.js';

/** The switch; nothing for a role that may not record, or once the meeting has ended. */
export function RecordingControl({ room }: { room: RoomState }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const state = useRoomState();
  const [asking, setAsking] = useState(false);
  if (room.ended || !canIssue(state, room.recording.on ? 'recording:stop' : 'recording:start')) return null;
  if (!room.recording.on) {
    return (
      <button type="button" className="button small" data-testid="recording-start" onClick={() => void client.act('recording:start', {})}>
        <span className="recording-dot" aria-hidden="true" />
        {t('recording.start')}
      </button>
    );
  }
  return (
    <>
      <button type="button" className="button small danger" data-testid="recording-stop" aria-haspopup="dialog" onClick={() => setAsking(true)}>
        {t('recording.stop')}
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
