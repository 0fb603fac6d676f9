/** A poll's result as bars with counts and percentages, and the verdict against its rules. */
import { useTranslation } from '../../i18n/useTranslation.js';
import { shiftOf } from '../../../../signaling/room/pollBreakdown.js';
import { majority } from '../../../../signaling/room/polls.js';
import type { Poll, PollResult } from '../../../../signaling/room/state.js';
import { resultBars } from '../../room/pollResults.js';
import { useRoomState } from '../context.js';
import { optionLabel } from './optionLabel.js';
import { PollBreakdown } from './PollBreakdown.js';
import { passRule } from './passRule.js';

/** Bars, totals, the pass rule with what it counted against, pass/fail and quorum. */
export function PollResults({ poll, result }: { poll: Poll; result: PollResult }) {
  const { t } = useTranslation();
  const bars = resultBars(poll, result);
  const rule = passRule(t, poll);
  // The bars are shares of all ballots; the verdict is a share of the rule's base, which may
  // differ (abstentions left out, or everybody eligible): say both numbers the rule compared.
  const counted = rule === null ? null : majority(poll, result);
  const room = useRoomState().room;
  const first = poll.roundOf === undefined ? null : (room?.polls[poll.roundOf]?.result ?? null);
  return (
    <div className="poll-results" data-testid="poll-results">
      <h4 className="panel-heading">{t('polls.results')}</h4>
      <ul className="result-list">
        {bars.map((bar) => {
          const option = optionLabel(t, poll, bar.index);
          return (
            <li key={bar.index} className="result-row">
              <span className="result-option">{option}</span>
              <div
                className="result-bar"
                data-testid="poll-result-bar"
                data-index={bar.index}
                data-count={bar.count}
                data-percent={bar.percent}
                role="img"
                aria-label={t('polls.bar', { option, count: bar.count, percent: bar.percent })}
              >
                <div className="result-fill" style={{ width: `${bar.percent}%` }} />
              </div>
              <span className="result-figures" aria-hidden="true">
                {t('polls.votes', { count: bar.count })} · {bar.percent}%
              </span>
            </li>
          );
        })}
      </ul>
      <p className="field-hint">{t('polls.totals', { votes: result.votes, eligible: result.eligible })}</p>
      {rule !== null && (
        <p className="poll-rule" data-testid="poll-rule">
          {t('polls.ruleLine', { rule })}
          {counted !== null && <span className="muted-text">{` · ${t('polls.majority', { support: counted.support, base: counted.base })}`}</span>}
        </p>
      )}
      <div className="verdict">
        {result.passed !== null && (
          <span className={result.passed ? 'chip pass' : 'chip fail'} data-testid="poll-passed" data-passed={result.passed ? 'true' : 'false'}>
            {result.passed ? t('polls.passed') : t('polls.failed')}
          </span>
        )}
        {result.quorumMet !== null && (
          <span className={result.quorumMet ? 'chip pass' : 'chip fail'} data-testid="poll-quorum">
            {result.quorumMet ? t('polls.quorumMet') : t('polls.quorumMissed')}
          </span>
        )}
      </div>
      {first !== null && <RoundShift poll={poll} first={first} result={result} />}
      {result.breakdown && <PollBreakdown poll={poll} breakdown={result.breakdown} venues={room?.info.venues ?? []} />}
      {result.reasons.length > 0 && (
        <ul className="reasons">
          {result.reasons.map((reason, i) => (
            <li key={i}>{reason}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** How each option moved from the first round (votes, and share of the ballots in points). */
function RoundShift({ poll, first, result }: { poll: Poll; first: PollResult; result: PollResult }) {
  const { t } = useTranslation();
  const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
  return (
    <div className="poll-shift" data-testid="poll-shift">
      <h5 className="panel-heading">{t('breakdown.shiftTitle')}</h5>
      <ul className="result-list">
        {shiftOf(first, result).map((s) => {
          const values = { option: optionLabel(t, poll, s.index), before: first.counts[s.index] ?? 0, after: result.counts[s.index] ?? 0 };
          return (
            <li key={s.index} data-testid="poll-shift-row" data-index={s.index} data-votes={s.votes} data-points={s.points} className={s.votes > 0 ? 'shift up' : s.votes < 0 ? 'shift down' : 'shift'}>
              {s.votes === 0 && s.points === 0 ? t('breakdown.unchanged', values) : t('breakdown.shift', { ...values, votes: signed(s.votes), points: signed(s.points) })}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
