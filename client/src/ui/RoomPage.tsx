/** Inside the room: stage, gallery, controls, and the banners that explain trouble. */
import { useTranslation } from 'react-i18next';
import { galleryColumns } from '../media/layers.js';
import { selectAudioConsumers, selectPeerTiles, selectStage } from '../selectors.js';
import { Alerts } from './Alerts.js';
import { useRoomClient, useRoomState } from './context.js';
import { Controls } from './Controls.js';
import { AudioSink } from './MediaElements.js';
import { LocalTile, PeerTileView, StageView } from './Tiles.js';

/** Shown while joined (including while reconnecting). */
export function RoomPage() {
  const { t } = useTranslation();
  const client = useRoomClient();
  const state = useRoomState();
  const tiles = selectPeerTiles(state);
  const stage = selectStage(state);
  const audio = selectAudioConsumers(state);
  const columns = galleryColumns(tiles.length + 1);
  return (
    <main className="room" data-testid="room" aria-busy={state.reconnecting}>
      {state.reconnecting && (
        <div className="banner reconnecting" role="status" aria-live="polite" data-testid="reconnecting">
          <span className="spinner" aria-hidden="true" />
          {t('room.reconnecting')}
        </div>
      )}
      {state.audioBlocked && (
        <div className="banner" role="alert" data-testid="audio-blocked">
          <span>{t('audio.blocked')}</span>
          <button type="button" className="button primary small" onClick={() => client.unblockAudio()}>
            {t('audio.enable')}
          </button>
        </div>
      )}
      <Alerts />
      <div className={stage === null ? 'layout' : 'layout with-stage'}>
        {stage !== null && (
          <section className="stage-area" aria-label={t('room.stage')}>
            <StageView stage={stage} />
          </section>
        )}
        <section className={`gallery cols-${columns}`} aria-label={t('room.gallery')} data-testid="gallery">
          <LocalTile />
          {tiles.map((tile) => (
            <PeerTileView key={tile.peerId} tile={tile} />
          ))}
        </section>
      </div>
      {tiles.length === 0 && <p className="hint">{t('room.alone')}</p>}
      <Controls />
      <div className="audio-sinks">
        {audio.map((c) => (
          <AudioSink key={c.id} consumerId={c.id} peerId={c.peerId} />
        ))}
      </div>
    </main>
  );
}
