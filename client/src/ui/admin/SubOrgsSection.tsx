/** The organisations below the one shown (a city's districts): listed, and a new one created. */
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { createOrg } from '../../net/orgApi.js';
import type { OrgContext } from './orgContext.js';

/** The list and the create form; `onManage` switches the page to one of them. */
export function SubOrgsSection({ ctx, onManage }: { ctx: OrgContext; onManage: (orgId: string) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const below = ctx.orgs.filter((o) => o.parentId === ctx.org.orgId);
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const wanted = name.trim();
    if (wanted === '' || ctx.busy) return;
    void ctx.run(() => createOrg({ name: wanted, parentId: ctx.org.orgId })).then((org) => {
      if (org === undefined) return;
      setName('');
      setCreated(org.name);
      ctx.reloadOrgs();
    });
  };
  return (
    <section className="card-form" aria-labelledby={`${id}-title`} data-testid="sub-orgs">
      <h3 id={`${id}-title`}>{t('orgAdmin.orgs.title')}</h3>
      {below.length === 0 ? (
        <p className="field-hint">{t('orgAdmin.orgs.none')}</p>
      ) : (
        <ul className="recent-rooms">
          {below.map((o) => (
            <li key={o.orgId} data-testid="sub-org" data-org-id={o.orgId}>
              <button type="button" className="button ghost small" data-testid="sub-org-manage" onClick={() => onManage(o.orgId)}>
                {t('orgAdmin.orgs.manage')}
              </button>
              <span className="recent-topic">{o.name}</span>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} className="inline-form">
        <label htmlFor={`${id}-name`}>{t('orgAdmin.orgs.name')}</label>
        <input id={`${id}-name`} data-testid="sub-org-name" value={name} maxLength={64} onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="button" data-testid="sub-org-create" disabled={name.trim() === '' || ctx.busy}>
          {t('orgAdmin.orgs.create')}
        </button>
      </form>
      {created !== null && (
        <p role="status" className="notice" data-testid="sub-org-created">
          {t('orgAdmin.orgs.created', { name: created })}
        </p>
      )}
    </section>
  );
}
