/**
 * A poll's results by venue and by sector: one table each, a row per group (and 其他), a column
 * per option with its count and share of the group's ballots. A secret poll says why some
 * groups are merged; the merge itself was decided by the server (signaling/room/pollBreakdown.ts).
 */
import { useTranslation } from '../../i18n/useTranslation.js';
import type { Poll, PollBreakdown as Breakdown, PollGroups, Venue } from '../../../../signaling/room/state.js';
import { groupRows } from '../../room/pollResults.js';
import { optionLabel } from './optionLabel.js';

/** The two tables of a breakdown, with the secret poll's note. */
export function PollBreakdown({ poll, breakdown, venues }: { poll: Poll; breakdown: Breakdown; venues: readonly Venue[] }) {
  const { t } = useTranslation();
  const venueName = (id: string) => venues.find((v) => v.id === id)?.name ?? id;
  const sectorName = (s: string) => s || t('breakdown.noSector');
  return (
    <section className="poll-breakdown" data-testid="poll-breakdown" aria-label={t('breakdown.title')}>
      <h5 className="panel-heading">{t('breakdown.title')}</h5>
      {breakdown.minGroup !== null && (
        <p className="field-hint" data-testid="poll-breakdown-merged">
          {t('breakdown.merged', { k: breakdown.minGroup })}
        </p>
      )}
      <GroupTable poll={poll} groups={breakdown.byVenue} title={t('breakdown.byVenue')} column={t('breakdown.venue')} dimension="venue" name={venueName} />
      <GroupTable poll={poll} groups={breakdown.bySector} title={t('breakdown.bySector')} column={t('breakdown.sector')} dimension="sector" name={sectorName} />
    </section>
  );
}

type TableProps = { poll: Poll; groups: PollGroups; title: string; column: string; dimension: string; name: (key: string) => string };

function GroupTable({ poll, groups, title, column, dimension, name }: TableProps) {
  const { t } = useTranslation();
  const rows = groupRows(poll, groups);
  if (groups.groups.length === 0) {
    return (
      <p className="field-hint" data-testid={`poll-breakdown-${dimension}`} data-grouped="false">
        {t('breakdown.notGrouped', { title })}
      </p>
    );
  }
  return (
    <div className="breakdown-scroll">
      <table className="breakdown-table" data-testid={`poll-breakdown-${dimension}`} data-grouped="true">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{column}</th>
            <th scope="col">{t('breakdown.voters')}</th>
            {poll.options.map((_, i) => (
              <th key={i} scope="col">
                {optionLabel(t, poll, i)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.group ?? '\u0000other'} data-testid="poll-breakdown-row" data-group={row.group ?? ''} data-voters={row.voters}>
              <th scope="row">{row.group === null ? t('breakdown.other') : name(row.group)}</th>
              <td>{row.voters}</td>
              {row.bars.map((bar) => (
                // The count, its share under it: a phone's panel fits four options side by side.
                <td key={bar.index} data-index={bar.index} data-count={bar.count} aria-label={t('breakdown.groupCell', { count: bar.count, percent: bar.percent })}>
                  <span aria-hidden="true">{bar.count}</span>
                  <span className="share" aria-hidden="true">
                    {bar.percent}%
                  </span>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
