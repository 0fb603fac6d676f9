/**
 * Inside the room: the floor holder on the stage, screen share, the gallery, the meeting panel,
 * the controls, and the banners that explain trouble.
 */
import { useTranslation } from '../i18n/useTranslation.js';
import { galleryColumns } from '../media/layers.js';
import { myRole } from '../roomSelectors.js';
import { groupTilesByVenue, onFloorStage, selectAudioConsumers, selectPeerTiles, selectStage } from '../tileSelectors.js';
import { Alerts } from './Alerts.js';
import { Notices } from './notices/Notices.js';
import { VoteBanner } from './notices/VoteBanner.js';
import { useRoomClient, useRoomState } from './context.js';
import { Controls } from './Controls.js';
import { AudioSink } from './MediaElements.js';
import { ChairNotice } from './room/ChairNotice.js';
import { FloorStage } from './room/FloorStage.js';
import { MediaLinkBanner } from './room/MediaLinkBanner.js';
import { WeakLinkBanner } from './room/WeakLinkBanner.js';
import { RollCallBanner } from './room/RollCallBanner.js';
import { StageComment } from './room/StageComment.js';
import { SidePanel } from './room/SidePanel.js';
import { LocalTile, PeerTileView, StageView } from './Tiles.js';

/** Shown while joined (including while reconnecting). */
export function RoomPage() {
  const { t } = useTranslation();
  const client = useRoomClient();
  const state = useRoomState();
  const { room } = state;
  const tiles = selectPeerTiles(state);
  const stage = selectStage(state);
  const audio = selectAudioConsumers(state);
  const publishing = myRole(state) !== 'public';
  // A hall's terminal checks its own picture all meeting long: it stays pinned in a corner
  // instead of scrolling away below the stage and the gallery.
  const pinnedSelf = myRole(state) === 'venue';
  // My own tile stays while I speak: its chip says whether I am heard (可以发言), which the
  // stage does not.
  const inGallery = publishing && !pinnedSelf;
  // Whoever else the floor stage shows is shown there only, not again in the gallery.
  const staged = onFloorStage(state);
  const galleryTiles = tiles.filter((tile) => tile.peerId !== staged);
  const columns = galleryColumns(galleryTiles.length + (inGallery ? 1 : 0));
  const groups = groupTilesByVenue(state, galleryTiles, inGallery);
  return (
    <main className="room" data-testid="room" aria-busy={state.reconnecting}>
      {state.reconnecting && (
        <div className="banner reconnecting" role="status" aria-live="polite" data-testid="reconnecting">
          <span className="spinner" aria-hidden="true" />
          {t('room.reconnecting')}
        </div>
      )}
      <MediaLinkBanner problem={state.mediaLink} />
      <WeakLinkBanner />
      {state.audioBlocked && (
        <div className="banner" role="alert" data-testid="audio-blocked">
          <span>{t('audio.blocked')}</span>
          <button type="button" className="button primary small" onClick={() => client.unblockAudio()}>
            {t('audio.enable')}
          </button>
        </div>
      )}
      {room !== null && <ChairNotice room={room} />}
      {room !== null && <RollCallBanner room={room} />}
      <Alerts />
      <VoteBanner panelShown={state.panel.tab === 'polls' && state.panel.open} />
      <Notices />
      <div className="room-body">
        <div className={room?.floor != null ? 'room-main with-floor' : 'room-main'}>
          {room !== null && <StageComment room={room} />}
          {room?.floor != null && <FloorStage floor={room.floor} />}
          <div className={stage === null ? 'layout' : 'layout with-stage'}>
            {stage !== null && (
              <section className="stage-area" aria-label={t('room.stage')}>
                <StageView stage={stage} />
              </section>
            )}
            <section className={`gallery cols-${Math.max(1, columns)}`} aria-label={t('room.gallery')} data-testid="gallery">
              {groups.map((group) => {
                const name = group.name ?? t('room.otherVenue');
                const headingId = `venue-tiles-${group.venue || 'other'}`;
                return (
                  <section key={group.venue} className="venue-tiles" aria-labelledby={headingId} data-testid="venue-tiles" data-venue={group.venue}>
                    <h2 id={headingId} className="venue-tiles-heading">
                      {t('room.venueTiles', { name, count: group.tiles.length + (group.me ? 1 : 0) })}
                    </h2>
                    {group.me && <LocalTile />}
                    {group.tiles.map((tile) => (
                      <PeerTileView key={tile.peerId} tile={tile} />
                    ))}
                  </section>
                );
              })}
            </section>
          </div>
          {tiles.length === 0 && <p className="hint">{t('room.alone')}</p>}
          {pinnedSelf && (
            <div className="self-view" data-testid="self-view">
              <LocalTile />
            </div>
          )}
        </div>
        {room !== null && <SidePanel room={room} />}
      </div>
      <Controls />
      <div className="audio-sinks">
        {audio.map((c) => (
          <AudioSink key={c.id} consumerId={c.id} peerId={c.peerId} />
        ))}
      </div>
    </main>
  );
}
