/**
 * 请准备发言: when the current speech reaches its warning, the next in line sees this card at
 * the top of the notices and hears the chime, once per speech, with their camera and microphone
 * checked: a small preview, a level meter, and what to do when either is off or blocked.
 *
 * NOTE: nothing here unmutes anybody on the server. Under floor-only speaking (the default) the
 * server keeps the microphone of whoever does not hold the floor paused (selectors.mayBeHeard),
 * so "打开麦克风" only opens the device: the level meter moves, the meeting hears nothing until
 * the floor is given. Without floor-only, whoever unmutes is heard by everybody: the card then
 * offers no button and says to turn the microphone on once given the floor.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { useAudioLevel } from '../../media/useAudioLevel.js';
import { nextInLine, onDeckDuring } from '../../room/onDeck.js';
import { micStatus } from '../../roomSelectors.js';
import { useRoomClient, useRoomState } from '../context.js';
import { TrackVideo } from '../MediaElements.js';
import { useServerNow } from '../useServerNow.js';

/**
 * Whether the on-deck card shows, ringing once when it first does for a speech. It stays while
 * I am next and the speech is at its warning, and after that speech ends until the floor comes
 * to me (the chair is about to give it); a dismissed card stays away for that speech.
 */
export function useOnDeck(): { shown: boolean; dismiss: () => void } {
  const client = useRoomClient();
  const { room, peerId } = useRoomState();
  const next = room !== null && peerId !== null && nextInLine(room, peerId);
  // The clock is read only while it can matter: I am next and someone speaks.
  const now = useServerNow(next && room.floor !== null);
  const during = next ? onDeckDuring(room, peerId, now) : null;
  const [alerted, setAlerted] = useState<number | null>(null);
  const [dismissed, setDismissed] = useState<number | null>(null);
  useEffect(() => {
    if (during === null || during === alerted) return;
    setAlerted(during);
    client.ring();
  }, [during, alerted, client]);
  const key = during ?? (next && room.floor === null ? alerted : null);
  return { shown: key !== null && key !== dismissed, dismiss: () => setDismissed(key) };
}

/** The card, in the notices' stack. */
export function OnDeckCard({ onDismiss }: { onDismiss: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="toast on-deck" role="alert" data-testid="on-deck">
      <div className="on-deck-head">
        <strong className="on-deck-title">{t('onDeck.title')}</strong>
        <span className="toast-text">{t('onDeck.text')}</span>
      </div>
      <CameraCheck />
      <MicCheck />
      <span className="toast-actions">
        <button type="button" className="button small" data-testid="on-deck-dismiss" onClick={onDismiss}>
          {t('onDeck.dismiss')}
        </button>
      </span>
    </div>
  );
}

function CameraCheck() {
  const { t } = useTranslation();
  const client = useRoomClient();
  const { local, mediaErrors } = useRoomState();
  const camera = local.camera;
  if (camera !== null && !camera.paused) {
    return (
      <div className="on-deck-check" data-testid="on-deck-camera" data-state="on">
        <TrackVideo track={client.getLocalTrack('camera')} mirrored className="on-deck-preview" key={camera.trackId} aria-label={t('join.preview')} />
        <span>{t('onDeck.cameraOn')}</span>
      </div>
    );
  }
  // Why it could not be opened, if it was tried: blocked is said with what to click.
  const error = camera === null ? mediaErrors.camera : null;
  const blocked = error === 'denied' || error === 'insecure';
  const text = error === 'denied' ? t('onDeck.cameraBlocked') : error !== null ? t(`mediaErrors.camera.${error}`) : t('onDeck.cameraOff');
  return (
    <div className="on-deck-check problem" data-testid="on-deck-camera" data-state={blocked ? 'blocked' : error === null ? 'off' : 'failed'}>
      <span>{text}</span>
      {!blocked && (
        <button type="button" className="button small" data-testid="on-deck-camera-on" onClick={() => client.toggleCamera()}>
          {t('onDeck.cameraStart')}
        </button>
      )}
    </div>
  );
}

function MicCheck() {
  const { t } = useTranslation();
  const client = useRoomClient();
  const state = useRoomState();
  const status = micStatus(state);
  const floorOnly = state.room?.settings.floorOnly ?? true;
  if (status === 'waitingFloor' || status === 'live') {
    return (
      <div className="on-deck-check" data-testid="on-deck-mic" data-state={status}>
        <LevelMeter />
        <span>
          {t('onDeck.micLevel')}
          {status === 'waitingFloor' && ` ${t('onDeck.micHeldUntilFloor')}`}
        </span>
      </div>
    );
  }
  if (status === 'mutedByHost') {
    return (
      <div className="on-deck-check problem" data-testid="on-deck-mic" data-state="mutedByHost">
        <span>{t('onDeck.micMutedByHost')}</span>
      </div>
    );
  }
  const error = status === 'none' ? state.mediaErrors.mic : null;
  const blocked = error === 'denied' || error === 'insecure';
  const off = floorOnly ? t('onDeck.micOff') : t('onDeck.micOffNoFloorOnly');
  const text = error === 'denied' ? t('onDeck.micBlocked') : error !== null ? `${t(`mediaErrors.mic.${error}`)} ${off}` : off;
  return (
    <div className="on-deck-check problem" data-testid="on-deck-mic" data-state={blocked ? 'blocked' : error === null ? 'off' : 'failed'}>
      <span>{text}</span>
      {!blocked && floorOnly && (
        <button type="button" className="button small" data-testid="on-deck-mic-on" onClick={() => client.toggleMic()}>
          {t('onDeck.micStart')}
        </button>
      )}
    </div>
  );
}

/** My microphone's level, as the join page's meter shows it. */
function LevelMeter() {
  const { t } = useTranslation();
  const client = useRoomClient();
  const { local } = useRoomState();
  const track = local.mic === null || local.mic.paused ? null : client.getLocalTrack('mic');
  const level = useAudioLevel(track);
  const percent = Math.round((level ?? 0) * 100);
  return (
    <div className="meter" role="meter" aria-label={t('join.micLevel')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} data-testid="on-deck-mic-level">
      <div className="meter-fill" style={{ width: `${percent}%` }} />
    </div>
  );
}
