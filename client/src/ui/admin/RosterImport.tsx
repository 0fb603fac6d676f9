/**
 * 导入名册: a .csv or .xlsx file as offices keep it, merged into the roster or replacing it
 * (replacing asks first). A refused file lists every bad row as "第 N 行 · 列 · 原因", and
 * nothing is imported; the templates are linked beside it.
 */
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { MAX_ROSTER_MEMBERS } from '../../../../signaling/orgs/model.js';
import { ConfirmDialog } from '../Dialog.js';
import { importRoster, rosterFileKind, rosterTemplateUrl, RosterImportError, type RosterMember, type RosterRowError } from '../../net/orgApi.js';
import type { OrgContext } from './orgContext.js';

type Outcome =
  | { kind: 'imported'; added: number; updated: number; removed: number }
  | { kind: 'rejected'; rows: RosterRowError[] }
  | { kind: 'badFile' }
  /** Refused without a bad row: the roster would grow past its limit. */
  | { kind: 'tooMany' };

/** The import form; `onImported` gets the roster as it is after the import. */
export function RosterImport({ ctx, onImported }: { ctx: OrgContext; onImported: (members: RosterMember[]) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<'merge' | 'replace'>('merge');
  const [asking, setAsking] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const orgId = ctx.org.orgId;

  const send = (): void => {
    if (file === null) return;
    const kind = rosterFileKind(file.name);
    if (kind === null) {
      setOutcome({ kind: 'badFile' });
      return;
    }
    setBusy(true);
    setOutcome(null);
    importRoster(orgId, file, kind, mode)
      .then(
        (imported) => {
          setOutcome({ kind: 'imported', added: imported.added, updated: imported.updated, removed: imported.removed });
          onImported(imported.members);
        },
        (failure: unknown) => {
          // Rows to correct are this form's to show; any other failure is the page's.
          if (failure instanceof RosterImportError) setOutcome(failure.rows.length === 0 ? { kind: 'tooMany' } : { kind: 'rejected', rows: failure.rows });
          else void ctx.run(() => Promise.reject(failure));
        },
      )
      .finally(() => setBusy(false));
  };
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (file === null || busy) return;
    if (mode === 'replace') setAsking(true);
    else send();
  };

  return (
    <form className="card-form" onSubmit={submit} aria-labelledby={`${id}-title`} data-testid="roster-import">
      <h3 id={`${id}-title`}>{t('orgAdmin.roster.importTitle')}</h3>
      <label htmlFor={`${id}-file`}>{t('orgAdmin.roster.file')}</label>
      <input
        id={`${id}-file`}
        type="file"
        data-testid="roster-file"
        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        onChange={(e) => {
          setFile(e.target.files?.[0] ?? null);
          setOutcome(null);
        }}
      />
      <fieldset>
        <legend>{t('orgAdmin.roster.mode')}</legend>
        <label className="check">
          <input type="radio" name={`${id}-mode`} data-testid="roster-mode-merge" checked={mode === 'merge'} onChange={() => setMode('merge')} />
          {t('orgAdmin.roster.merge')}
        </label>
        <label className="check">
          <input type="radio" name={`${id}-mode`} data-testid="roster-mode-replace" checked={mode === 'replace'} onChange={() => setMode('replace')} />
          {t('orgAdmin.roster.replace')}
        </label>
      </fieldset>
      <button type="submit" className="button primary" data-testid="roster-import-submit" disabled={file === null || busy} aria-busy={busy}>
        {busy ? t('admin.working') : t('orgAdmin.roster.import')}
      </button>
      <OutcomeView outcome={outcome} />
      <p className="field-hint">
        {t('orgAdmin.roster.template')}{' '}
        <a href={rosterTemplateUrl(orgId, 'csv')} download data-testid="roster-template-csv">
          {t('orgAdmin.roster.templateCsv')}
        </a>{' '}
        ·{' '}
        <a href={rosterTemplateUrl(orgId, 'xlsx')} download data-testid="roster-template-xlsx">
          {t('orgAdmin.roster.templateXlsx')}
        </a>
      </p>
      {asking && (
        <ConfirmDialog
          data-testid="roster-replace-dialog"
          question={t('orgAdmin.roster.replaceConfirm')}
          confirmLabel={t('orgAdmin.roster.import')}
          danger
          onCancel={() => setAsking(false)}
          onConfirm={() => {
            setAsking(false);
            send();
          }}
        />
      )}
    </form>
  );
}

function OutcomeView({ outcome }: { outcome: Outcome | null }) {
  const { t } = useTranslation();
  if (outcome === null) return null;
  if (outcome.kind === 'badFile' || outcome.kind === 'tooMany') {
    return (
      <p role="alert" className="field-error" data-testid="roster-import-error">
        {outcome.kind === 'badFile' ? t('orgAdmin.roster.badFile') : t('orgAdmin.roster.tooMany', { max: MAX_ROSTER_MEMBERS })}
      </p>
    );
  }
  if (outcome.kind === 'imported') {
    return (
      <p role="status" className="notice" data-testid="roster-imported">
        {t('orgAdmin.roster.imported', outcome)}
      </p>
    );
  }
  return (
    <div role="alert" className="field-error" data-testid="roster-import-error">
      <p>{t('orgAdmin.roster.rejected', { count: outcome.rows.length })}</p>
      <ul data-testid="roster-row-errors">
        {outcome.rows.map((r, i) => (
          <li key={i} data-row={r.row}>
            {t('orgAdmin.roster.rowError', { row: r.row, column: r.column, message: r.message })}
          </li>
        ))}
      </ul>
    </div>
  );
}
