/**
 * Picks the roster members to invite: one by one, all, or a whole sector or venue at a time
 * (an office invites "the economy sector" or "everyone at 黄浦"), with the count chosen.
 */
import { useId, useState } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import type { RosterMember } from '../../net/orgApi.js';

/** The members' table with its checkboxes and the group choices above it. */
export function MemberPicker({ roster, selected, onChange }: { roster: RosterMember[]; selected: ReadonlySet<string>; onChange: (next: Set<string>) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const add = (ids: string[]): void => onChange(new Set([...selected, ...ids]));
  const toggle = (memberId: string, on: boolean): void => {
    const next = new Set(selected);
    if (on) next.add(memberId);
    else next.delete(memberId);
    onChange(next);
  };
  if (roster.length === 0) return <p className="field-hint">{t('orgAdmin.create.emptyRoster')}</p>;
  return (
    <fieldset className="member-picker" data-testid="member-picker">
      <legend>
        {t('orgAdmin.create.members')} <span data-testid="member-picker-count">{t('orgAdmin.create.selected', { count: selected.size })}</span>
      </legend>
      <div className="picker-actions">
        <button type="button" className="button small" data-testid="member-select-all" onClick={() => add(roster.map((m) => m.memberId))}>
          {t('orgAdmin.create.selectAll')}
        </button>
        <button type="button" className="button small ghost" data-testid="member-select-none" onClick={() => onChange(new Set())}>
          {t('orgAdmin.create.selectNone')}
        </button>
        <GroupChoice id={`${id}-sector`} label={t('orgAdmin.create.bySector')} empty={t('orgAdmin.create.noSector')} testId="member-by-sector" roster={roster} keyOf={(m) => m.sector} onAdd={add} />
        <GroupChoice id={`${id}-venue`} label={t('orgAdmin.create.byVenue')} empty={t('orgAdmin.create.noVenue')} testId="member-by-venue" roster={roster} keyOf={(m) => m.venue} onAdd={add} />
      </div>
      <div className="table-scroll">
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col" />
              <th scope="col">{t('orgAdmin.roster.columns.name')}</th>
              <th scope="col">{t('orgAdmin.roster.columns.sector')}</th>
              <th scope="col">{t('orgAdmin.roster.columns.venue')}</th>
              <th scope="col">{t('orgAdmin.roster.columns.district')}</th>
            </tr>
          </thead>
          <tbody>
            {roster.map((m) => (
              <tr key={m.memberId} data-testid="member-pick-row" data-member-id={m.memberId}>
                <td>
                  <input
                    type="checkbox"
                    data-testid="member-pick"
                    aria-label={t('orgAdmin.create.pick', { name: m.name })}
                    checked={selected.has(m.memberId)}
                    onChange={(e) => toggle(m.memberId, e.target.checked)}
                  />
                </td>
                <td>{m.name}</td>
                <td>{m.sector}</td>
                <td>{m.venue}</td>
                <td>{m.district}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </fieldset>
  );
}

/** A select of the roster's sectors (or venues) and 加入, which adds every member of the one chosen. */
function GroupChoice(props: { id: string; label: string; empty: string; testId: string; roster: RosterMember[]; keyOf: (m: RosterMember) => string; onAdd: (ids: string[]) => void }) {
  const { t } = useTranslation();
  const { roster, keyOf } = props;
  const groups = [...new Set(roster.map(keyOf))].sort();
  const [chosen, setChosen] = useState<string | null>(null);
  return (
    <span className="group-choice">
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} data-testid={props.testId} value={chosen ?? ''} onChange={(e) => setChosen(e.target.value === '' ? null : e.target.value.slice(1))}>
        <option value="">{t('orgAdmin.create.chooseGroup')}</option>
        {groups.map((g) => (
          // A leading '=' keeps the empty group ('') apart from "nothing chosen".
          <option key={g} value={`=${g}`}>
            {g === '' ? props.empty : g} ({roster.filter((m) => keyOf(m) === g).length})
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button small"
        data-testid={`${props.testId}-add`}
        disabled={chosen === null}
        onClick={() => chosen !== null && props.onAdd(roster.filter((m) => keyOf(m) === chosen).map((m) => m.memberId))}
      >
        {t('orgAdmin.create.addGroup')}
      </button>
    </span>
  );
}
