/** The meeting's control bar. */
import { useState } from 'react';
import { useTranslation } from '../i18n/useTranslation.js';
import { holdsFloor } from '../../../signaling/room/selectors.js';
import { canShareScreen } from '../media/capture.js';
import { canIssue, micStatus, myRole, queuePlace } from '../roomSelectors.js';
import { useRoomClient, useRoomState } from './context.js';
import { AudioOnlyIcon, CameraIcon, HandIcon, LeaveIcon, MicIcon, ScreenIcon } from './icons.js';
import { MicStateChip } from './MicState.js';
import { RecordingControl } from './recording/RecordingControl.js';
import { LeaveDialog } from './room/LeaveDialog.js';

/**
 * Mute, camera, screen share, raise hand, the chair's 录制, and apart from them, leave. Each
 * button's text says what clicking it will do (on a phone too); next to the microphone, its
 * state in words.
 */
export function Controls() {
  const { t } = useTranslation();
  const client = useRoomClient();
  const state = useRoomState();
  const { local } = state;
  const mic = micStatus(state);
  // Audio-only holds the camera back whatever its own button said: it shows off, and turning it
  // on means video back (audio-only off).
  const audioOnly = state.audioOnly;
  const cameraOn = local.camera !== null && !local.camera.paused && !audioOnly;
  const sharing = local.screen !== null;
  const shareSupported = canShareScreen();
  const watching = myRole(state) === 'public';
  // A muted or held-back microphone is not "danger": red is kept for leaving.
  const micClass = mic === 'live' ? 'button control' : mic === 'waitingFloor' ? 'button control waiting' : 'button control muted';
  // Held back by the room, not by me: a phone has no room for the chip beside the button, so
  // the button's own word says the state there (styles/controls.css).
  const heldBack = mic === 'waitingFloor' || mic === 'mutedByHost';
  return (
    <div className="controls" role="toolbar" aria-label={t('controls.toolbar')}>
      {!watching && (
        <div className="controls-main">
          <span className="mic-control">
            <button
              type="button"
              className={micClass}
              data-testid="toggle-mic"
              data-state={mic === 'off' || mic === 'none' ? 'off' : 'on'}
              data-mic-status={mic}
              aria-describedby="mic-status"
              onClick={() => client.toggleMic()}
            >
              <MicIcon off={mic !== 'live'} />
              <span className={heldBack ? 'control-label action-word' : 'control-label'}>
                {mic === 'off' || mic === 'none' ? t('controls.unmute') : t('controls.mute')}
              </span>
              {heldBack && <span className="control-label state-word">{t(`mic.${mic}`)}</span>}
            </button>
            <MicStateChip status={mic} id="mic-status" testId="mic-status" />
          </span>
          <button
            type="button"
            className={cameraOn ? 'button control' : 'button control muted'}
            data-testid="toggle-camera"
            data-state={cameraOn ? 'on' : 'off'}
            onClick={() => {
              if (!audioOnly) {
                client.toggleCamera();
                return;
              }
              client.videoBack();
            }}
          >
            <CameraIcon off={!cameraOn} />
            <span className="control-label">
              {audioOnly ? t('weakLink.buttonBack') : cameraOn ? t('controls.cameraOff') : t('controls.cameraOn')}
            </span>
          </button>
          {state.phase === 'joined' && (
            <button
              type="button"
              className={audioOnly ? 'button control active' : 'button control'}
              data-testid="toggle-audio-only"
              data-state={audioOnly ? 'on' : 'off'}
              aria-pressed={audioOnly}
              title={t('weakLink.buttonHint')}
              onClick={() => client.setAudioOnly(!audioOnly)}
            >
              <AudioOnlyIcon />
              <span className="control-label">{t('weakLink.button')}</span>
            </button>
          )}
          <button
            type="button"
            className={sharing ? 'button control active share' : 'button control share'}
            data-testid="toggle-screen"
            data-state={sharing ? 'on' : 'off'}
            disabled={!shareSupported}
            title={shareSupported ? undefined : t('controls.shareUnsupported')}
            onClick={() => client.toggleScreen()}
          >
            <ScreenIcon />
            <span className="control-label">{sharing ? t('controls.stopShare') : t('controls.shareScreen')}</span>
          </button>
          <HandButton />
          {/* The chair has no 举手, so on a phone 录制 takes its place and the bar still fits. */}
          {state.room !== null && <RecordingControl room={state.room} />}
        </div>
      )}
      <LeaveButton />
    </div>
  );
}

/**
 * 举手 in one tap, as in 腾讯会议: a request to speak (发言). Other kinds (补充, 质询, a point of
 * order) and a note are in the speakers tab. When the list is closed, the tab opens instead,
 * where a point of order can still be raised.
 */
function HandButton() {
  const { t } = useTranslation();
  const client = useRoomClient();
  const state = useRoomState();
  const { room, peerId } = state;
  if (room === null || peerId === null || !canIssue(state, 'queue:raise') || holdsFloor(room, peerId)) return null;
  const raised = queuePlace(room, peerId) !== null;
  const onClick = (): void => {
    if (raised) void client.act('queue:withdraw', {});
    else if (!room.queue.open) client.showPanel('queue');
    else void client.act('queue:raise', { speechType: 'statement', note: '' });
  };
  return (
    <button
      type="button"
      className={raised ? 'button control active' : 'button control'}
      data-testid="toolbar-hand"
      data-state={raised ? 'raised' : 'down'}
      onClick={onClick}
    >
      <HandIcon />
      <span className="control-label">{raised ? t('controls.lowerHand') : t('controls.raiseHand')}</span>
    </button>
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
      <button type="button" className="button control leave" data-testid="leave" onClick={() => (chair ? setAsking(true) : client.leave())}>
        <LeaveIcon />
        <span className="control-label">{t('controls.leave')}</span>
      </button>
      {asking && chair && <LeaveDialog room={room} me={peerId} onCancel={() => setAsking(false)} />}
    </>
  );
}
