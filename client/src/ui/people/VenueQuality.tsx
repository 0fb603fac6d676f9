/**
 * The host console's connection quality per venue: a word, the figures, and a colour repeating
 * them; under a venue, who there is audio-only (仅语音) because of a weak link.
 */
import { useTranslation } from '../../i18n/useTranslation.js';
import type { RoomState } from '../../../../signaling/room/state.js';
import { audioOnlyNames, venueQualities } from '../../venueQuality.js';
import { useRoomState } from '../context.js';

/** One line per venue, updated with every `media:quality` report (every ~5 s). */
export function VenueQuality({ room }: { room: RoomState }) {
  const { t } = useTranslation();
  const { quality, audioOnlyPeers } = useRoomState();
  const anyAudioOnly = room.info.venues.some((v) => audioOnlyNames(room, v.id, audioOnlyPeers).length > 0);
  return (
    <section className="console-block" aria-labelledby="venue-quality-heading">
      <h3 id="venue-quality-heading" className="panel-heading">
        {t('people.quality.title')}
      </h3>
      <p className="field-hint">{t('people.quality.hint')}</p>
      <ul className="venue-quality-list">
        {venueQualities(room, quality).map(({ venue, name, measured, score }) => {
          const audioOnly = audioOnlyNames(room, venue, audioOnlyPeers);
          const audioOnlyLine = audioOnly.length > 0 && (
            <span className="venue-audio-only" data-testid="venue-audio-only">
              {t('weakLink.chairList', { names: audioOnly.join('、') })}
            </span>
          );
          return score === null ? (
            <li key={venue} className="venue-quality" data-testid="venue-quality" data-venue={venue} data-level="none">
              <span className="gauge-name">{name}</span>
              <span className="muted-text">{t('people.quality.none')}</span>
              {audioOnlyLine}
            </li>
          ) : (
            <li key={venue} className="venue-quality" data-testid="venue-quality" data-venue={venue} data-level={score.level} data-worst={score.worst}>
              <span className="gauge-name">{name}</span>
              <span className={`chip quality-${score.level}`}>{t(`people.quality.${score.level}`)}</span>
              <span>{t('people.quality.figures', { worst: score.worst, average: score.average, count: measured })}</span>
              {audioOnlyLine}
            </li>
          );
        })}
      </ul>
      {anyAudioOnly && <p className="field-hint">{t('weakLink.chairHint')}</p>}
    </section>
  );
}
