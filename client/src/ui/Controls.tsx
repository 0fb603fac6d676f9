/** The meeting's control bar. */
import { useTranslation } from 'react-i18next';
import { canShareScreen } from '../media/capture.js';
import { useRoomClient, useRoomState } from './context.js';
import { CameraIcon, LeaveIcon, MicIcon, ScreenIcon } from './icons.js';

/** Mute, camera, screen share, leave. Each button's text says what clicking it will do. */
export function Controls() {
  const { t } = useTranslation();
  const client = useRoomClient();
  const { local } = useRoomState();
  const micOn = local.mic !== null && !local.mic.paused;
  const cameraOn = local.camera !== null && !local.camera.paused;
  const sharing = local.screen !== null;
  const shareSupported = canShareScreen();
  return (
    <div className="controls" role="toolbar" aria-label={t('controls.toolbar')}>
      <button
        type="button"
        className={micOn ? 'button control' : 'button control off'}
        data-testid="toggle-mic"
        data-state={micOn ? 'on' : 'off'}
        onClick={() => client.toggleMic()}
      >
        <MicIcon off={!micOn} />
        <span>{micOn ? t('controls.mute') : t('controls.unmute')}</span>
      </button>
      <button
        type="button"
        className={cameraOn ? 'button control' : 'button control off'}
        data-testid="toggle-camera"
        data-state={cameraOn ? 'on' : 'off'}
        onClick={() => client.toggleCamera()}
      >
        <CameraIcon off={!cameraOn} />
        <span>{cameraOn ? t('controls.cameraOff') : t('controls.cameraOn')}</span>
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
        <span>{sharing ? t('controls.stopShare') : t('controls.shareScreen')}</span>
      </button>
      <button type="button" className="button control danger" data-testid="leave" onClick={() => client.leave()}>
        <LeaveIcon />
        <span>{t('controls.leave')}</span>
      </button>
    </div>
  );
}
