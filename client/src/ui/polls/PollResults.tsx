/** A poll's result as bars with counts and percentages, and the verdict against its rules. */
import { useTranslation } from 'react-i18next';
import { majority } from '../../../../signaling/room/polls.js';
import type { Poll, PollResult } from '../../../../signaling/room/state.js';
import { resultBars } from '../../room/pollResults.js';
import { optionLabel } from './optionLabel.js';
import { passRule } from './passRule.js';

/** Bars, totals, the pass rule with what it counted against, pass/fail and quorum. */
export function PollResults({ poll, result }: { poll: Poll; result: PollResult }) {
  const { t } = useTranslation();
  const bars = resultBars(poll, result);
  const rule = passRule(t, poll);
  // The bars are shares of all ballots; the verdict is a share of the rule's base, which may
  // differ (abstentions left out, or everybody eligible): say both numbers the rule compared.
  const counted = rule === null ? null : majority(poll, result);
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
