/** The host's room-wide switches: roll call, mute all / allow all, lock, the meeting's settings, end the meeting (录制 is in the control bar). */
import { useState } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { totalAttendance } from '../../../../signaling/room/attendance.js';
import type { RoomState } from '../../../../signaling/room/state.js';
import { useRoomClient } from '../context.js';
import { ConfirmDialog } from '../Dialog.js';
import { MuteButton } from './MuteButton.js';
import { RoomSettingsDialog, SettingsSummary } from './RoomSettingsDialog.js';

/** Room-wide actions. */
export function RoomControls({ room }: { room: RoomState }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const rollCall = room.rollCall;
  const running = rollCall !== null && rollCall.endedAt === null;
  const confirmed = rollCall === null ? 0 : Object.keys(rollCall.confirmed).length;
  const locked = room.settings.locked;
  const [ending, setEnding] = useState(false);
  const [editing, setEditing] = useState(false);
  return (
    <section className="console-block" aria-labelledby="room-controls-heading">
      <h3 id="room-controls-heading" className="panel-heading">
        {t('people.room')}
      </h3>
      {rollCall !== null && (
        <p role="status" data-testid="rollcall-status" data-running={running ? 'true' : 'false'}>
          {t(running ? 'people.rollCallRunning' : 'people.rollCallDone', { confirmed, expected: totalAttendance(room).expected })}
        </p>
      )}
      {locked && <p className="notice small">{t('people.locked')}</p>}
      <div className="row-actions wrap">
        {running ? (
          <button type="button" className="button small" data-testid="rollcall-end" onClick={() => client.act('rollCall:end', {})}>
            {t('people.rollCallEnd')}
          </button>
        ) : (
          <button type="button" className="button small" data-testid="rollcall-start" onClick={() => client.act('rollCall:start', {})}>
            {t('people.rollCallStart')}
          </button>
        )}
        <MuteButton
          data-testid="mute-all"
          label={t('people.muteAll')}
          silencesSpeech={room.floor !== null && room.floor.pausedAt === null}
          onMute={(floor) => client.act('media:muteAll', floor === undefined ? {} : { floor })}
        />
        <button type="button" className="button small" data-testid="allow-all" onClick={() => client.act('media:allowUnmute', {})}>
          {t('people.allowAll')}
        </button>
        <button
          type="button"
          className="button small"
          data-testid="room-lock"
          aria-pressed={locked}
          onClick={() => client.act('room:settings', { locked: !locked })}
        >
          {locked ? t('people.unlock') : t('people.lock')}
        </button>
        <button type="button" className="button small" data-testid="room-settings-open" aria-haspopup="dialog" onClick={() => setEditing(true)}>
          {t('settings.open')}
        </button>
        <button type="button" className="button small danger" data-testid="room-end" onClick={() => setEnding(true)}>
          {t('people.end')}
        </button>
      </div>
      <SettingsSummary settings={room.settings} />
      {editing && <RoomSettingsDialog settings={room.settings} onClose={() => setEditing(false)} />}
      {ending && (
        <ConfirmDialog
          data-testid="room-end-dialog"
          question={t('people.endConfirm')}
          confirmLabel={t('chair.endAll')}
          danger
          onCancel={() => setEnding(false)}
          onConfirm={() => {
            setEnding(false);
            void client.act('room:end', {});
          }}
        />
      )}
    </section>
  );
}
