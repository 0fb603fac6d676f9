/**
 * 待办事项 of the conclusions: who does what by when. Added and removed as commands like every
 * other change of the minutes, so each item is in the log with who added it.
 */
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import type { ActionItem } from '../../../../signaling/room/state.js';
import { ConfirmButton } from '../ConfirmButton.js';
import { useRoomClient } from '../context.js';

/** The list of action items, with a form to add one when the version is not locked. */
export function ActionItems({ actions, locked }: { actions: ActionItem[]; locked: boolean }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  return (
    <section className="minutes-block" aria-labelledby="minutes-actions-heading" data-testid="minutes-actions">
      <h3 id="minutes-actions-heading" className="panel-heading">
        {t('minutes.actions.title')}
      </h3>
      {actions.length === 0 ? (
        <p className="field-hint">{t('minutes.actions.empty')}</p>
      ) : (
        <ol className="minutes-list">
          {actions.map((a) => (
            <li key={a.id} className="minutes-action" data-testid="minutes-action" data-action-id={a.id}>
              <p className="minutes-action-text">{a.text}</p>
              <p className="muted-text">
                {t('minutes.actions.ownerIs', { owner: a.owner })}
                {t('minutes.listSeparator')}
                {a.due === null ? t('minutes.actions.noDue') : t('minutes.actions.dueOn', { date: a.due })}
              </p>
              {!locked && (
                <ConfirmButton
                  className="button small"
                  data-testid="minutes-action-remove"
                  aria-label={t('minutes.actions.remove', { text: a.text })}
                  confirm={t('minutes.actions.confirmRemove')}
                  onConfirm={() => client.act('minutes:removeAction', { actionId: a.id })}
                >
                  {t('minutes.actions.removeShort')}
                </ConfirmButton>
              )}
            </li>
          ))}
        </ol>
      )}
      {!locked && <AddAction />}
    </section>
  );
}

function AddAction() {
  const { t } = useTranslation();
  const client = useRoomClient();
  const [owner, setOwner] = useState('');
  const [due, setDue] = useState('');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const id = useId();
  const ready = owner.trim() !== '' && text.trim() !== '' && !busy;
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (!ready) return;
    setBusy(true);
    void client.act('minutes:addAction', { owner: owner.trim(), due: due === '' ? null : due, text: text.trim() }).then((ok) => {
      setBusy(false);
      // A refused item stays in the form (the alert says why) so nothing typed is lost.
      if (!ok) return;
      setOwner('');
      setDue('');
      setText('');
    });
  };
  return (
    <form className="minutes-form" onSubmit={submit} aria-label={t('minutes.actions.add')} data-testid="minutes-action-form">
      <label htmlFor={`${id}-text`}>{t('minutes.actions.text')}</label>
      <textarea id={`${id}-text`} data-testid="minutes-action-text" rows={2} maxLength={2000} value={text} onChange={(e) => setText(e.target.value)} />
      <div className="two-fields">
        <span>
          <label htmlFor={`${id}-owner`}>{t('minutes.actions.owner')}</label>
          <input id={`${id}-owner`} data-testid="minutes-action-owner" maxLength={64} value={owner} onChange={(e) => setOwner(e.target.value)} />
        </span>
        <span>
          <label htmlFor={`${id}-due`}>{t('minutes.actions.due')}</label>
          <input id={`${id}-due`} data-testid="minutes-action-due" type="date" value={due} onChange={(e) => setDue(e.target.value)} />
        </span>
      </div>
      <button type="submit" className="button small" data-testid="minutes-action-add" disabled={!ready}>
        {t('minutes.actions.add')}
      </button>
    </form>
  );
}
