/** The meeting's control bar. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { canShareScreen } from '../media/capture.js';
import { canIssue, micStatus, myRole } from '../roomSelectors.js';
import { useRoomClient, useRoomState } from './context.js';
import { CameraIcon, LeaveIcon, MicIcon, ScreenIcon } from './icons.js';
import { LeaveDialog } from './room/LeaveDialog.js';

/**
 * Mute, camera, screen share, leave. Each button's text says what clicking it will do; next
 * to the microphone, why I am not heard when I have not muted myself.
 */
export function Controls() {
  const { t } = useTranslation();
  const client = useRoomClient();
  const state = useRoomState();
  const { local } = state;
  const mic = micStatus(state);
  const micOn = mic !== 'off' && mic !== 'none';
  const cameraOn = local.camera !== null && !local.camera.paused;
  const sharing = local.screen !== null;
  const shareSupported = canShareScreen();
  const watching = myRole(state) === 'public';
  return (
    <div className="controls" role="toolbar" aria-label={t('controls.toolbar')}>
      {!watching && (
        <>
          <span className="mic-control">
            <button
              type="button"
              className={micOn ? 'button control' : 'button control off'}
              data-testid="toggle-mic"
              data-state={micOn ? 'on' : 'off'}
              data-mic-status={mic}
              aria-describedby={mic === 'waitingFloor' || mic === 'mutedByHost' ? 'mic-status' : undefined}
              onClick={() => client.toggleMic()}
            >
              <MicIcon off={!micOn} />
              <span className="control-label">{micOn ? t('controls.mute') : t('controls.unmute')}</span>
            </button>
            {(mic === 'waitingFloor' || mic === 'mutedByHost') && (
              <span id="mic-status" className="mic-status" role="status" data-testid="mic-status" data-status={mic} title={t('mic.waitingHint')}>
                {mic === 'waitingFloor' ? t('mic.waitingFloor') : t('mic.mutedByHost')}
              </span>
            )}
          </span>
          <button
            type="button"
            className={cameraOn ? 'button control' : 'button control off'}
            data-testid="toggle-camera"
            data-state={cameraOn ? 'on' : 'off'}
            onClick={() => client.toggleCamera()}
          >
            <CameraIcon off={!cameraOn} />
            <span className="control-label">{cameraOn ? t('controls.cameraOff') : t('controls.cameraOn')}</span>
          </button>
          <button
            type="button"
            className={sharing ? 'button control active' : 'button control'}
            data-testid="toggle-screen"
            data-state={sharing ? 'on' : 'off'}
            disabled={!shareSupported}
            title={shareSupported ? undefined : t('controls.shareUnsupported')}
            onClick={() => client.toggleScreen()}
          >
            <ScreenIcon />
            <span className="control-label">{sharing ? t('controls.stopShare') : t('controls.shareScreen')}</span>
          </button>
        </>
      )}
      <LeaveButton />
    </div>
  );
}

/** Leave: at once for a participant; the chair is asked to end the meeting or hand it over first. */
function LeaveButton() {
  const { t } = useTranslation();
  const client = useRoomClient();
  const state = useRoomState();
  const [asking, setAsking] = useState(false);
  const { room, peerId } = state;
  const chair = room !== null && peerId !== null && canIssue(state, 'room:handOver');
  return (
    <>
      <button type="button" className="button control danger" data-testid="leave" onClick={() => (chair ? setAsking(true) : client.leave())}>
        <LeaveIcon />
        <span className="control-label">{t('controls.leave')}</span>
      </button>
      {asking && chair && <LeaveDialog room={room} me={peerId} onCancel={() => setAsking(false)} />}
    </>
  );
}
