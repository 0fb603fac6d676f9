/** 委员名册: the organisation's members in a table, edited in place, added one by one or imported from a file. */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { addMember, deleteMember, roster as readRoster, updateMember, type RosterFields, type RosterMember } from '../../net/orgApi.js';
import type { OrgContext } from './orgContext.js';
import { RosterImport } from './RosterImport.js';
import { emptyFields, FieldCells, ROSTER_FIELDS, RosterRow } from './RosterRow.js';

/** The table, the add row and the import form. */
export function RosterPanel({ ctx }: { ctx: OrgContext }) {
  const { t } = useTranslation();
  const id = useId();
  const [members, setMembers] = useState<RosterMember[] | null>(null);
  const [adding, setAdding] = useState<RosterFields>(emptyFields);
  const orgId = ctx.org.orgId;
  useEffect(() => {
    void ctx.run(() => readRoster(orgId)).then((read) => read !== undefined && setMembers(read));
  }, [orgId]);

  const save = async (memberId: string, fields: RosterFields): Promise<boolean> => {
    const saved = await ctx.run(() => updateMember(orgId, memberId, fields));
    if (saved !== undefined) setMembers((list) => list?.map((m) => (m.memberId === memberId ? saved : m)) ?? null);
    return saved !== undefined;
  };
  const remove = (memberId: string): void => {
    const deleted = async (): Promise<true> => {
      await deleteMember(orgId, memberId);
      return true;
    };
    void ctx.run(deleted).then((done) => done && setMembers((list) => list?.filter((m) => m.memberId !== memberId) ?? null));
  };
  const add = (): void => {
    void ctx.run(() => addMember(orgId, adding)).then((added) => {
      if (added === undefined) return;
      setMembers((list) => [...(list ?? []), added]);
      setAdding(emptyFields());
    });
  };

  return (
    <section className="org-panel" aria-labelledby={`${id}-title`} data-testid="roster-panel">
      <h2 id={`${id}-title`}>
        {t('orgAdmin.roster.title')}{' '}
        {members !== null && <span className="muted-text" data-testid="roster-count">{t('orgAdmin.roster.count', { count: members.length })}</span>}
      </h2>
      <div className="table-scroll">
        <table className="admin-table" data-testid="roster-table">
          <thead>
            <tr>
              {ROSTER_FIELDS.map((field) => (
                <th key={field} scope="col">
                  {t(`orgAdmin.roster.columns.${field}`)}
                </th>
              ))}
              <th scope="col">{t('orgAdmin.roster.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {members?.map((m) => (
              <RosterRow key={m.memberId} member={m} busy={ctx.busy} onSave={(fields) => save(m.memberId, fields)} onDelete={() => remove(m.memberId)} />
            ))}
            <tr data-testid="roster-add-row">
              <FieldCells fields={adding} onChange={setAdding} />
              <td>
                <button type="button" className="button small" data-testid="roster-add" disabled={ctx.busy || adding.name.trim() === ''} onClick={add}>
                  {t('orgAdmin.roster.add')}
                </button>
              </td>
            </tr>
          </tbody>
        </table>
      </div>
      {members !== null && members.length === 0 && <p className="field-hint">{t('orgAdmin.roster.empty')}</p>}
      <RosterImport ctx={ctx} onImported={setMembers} />
    </section>
  );
}
