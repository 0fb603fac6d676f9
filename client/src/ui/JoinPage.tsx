/** The device check before entering: name, room, camera preview, microphone level, devices. */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAudioLevel } from '../media/useAudioLevel.js';
import { isValidRoomId, roomIdFromLocation } from '../roomId.js';
import type { DeviceOption } from '../store.js';
import { Alerts } from './Alerts.js';
import { useRoomClient, useRoomState } from './context.js';
import { CameraIcon, MicIcon } from './icons.js';
import { TrackVideo } from './MediaElements.js';

const NAME_KEY = 'wsl.displayName';

/** Shown until the room is joined, and again after leaving. */
export function JoinPage() {
  const { t } = useTranslation();
  const client = useRoomClient();
  const state = useRoomState();
  const [name, setName] = useState(() => (state.displayName !== '' ? state.displayName : storedName()));
  const [roomId, setRoomId] = useState(() =>
    state.roomId !== '' ? state.roomId : roomIdFromLocation(window.location.pathname, window.location.search),
  );
  const [submitted, setSubmitted] = useState(false);
  const nameId = useId();
  const roomInputId = useId();

  useEffect(() => client.prepare(), [client]);

  const nameMissing = name.trim() === '';
  const roomBad = !isValidRoomId(roomId);
  const joining = state.phase === 'joining';

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    setSubmitted(true);
    if (nameMissing || roomBad) return;
    rememberName(name.trim());
    // Make the address bar a link others can open to the same room.
    window.history.replaceState(null, '', `/?room=${encodeURIComponent(roomId)}`);
    client.join(roomId, name.trim());
  };

  return (
    <main className="join" data-testid="join">
      <h1 className="join-title">{t('join.title')}</h1>
      {state.phase === 'left' && state.error === null && (
        <p role="status" className="notice" data-testid="left-notice">
          {t('join.left')}
        </p>
      )}
      <Alerts />
      <div className="join-body">
        <Preview />
        <form className="join-form" onSubmit={submit} noValidate>
          <label htmlFor={nameId}>{t('join.name')}</label>
          <input
            id={nameId}
            data-testid="join-name"
            value={name}
            maxLength={64}
            autoComplete="name"
            placeholder={t('join.namePlaceholder')}
            aria-invalid={submitted && nameMissing}
            aria-describedby={submitted && nameMissing ? `${nameId}-error` : undefined}
            onChange={(e) => setName(e.target.value)}
          />
          {submitted && nameMissing && (
            <p id={`${nameId}-error`} className="field-error">
              {t('join.nameRequired')}
            </p>
          )}
          <label htmlFor={roomInputId}>{t('join.room')}</label>
          <input
            id={roomInputId}
            data-testid="join-room"
            value={roomId}
            maxLength={64}
            autoComplete="off"
            spellCheck={false}
            placeholder={t('join.roomPlaceholder')}
            aria-invalid={submitted && roomBad}
            aria-describedby={`${roomInputId}-hint`}
            onChange={(e) => setRoomId(e.target.value.trim())}
          />
          <p id={`${roomInputId}-hint`} className={submitted && roomBad ? 'field-error' : 'field-hint'}>
            {submitted && roomBad ? t('join.roomInvalid') : t('join.roomHint')}
          </p>
          <DeviceSelect kind="mic" options={state.devices.audioinput} selected={state.selectedDevice.mic} />
          <DeviceSelect kind="camera" options={state.devices.videoinput} selected={state.selectedDevice.camera} />
          <button type="submit" className="button primary" data-testid="join-submit" disabled={joining} aria-busy={joining}>
            {joining ? t('join.joining') : t('join.submit')}
          </button>
          {!state.deviceLoaded && state.error === null && (
            <p className="field-hint" role="status">
              {t('join.preparing')}
            </p>
          )}
        </form>
      </div>
    </main>
  );
}

function Preview() {
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

function storedName(): string {
  try {
    return window.localStorage.getItem(NAME_KEY) ?? '';
  } catch (error) {
    console.warn('stored name unavailable', error);
    return '';
  }
}

function rememberName(name: string): void {
  try {
    window.localStorage.setItem(NAME_KEY, name);
  } catch (error) {
    console.warn('could not remember the name', error);
  }
}
