/** The organisation shown; a select when the account reaches more than one (a city administrator and the districts). */
import { useId } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import type { Organisation } from '../../net/orgApi.js';

/** The organisation's name, and the switcher. */
export function OrgSwitcher({ orgs, current, onChoose }: { orgs: Organisation[]; current: Organisation; onChoose: (orgId: string) => void }) {
  const { t } = useTranslation();
  const id = useId();
  if (orgs.length < 2) {
    return (
      <p className="admin-org no-print" data-testid="admin-org" data-org-id={current.orgId}>
        {t('orgAdmin.org')} <strong>{current.name}</strong>
      </p>
    );
  }
  return (
    <p className="admin-org no-print" data-testid="admin-org" data-org-id={current.orgId}>
      <label htmlFor={id}>{t('orgAdmin.switchOrg')}</label>{' '}
      <select id={id} data-testid="admin-org-switch" value={current.orgId} onChange={(e) => onChoose(e.target.value)}>
        {orgs.map((org) => (
          <option key={org.orgId} value={org.orgId}>
            {org.parentId === null ? org.name : `· ${org.name}`}
          </option>
        ))}
      </select>
    </p>
  );
}
