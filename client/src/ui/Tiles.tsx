/** Video tiles: mine, each remote participant's, and the stage for a screen share. */
import { useEffect, useRef, type RefObject } from 'react';
import { useTranslation } from '../i18n/useTranslation.js';
import { chooseSpatialLayer } from '../media/layers.js';
import { micStatus, queuePlace, venueName } from '../roomSelectors.js';
import type { PeerTile, Stage } from '../tileSelectors.js';
import { useRoomClient, useRoomState } from './context.js';
import { HandIcon, MicIcon } from './icons.js';
import { MicStateChip } from './MicState.js';
import { TrackVideo } from './MediaElements.js';

/** Asks for the simulcast layer that fits the element, now and whenever it is resized. */
function useLayerForSize(ref: RefObject<HTMLElement | null>, consumerId: string | null): void {
  const client = useRoomClient();
  useEffect(() => {
    const element = ref.current;
    if (element === null || consumerId === null) return;
    const observer = new ResizeObserver((entries) => {
      const entry = entries[entries.length - 1];
      if (entry !== undefined) client.setPreferredLayer(consumerId, chooseSpatialLayer(entry.contentRect.height, window.devicePixelRatio));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [client, ref, consumerId]);
}

/**
 * Tells the client whether the tile is on screen, so video nobody sees is paused (the media
 * layer decides; see media/visibility.ts). A removed tile stops counting as hidden.
 */
function useVisibility(ref: RefObject<HTMLElement | null>, consumerId: string | null): void {
  const client = useRoomClient();
  useEffect(() => {
    const element = ref.current;
    if (element === null || consumerId === null) return;
    const observer = new IntersectionObserver((entries) => {
      const entry = entries[entries.length - 1];
      if (entry !== undefined) client.setConsumerVisible(consumerId, entry.isIntersecting);
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      client.setConsumerVisible(consumerId, null);
    };
  }, [client, ref, consumerId]);
}

function MutedBadge() {
  const { t } = useTranslation();
  return (
    <span className="badge muted" data-testid="muted-indicator" role="img" aria-label={t('room.muted')} title={t('room.muted')}>
      <MicIcon off />
    </span>
  );
}

/** A raised hand on a tile, with the place in the list of speakers. */
function HandBadge({ place }: { place: number }) {
  const { t } = useTranslation();
  return (
    <span className="badge hand" data-testid="hand-indicator" data-place={place} role="img" aria-label={t('room.handRaised', { place })} title={t('room.handRaised', { place })}>
      <HandIcon />
      <span aria-hidden="true">{place}</span>
    </span>
  );
}

function Avatar({ name }: { name: string }) {
  return (
    <div className="avatar" aria-hidden="true">
      <span>{Array.from(name.trim())[0] ?? '?'}</span>
    </div>
  );
}

/** One remote participant. */
export function PeerTileView({ tile }: { tile: PeerTile }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const { room, audioOnly } = useRoomState();
  const who = room?.participants[tile.peerId];
  // 仅语音: the server forwards no gallery video to me; a name, not a frozen picture.
  const cameraOff = tile.cameraOff || audioOnly;
  const venue = room !== null && who !== undefined ? venueName(room, who.venue) : null;
  const place = room === null ? null : queuePlace(room, tile.peerId);
  const ref = useRef<HTMLElement>(null);
  useLayerForSize(ref, cameraOff ? null : tile.videoConsumerId);
  useVisibility(ref, tile.videoConsumerId);
  const track = tile.videoConsumerId === null ? null : client.getRemoteTrack(tile.videoConsumerId);
  const classes = ['tile', tile.activeSpeaker ? 'speaking' : '', cameraOff ? 'camera-off' : ''].filter(Boolean).join(' ');
  return (
    <figure
      ref={ref}
      className={classes}
      data-testid="peer-tile"
      data-peer-id={tile.peerId}
      data-active-speaker={tile.activeSpeaker ? 'true' : 'false'}
      data-muted={tile.micMuted ? 'true' : 'false'}
    >
      {tile.videoConsumerId !== null && (
        <TrackVideo
          key={tile.videoConsumerId}
          track={track}
          data-testid="remote-video"
          data-peer-id={tile.peerId}
          data-consumer-id={tile.videoConsumerId}
          data-source="camera"
        />
      )}
      {cameraOff && <Avatar name={tile.displayName} />}
      {place !== null && <HandBadge place={place} />}
      <figcaption className="tile-label">
        {tile.micMuted && <MutedBadge />}
        <span className="tile-name">{who?.name ?? tile.displayName}</span>
        {venue !== null && <span className="tile-venue">{venue}</span>}
        {tile.activeSpeaker && <span className="visually-hidden">{t('room.speaking')}</span>}
        {cameraOff && <span className="visually-hidden">{t('room.cameraOff')}</span>}
      </figcaption>
    </figure>
  );
}

/** My own camera, mirrored, never with sound. */
export function LocalTile() {
  const { t } = useTranslation();
  const client = useRoomClient();
  const state = useRoomState();
  const { local, displayName, peerId, activeSpeakerId } = state;
  const camera = local.camera;
  // 仅语音 sends no video: my tile shows what the others see, my name.
  const cameraOn = camera !== null && !camera.paused && !state.audioOnly;
  const mic = micStatus(state);
  const place = state.room === null || peerId === null ? null : queuePlace(state.room, peerId);
  const speaking = peerId !== null && activeSpeakerId === peerId;
  const classes = ['tile', 'local', speaking ? 'speaking' : '', cameraOn ? '' : 'camera-off'].filter(Boolean).join(' ');
  return (
    <figure className={classes} data-testid="local-tile" data-active-speaker={speaking ? 'true' : 'false'}>
      {camera !== null && (
        <TrackVideo key={camera.trackId} track={client.getLocalTrack('camera')} mirrored data-testid="local-video" />
      )}
      {!cameraOn && <Avatar name={displayName} />}
      {place !== null && <HandBadge place={place} />}
      <figcaption className="tile-label">
        <MicStateChip status={mic} testId="local-mic-state" />
        <span className="tile-name">{t('room.me', { name: displayName })}</span>
      </figcaption>
    </figure>
  );
}

/** The screen share, large. */
export function StageView({ stage }: { stage: NonNullable<Stage> }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const { local } = useRoomState();
  // A screen share is sent as one encoding: there is no layer to choose.
  const remote = stage.kind === 'remote-screen' ? stage : null;
  return (
    <figure className="stage" data-testid="stage">
      {remote !== null ? (
        <TrackVideo
          key={remote.consumerId}
          track={client.getRemoteTrack(remote.consumerId)}
          data-testid="remote-screen"
          data-peer-id={remote.peerId}
          data-consumer-id={remote.consumerId}
          data-source="screen"
        />
      ) : (
        <TrackVideo key={local.screen?.trackId} track={client.getLocalTrack('screen')} data-testid="local-screen" />
      )}
      <figcaption className="tile-label">
        {remote !== null ? t('room.sharing', { name: remote.displayName }) : t('room.youAreSharing')}
      </figcaption>
    </figure>
  );
}
