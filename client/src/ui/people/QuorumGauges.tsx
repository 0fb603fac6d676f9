/** Present against expected members, overall and per venue (quorumGauges). */
import { useTranslation } from '../../i18n/useTranslation.js';
import { quorumGauges } from '../../../../signaling/room/selectors.js';
import type { RoomState } from '../../../../signaling/room/state.js';
import { venueName } from '../../roomSelectors.js';

/** One meter per gauge. */
export function QuorumGauges({ room }: { room: RoomState }) {
  const { t } = useTranslation();
  return (
    <section className="console-block" aria-labelledby="quorum-heading">
      <h3 id="quorum-heading" className="panel-heading">
        {t('people.quorum')}
      </h3>
      <ul className="gauges">
        {quorumGauges(room).map((g) => {
          const name = g.venue === '*' ? t('people.overall') : venueName(room, g.venue);
          const percent = g.expected === 0 ? 0 : Math.min(100, Math.round((g.present * 100) / g.expected));
          return (
            <li key={g.venue} className="gauge" data-testid="quorum-gauge" data-venue={g.venue} data-present={g.present} data-expected={g.expected}>
              <span className="gauge-name">{name}</span>
              <div
                className="meter"
                role="meter"
                aria-label={name}
                aria-valuemin={0}
                aria-valuemax={Math.max(g.expected, g.present)}
                aria-valuenow={g.present}
                aria-valuetext={t('people.gauge', { present: g.present, expected: g.expected })}
              >
                <div className="meter-fill" style={{ width: `${percent}%` }} />
              </div>
              <span className="gauge-figures">{t('people.gauge', { present: g.present, expected: g.expected })}</span>
              {g.quorumMet !== null && (
                <span className={g.quorumMet ? 'chip pass' : 'chip fail'} data-testid="quorum-chip" data-met={g.quorumMet ? 'true' : 'false'}>
                  {g.quorumMet ? t('people.quorumMet') : t('people.quorumNotMet')}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
