/**
 * The read-only part of the minutes: what the log says happened (minutesSkeleton, the same
 * record the exports carry). The meeting's facts and attendance at the top, the polls with
 * their results further down; speeches are rendered by SpeechSection with their text boxes.
 */
import { useTranslation } from '../../i18n/useTranslation.js';
import { recordedBasis, type Minutes, type PollRecord, type VenueAttendance } from '../../../../signaling/record/types.js';
import { formatDateTime, formatRange, formatTime } from '../format.js';
import { optionLabel } from '../polls/optionLabel.js';
import { passRule } from '../polls/passRule.js';

/** Topic, planned and actual time, attendance per venue with the quorum. */
export function MeetingOverview({ minutes }: { minutes: Minutes }) {
  const { t } = useTranslation();
  const actual =
    minutes.actualStart === null
      ? t('minutes.timeUnknown')
      : `${formatDateTime(minutes.actualStart)} – ${minutes.actualEnd === null ? t('minutes.inProgress') : formatTime(minutes.actualEnd)}`;
  return (
    <section className="minutes-block" aria-labelledby="minutes-overview-heading" data-testid="minutes-overview">
      <h3 id="minutes-overview-heading" className="panel-heading">
        {t('minutes.overview')}
      </h3>
      <dl className="minutes-facts">
        <dt>{t('minutes.topic')}</dt>
        <dd data-testid="minutes-topic">{minutes.topic}</dd>
        <dt>{t('minutes.plannedTime')}</dt>
        <dd>{formatRange(minutes.plannedStart, minutes.plannedEnd, t('minutes.timeUnknown'))}</dd>
        <dt>{t('minutes.actualTime')}</dt>
        <dd>{actual}</dd>
      </dl>
      <Attendance rows={minutes.attendance} quorumPercent={minutes.quorumPercent} />
    </section>
  );
}

function Attendance({ rows, quorumPercent }: { rows: VenueAttendance[]; quorumPercent: number | null }) {
  const { t } = useTranslation();
  return (
    <div className="minutes-table-wrap">
      <table className="minutes-table" data-testid="minutes-attendance">
        <caption>
          {t('minutes.attendance')}
          {quorumPercent !== null && <span className="muted-text"> · {t('minutes.quorumRule', { percent: quorumPercent })}</span>}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('minutes.venue')}</th>
            <th scope="col">{t('minutes.present')}</th>
            <th scope="col">{t('minutes.expected')}</th>
            <th scope="col">{t('minutes.quorum')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.venue} data-venue={row.venue}>
              <th scope="row">{row.venue === '*' ? t('minutes.allVenues') : row.name}</th>
              <td>{row.present}</td>
              <td>{row.expected}</td>
              <td>{row.quorumMet === null ? t('minutes.quorumNone') : row.quorumMet ? t('minutes.quorumMet') : t('minutes.quorumMissed')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Every poll put to the meeting, with its result as far as this viewer may see it. */
export function PollRecords({ polls }: { polls: PollRecord[] }) {
  const { t } = useTranslation();
  return (
    <section className="minutes-block" aria-labelledby="minutes-polls-heading" data-testid="minutes-polls">
      <h3 id="minutes-polls-heading" className="panel-heading">
        {t('minutes.polls')}
      </h3>
      {polls.length === 0 ? (
        <p className="field-hint">{t('minutes.noPolls')}</p>
      ) : (
        <ol className="minutes-list">
          {polls.map((poll, i) => (
            <li key={i} className="minutes-poll" data-testid="minutes-poll">
              <p className="minutes-item-title">{poll.question}</p>
              <div className="chips">
                <span className="chip">{t(`polls.kinds.${poll.kind}`)}</span>
                {poll.secret && <span className="chip">{t('polls.secretBadge')}</span>}
                <RuleChip poll={poll} />
              </div>
              <p className="muted-text">{t('minutes.pollTurnout', { eligible: poll.eligible, voted: poll.voted })}</p>
              {poll.counts === null ? (
                <p className="field-hint">{t('minutes.pollNoResult')}</p>
              ) : (
                <p data-testid="minutes-poll-result">
                  {poll.counts.map((count, k) => t('minutes.pollTally', { option: optionLabel(t, poll, k), count })).join(t('minutes.listSeparator'))}
                  {poll.passed !== null && (
                    <span className={poll.passed ? 'chip pass' : 'chip fail'}>{poll.passed ? t('polls.passed') : t('polls.failed')}</span>
                  )}
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** The recorded poll's pass rule with what it counted against, as the exports word it. */
function RuleChip({ poll }: { poll: PollRecord }) {
  const { t } = useTranslation();
  const rule = passRule(t, { ...poll, basis: recordedBasis(poll) });
  return rule === null ? null : (
    <span className="chip" data-testid="minutes-poll-rule">
      {rule}
    </span>
  );
}
