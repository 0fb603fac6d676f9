/**
 * The stage: whoever holds the floor, large — their camera, name and venue, and the speaking
 * clock in numbers and colour. The host gets the clock's controls; the speaker a way to yield.
 */
import { useRef } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import type { Floor } from '../../../../signaling/room/state.js';
import { countdown } from '../../room/countdown.js';
import { cameraConsumerOf, canIssue, floorView, micStatus, myRole } from '../../roomSelectors.js';
import { useRoomClient, useRoomState } from '../context.js';
import { MicIcon } from '../icons.js';
import { PointOfOrderAlert, WaitingSpeech } from './PointOfOrder.js';
import { TrackVideo } from '../MediaElements.js';
import { useServerNow } from '../useServerNow.js';
import { useStageLayer } from './useStageLayer.js';

/** Shown above the gallery while someone holds the floor. */
export function FloorStage({ floor }: { floor: Floor }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const state = useRoomState();
  const view = floorView(state, floor.holder);
  const mine = view.cameraOf !== null && view.cameraOf === state.peerId;
  const consumerId = view.cameraOf === null || mine ? null : cameraConsumerOf(state, view.cameraOf);
  // A camera turned off (or held back by audio-only) shows the name, not a frozen picture.
  const cameraOff = mine
    ? state.local.camera === null || state.local.camera.paused || state.audioOnly
    : consumerId === null || state.consumers[consumerId]?.producerPaused === true;
  const track = cameraOff ? null : mine ? client.getLocalTrack('camera') : consumerId === null ? null : client.getRemoteTrack(consumerId);
  const videoKey = mine ? state.local.camera?.trackId : (consumerId ?? undefined);
  const title = floor.holder.kind === 'venue' ? t('floor.holderVenue', { venue: view.name }) : view.name;
  // The chair's console knows who is audio-only (media:quality): the stage says why there is no picture.
  const audioOnly = view.cameraOf !== null && (mine ? state.audioOnly : state.audioOnlyPeers[view.cameraOf] === true);
  const figure = useRef<HTMLElement>(null);
  useStageLayer(figure, cameraOff ? null : consumerId);
  return (
    <section className="floor-stage" aria-label={t('floor.region')} data-testid="floor-stage">
      <PointOfOrderAlert floor={floor} />
      <WaitingSpeech floor={floor} />
      <figure className="floor-video" ref={figure}>
        {track !== null ? (
          <TrackVideo key={videoKey} track={track} mirrored={mine} data-testid="floor-video" />
        ) : (
          <div className="avatar" aria-hidden="true">
            <span>{Array.from(view.name.trim())[0] ?? '?'}</span>
          </div>
        )}
        <figcaption className="floor-caption">
          <span className="floor-name" data-testid="floor-holder">
            {title}
          </span>
          {floor.holder.kind === 'participant' && view.venue !== '' && <span className="floor-venue">{view.venue}</span>}
          {floor.note !== '' && <span className="floor-note">{floor.note}</span>}
          <span className="chip">{t(`queue.types.${floor.type}`)}</span>
          {audioOnly && (
            <span className="chip" data-testid="floor-audio-only">
              {t('weakLink.stageChip')}
            </span>
          )}
        </figcaption>
        <FloorCountdown floor={floor} />
      </figure>
      {view.isMe && <MyFloor />}
      {!view.isMe && <StaffMicHint />}
      {canIssue(state, 'floor:revoke') && <FloorHostControls floor={floor} />}
    </section>
  );
}

/** mm:ss and a colour: normal, amber at warning, red in grace ("please finish"), then over; "paused" while stopped. */
export function FloorCountdown({ floor }: { floor: Floor }) {
  const { t } = useTranslation();
  const { room } = useRoomState();
  const now = useServerNow(floor.pausedAt === null);
  if (room === null) return null;
  const view = countdown(floor, room.settings, now);
  return (
    <div
      className={`countdown phase-${view.phase}${view.paused ? ' paused' : ''}`}
      data-testid="floor-countdown"
      data-phase={view.phase}
      data-paused={view.paused ? 'true' : 'false'}
      // When the speech would reach its limit (server time), for tests and tools: fixed while the clock runs.
      data-limit-at={floor.pausedAt === null ? floor.grantedAt + floor.pausedMs + floor.limitMs : undefined}
      role="timer"
      aria-label={t('floor.countdown')}
    >
      <span className="countdown-time">{view.text}</span>
      <span className="countdown-label">
        {view.paused ? t('floor.paused') : t(`floor.phase.${view.phase}`)}
      </span>
    </div>
  );
}

/**
 * Staff are heard whether or not they hold the floor (mayBeHeard): while someone else speaks,
 * a chair or secretary whose microphone is live is told so, and that they may mute.
 */
function StaffMicHint() {
  const { t } = useTranslation();
  const state = useRoomState();
  const role = myRole(state);
  if (micStatus(state) !== 'live' || (role !== 'host' && role !== 'secretary')) return null;
  return (
    <p className="field-hint staff-mic-hint" data-testid="staff-mic-hint">
      {role === 'host' ? t('mic.hostAlwaysHeard') : t('mic.secretaryAlwaysHeard')}
    </p>
  );
}

function MyFloor() {
  const { t } = useTranslation();
  const client = useRoomClient();
  const state = useRoomState();
  const muted = micStatus(state) === 'off';
  return (
    <div className="my-floor" role="status">
      <strong>{t('floor.youHaveFloor')}</strong>
      {muted && <span>{t('floor.unmuteToSpeak')}</span>}
      {muted && (
        <button type="button" className="button primary small" onClick={() => client.toggleMic()}>
          <MicIcon off />
          <span>{t('controls.unmute')}</span>
        </button>
      )}
      {/* NOTE: an audio-only speaker keeps the floor and speaks with sound only: a weak link is
          no reason to lose a turn, and forcing video back could break up the voice. */}
      {state.audioOnly && <span data-testid="floor-audio-only-hint">{t('weakLink.onFloor')}</span>}
      {state.audioOnly && (
        <button type="button" className="button small" data-testid="floor-video-back" onClick={() => client.videoBack()}>
          {t('weakLink.buttonBack')}
        </button>
      )}
      {canIssue(state, 'floor:yield') && (
        <button type="button" className="button small" data-testid="floor-yield" onClick={() => client.act('floor:yield', {})}>
          {t('floor.yield')}
        </button>
      )}
    </div>
  );
}

function FloorHostControls({ floor }: { floor: Floor }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const paused = floor.pausedAt !== null;
  return (
    <div className="floor-controls" role="group" aria-label={t('floor.hostControls')}>
      <button type="button" className="button small" data-testid="floor-extend-60" onClick={() => client.act('floor:extend', { seconds: 60 })}>
        {t('floor.extend1')}
      </button>
      <button type="button" className="button small" data-testid="floor-extend-180" onClick={() => client.act('floor:extend', { seconds: 180 })}>
        {t('floor.extend3')}
      </button>
      <button
        type="button"
        className="button small"
        data-testid="floor-pause"
        aria-pressed={paused}
        onClick={() => client.act(paused ? 'floor:resume' : 'floor:pause', {})}
      >
        {paused ? t('floor.resume') : t('floor.pause')}
      </button>
      <button type="button" className="button small danger" data-testid="floor-revoke" onClick={() => client.act('floor:revoke', {})}>
        {t('floor.revoke')}
      </button>
    </div>
  );
}
