/** The device check before entering: camera preview, microphone level and device choice. */
import { useId } from 'react';
import { useTranslation } from '../i18n/useTranslation.js';
import { useAudioLevel } from '../media/useAudioLevel.js';
import type { DeviceOption } from '../store.js';
import { useRoomClient, useRoomState } from './context.js';
import { CameraIcon, MicIcon } from './icons.js';
import { TrackVideo } from './MediaElements.js';

/** Camera preview, level meter and the two on/off switches. */
export function Preview() {
  const { t } = useTranslation();
  const client = useRoomClient();
  const { local } = useRoomState();
  // trackId in the state changes whenever RoomClient swaps the track.
  const cameraTrack = local.camera === null ? null : client.getLocalTrack('camera');
  const micTrack = local.mic === null ? null : client.getLocalTrack('mic');
  const micOn = local.mic !== null && !local.mic.paused;
  const cameraOn = local.camera !== null;
  return (
    <section className="preview" aria-label={t('join.preview')}>
      <div className="preview-video">
        {cameraOn ? (
          <TrackVideo track={cameraTrack} mirrored data-testid="join-preview" aria-label={t('join.preview')} key={local.camera?.trackId} />
        ) : (
          <p className="preview-off">{t('join.cameraOffPreview')}</p>
        )}
      </div>
      <LevelMeter track={micOn ? micTrack : null} />
      <div className="preview-toggles">
        <button
          type="button"
          role="switch"
          aria-checked={micOn}
          className={micOn ? 'button toggle on' : 'button toggle off'}
          data-testid="join-toggle-mic"
          data-state={micOn ? 'on' : 'off'}
          onClick={() => client.toggleMic()}
        >
          <MicIcon off={!micOn} />
          <span>{t('join.microphone')}</span>
        </button>
        <button
          type="button"
          role="switch"
          aria-checked={cameraOn}
          className={cameraOn ? 'button toggle on' : 'button toggle off'}
          data-testid="join-toggle-camera"
          data-state={cameraOn ? 'on' : 'off'}
          onClick={() => client.toggleCamera()}
        >
          <CameraIcon off={!cameraOn} />
          <span>{t('join.camera')}</span>
        </button>
      </div>
    </section>
  );
}

function LevelMeter({ track }: { track: MediaStreamTrack | null }) {
  const { t } = useTranslation();
  const level = useAudioLevel(track);
  const percent = Math.round((level ?? 0) * 100);
  return (
    <div
      className="meter"
      role="meter"
      aria-label={t('join.micLevel')}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      data-testid="mic-level"
    >
      <div className="meter-fill" style={{ width: `${percent}%` }} />
    </div>
  );
}

/** The microphone and camera pickers. */
export function DeviceSelects() {
  const { devices, selectedDevice } = useRoomState();
  return (
    <>
      <DeviceSelect kind="mic" options={devices.audioinput} selected={selectedDevice.mic} />
      <DeviceSelect kind="camera" options={devices.videoinput} selected={selectedDevice.camera} />
    </>
  );
}

function DeviceSelect({ kind, options, selected }: { kind: 'mic' | 'camera'; options: DeviceOption[]; selected: string | null }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const id = useId();
  return (
    <>
      <label htmlFor={id}>{kind === 'mic' ? t('join.microphone') : t('join.camera')}</label>
      <select
        id={id}
        data-testid={kind === 'mic' ? 'join-mic-select' : 'join-camera-select'}
        value={selected ?? ''}
        onChange={(e) => client.selectDevice(kind, e.target.value)}
      >
        {selected === null && <option value="">{t('join.defaultDevice')}</option>}
        {options.map((d, i) => (
          <option key={d.deviceId} value={d.deviceId}>
            {d.label !== '' ? d.label : t(kind === 'mic' ? 'join.unnamedMic' : 'join.unnamedCamera', { index: i + 1 })}
          </option>
        ))}
      </select>
    </>
  );
}
