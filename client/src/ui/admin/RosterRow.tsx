/** One member of the roster: shown, or edited in place (保存 / 取消), or deleted after a question. */
import { useState } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { ROSTER_COLUMNS } from '../../../../signaling/http/orgs.js';
import type { RosterFields, RosterMember } from '../../net/orgApi.js';
import { ConfirmButton } from '../ConfirmButton.js';

/** A roster field a person edits. */
export type RosterField = (typeof ROSTER_COLUMNS)[number]['field'];

/** The roster's editable fields, in the template's order. */
export const ROSTER_FIELDS: readonly RosterField[] = ROSTER_COLUMNS.map((c) => c.field);

/** An empty member to fill in. */
export function emptyFields(): RosterFields {
  return { name: '', sector: '', venue: '', district: '', phone: '', email: '', note: '' };
}

/** The row; `onSave` resolves true once the server took the change. */
export function RosterRow({ member, busy, onSave, onDelete }: { member: RosterMember; busy: boolean; onSave: (fields: RosterFields) => Promise<boolean>; onDelete: () => void }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<RosterFields | null>(null);
  if (editing !== null) {
    return (
      <tr data-testid="roster-row" data-member-id={member.memberId} data-editing="true">
        <FieldCells fields={editing} onChange={setEditing} />
        <td className="table-actions">
          <button
            type="button"
            className="button small primary"
            data-testid="roster-save"
            disabled={busy || editing.name.trim() === ''}
            onClick={() => void onSave(editing).then((saved) => saved && setEditing(null))}
          >
            {t('orgAdmin.roster.save')}
          </button>
          <button type="button" className="button small ghost" data-testid="roster-cancel" onClick={() => setEditing(null)}>
            {t('orgAdmin.roster.cancel')}
          </button>
        </td>
      </tr>
    );
  }
  return (
    <tr data-testid="roster-row" data-member-id={member.memberId}>
      {ROSTER_FIELDS.map((field) => (
        <td key={field} data-field={field}>
          {member[field]}
        </td>
      ))}
      <td className="table-actions">
        <button type="button" className="button small" data-testid="roster-edit" aria-label={t('orgAdmin.roster.editLabel', { name: member.name })} onClick={() => setEditing(fieldsOf(member))}>
          {t('orgAdmin.roster.edit')}
        </button>
        <ConfirmButton
          className="button small ghost"
          data-testid="roster-delete"
          aria-label={t('orgAdmin.roster.deleteLabel', { name: member.name })}
          confirm={t('orgAdmin.roster.deleteConfirm', { name: member.name })}
          confirmLabel={t('orgAdmin.roster.delete')}
          danger
          disabled={busy}
          onConfirm={onDelete}
        >
          {t('orgAdmin.roster.delete')}
        </ConfirmButton>
      </td>
    </tr>
  );
}

/** One input per field, each named by its column. */
export function FieldCells({ fields, onChange }: { fields: RosterFields; onChange: (fields: RosterFields) => void }) {
  const { t } = useTranslation();
  return (
    <>
      {ROSTER_FIELDS.map((field) => (
        <td key={field}>
          <input
            aria-label={t(`orgAdmin.roster.columns.${field}`)}
            data-testid={`roster-input-${field}`}
            value={fields[field]}
            maxLength={field === 'note' ? 200 : field === 'email' ? 128 : 64}
            onChange={(e) => onChange({ ...fields, [field]: e.target.value })}
          />
        </td>
      ))}
    </>
  );
}

function fieldsOf(member: RosterMember): RosterFields {
  const { name, sector, venue, district, phone, email, note } = member;
  return { name, sector, venue, district, phone, email, note };
}
