/**
 * 履职记录: for a period, each member's duties (invited, attended and for how long, speeches
 * and their time, votes in named and secret polls, written statements, passages confirmed),
 * the same summed per sector, and both as a CSV or Excel file.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { duties, dutiesFileUrl, type DutyPeriod, type DutyRecords } from '../../net/orgApi.js';
import type { DutyCounts } from '../../../../signaling/http/orgs.js';
import { dayEnd, dayStart, type OrgContext } from './orgContext.js';

/** The counts' columns, in the order the tables show them. */
const COUNT_COLUMNS = [
  ['invited', (d: DutyCounts) => d.invited],
  ['attended', (d: DutyCounts) => d.attended],
  ['attendedTime', (d: DutyCounts) => d.attendedMs],
  ['speeches', (d: DutyCounts) => d.speeches],
  ['speakingTime', (d: DutyCounts) => d.speakingMs],
  ['namedVotes', (d: DutyCounts) => d.namedVotes],
  ['secretVotes', (d: DutyCounts) => d.secretVotes],
  ['statements', (d: DutyCounts) => d.statements],
  ['passagesConfirmed', (d: DutyCounts) => d.passagesConfirmed],
] as const;

const TIMES = new Set<string>(['attendedTime', 'speakingTime']);

/** The period picker, the two tables and the export links. */
export function DutiesPanel({ ctx }: { ctx: OrgContext }) {
  const { t } = useTranslation();
  const id = useId();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [period, setPeriod] = useState<DutyPeriod>({});
  const [records, setRecords] = useState<DutyRecords | null>(null);
  const orgId = ctx.org.orgId;
  useEffect(() => {
    let live = true;
    void ctx.run(() => duties(orgId, period)).then((read) => live && read !== undefined && setRecords(read));
    return () => {
      live = false;
    };
  }, [orgId, period]);

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    setPeriod({ from: dayStart(from), to: dayEnd(to) });
  };
  const thisYear = (): void => {
    const year = new Date().getFullYear();
    setFrom(`${year}-01-01`);
    setTo(`${year}-12-31`);
    setPeriod({ from: dayStart(`${year}-01-01`), to: dayEnd(`${year}-12-31`) });
  };
  const all = (): void => {
    setFrom('');
    setTo('');
    setPeriod({});
  };
  // Minutes with one decimal, as the exported files give them: a short speech is not "0".
  const cell = (column: string, value: number): string => (TIMES.has(column) ? t('orgAdmin.duties.minutes', { minutes: Math.round(value / 6_000) / 10 }) : String(value));

  return (
    <section className="org-panel" aria-labelledby={`${id}-title`} data-testid="duties-panel">
      <h2 id={`${id}-title`}>{t('orgAdmin.duties.title')}</h2>
      <form className="search-row" onSubmit={submit}>
        <label>
          {t('orgAdmin.duties.from')}
          <input type="date" data-testid="duties-from" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          {t('orgAdmin.duties.to')}
          <input type="date" data-testid="duties-to" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <button type="submit" className="button" data-testid="duties-show">
          {t('orgAdmin.duties.show')}
        </button>
        <button type="button" className="button ghost" onClick={thisYear}>
          {t('orgAdmin.duties.thisYear')}
        </button>
        <button type="button" className="button ghost" onClick={all}>
          {t('orgAdmin.duties.all')}
        </button>
      </form>
      <p className="button-row">
        <a className="button" href={dutiesFileUrl(orgId, 'csv', period)} download data-testid="duties-export-csv">
          {t('orgAdmin.duties.exportCsv')}
        </a>
        <a className="button" href={dutiesFileUrl(orgId, 'xlsx', period)} download data-testid="duties-export-xlsx">
          {t('orgAdmin.duties.exportXlsx')}
        </a>
      </p>
      {records !== null && (
        <>
          <p className="field-hint" data-testid="duties-consultations">
            {t('orgAdmin.duties.consultations', { count: records.consultations })}
          </p>
          {records.members.length === 0 ? (
            <p className="field-hint">{t('orgAdmin.duties.none')}</p>
          ) : (
            <>
              <h3>{t('orgAdmin.duties.byMember')}</h3>
              <div className="table-scroll">
                <table className="admin-table" data-testid="duties-members">
                  <thead>
                    <tr>
                      <th scope="col">{t('orgAdmin.duties.columns.name')}</th>
                      <th scope="col">{t('orgAdmin.duties.columns.sector')}</th>
                      <th scope="col">{t('orgAdmin.duties.columns.district')}</th>
                      {COUNT_COLUMNS.map(([column]) => (
                        <th key={column} scope="col">
                          {t(`orgAdmin.duties.columns.${column}`)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {records.members.map((m) => (
                      <tr key={m.memberId} data-testid="duties-member" data-member-id={m.memberId} data-name={m.name}>
                        <th scope="row">{m.name}</th>
                        <td>{m.sector}</td>
                        <td>{m.district}</td>
                        {COUNT_COLUMNS.map(([column, value]) => (
                          <td key={column} data-column={column} data-value={value(m)}>
                            {cell(column, value(m))}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <h3>{t('orgAdmin.duties.bySector')}</h3>
              <div className="table-scroll">
                <table className="admin-table" data-testid="duties-sectors">
                  <thead>
                    <tr>
                      <th scope="col">{t('orgAdmin.duties.columns.sector')}</th>
                      <th scope="col">{t('orgAdmin.duties.columns.members')}</th>
                      {COUNT_COLUMNS.map(([column]) => (
                        <th key={column} scope="col">
                          {t(`orgAdmin.duties.columns.${column}`)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {records.sectors.map((s) => (
                      <tr key={s.sector} data-testid="duties-sector" data-sector={s.sector}>
                        <th scope="row">{s.sector}</th>
                        <td>{s.members}</td>
                        {COUNT_COLUMNS.map(([column, value]) => (
                          <td key={column} data-column={column} data-value={value(s)}>
                            {cell(column, value(s))}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </>
      )}
    </section>
  );
}
