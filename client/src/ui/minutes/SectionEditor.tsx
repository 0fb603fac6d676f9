/**
 * One editable section of the minutes: a text box, a 保存 button and a status line that says
 * in words whether the room has the text. Saving is explicit: in a district office the
 * secretary should see "已保存" after pressing the button, not wonder whether a timer fired.
 * When another secretary's save got in first, both texts are shown side by side (ConflictView).
 */
import type { TFunction } from 'i18next';
import { useId, type KeyboardEvent } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import type { SectionKey } from '../../../../signaling/room/state.js';
import type { ClientErrorCode } from '../../errors.js';
import { ConfirmButton } from '../ConfirmButton.js';
import { useDrafts } from './drafts.js';
import { draftStatus, shownText, type DraftStatus, type RoomText } from './sectionDraft.js';

type Props = {
  section: SectionKey;
  /** The section's name for screen readers and the heading of the conflict view. */
  label: string;
  room: RoomText;
  /**
   * Why the text cannot be changed now (the version is locked, a correction waits for an
   * answer), or null when it can.
   */
  readOnlyReason: string | null;
  placeholder: string;
};

/** A section's text box with its save button, status and conflict resolution. */
export function SectionEditor({ section, label, room, readOnlyReason, placeholder }: Props) {
  const { t } = useTranslation();
  const { drafts, change, save } = useDrafts();
  const id = useId();
  const draft = drafts[section];
  const text = draft === undefined ? room.text : shownText(draft, room);
  const status = draft === undefined ? 'saved' : draftStatus(draft);
  const readOnly = readOnlyReason !== null;
  const canSave = !readOnly && (status === 'unsaved' || status === 'failed' || status === 'conflict');

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    // Ctrl+Enter (⌘+Enter) saves without leaving the keyboard.
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && canSave) {
      event.preventDefault();
      save(section);
    }
  };

  return (
    <div className={`section-editor status-${status}`} data-testid="minutes-section" data-section={section} data-status={status} data-version={room.version}>
      {status === 'conflict' && <ConflictView section={section} label={label} room={room} readOnly={readOnly} />}
      <label htmlFor={`${id}-text`} className={status === 'conflict' ? 'conflict-label' : 'visually-hidden'}>
        {status === 'conflict' ? t('minutes.editor.yours') : label}
      </label>
      <textarea
        id={`${id}-text`}
        data-testid="minutes-section-text"
        value={text}
        rows={Math.min(12, Math.max(3, text.split('\n').length + 1))}
        maxLength={20_000}
        placeholder={readOnly ? undefined : placeholder}
        readOnly={readOnly}
        aria-describedby={`${id}-status`}
        onChange={(e) => change(section, { type: 'typed', text: e.target.value, room })}
        onKeyDown={onKeyDown}
      />
      <div className="section-editor-bar">
        <span id={`${id}-status`} className={`save-status ${status}${readOnly ? ' readonly' : ''}`} role="status" data-testid="minutes-save-status">
          {readOnly && status === 'saved' ? readOnlyReason : statusText(t, status, draft?.error ?? null)}
        </span>
        {readOnly && status !== 'saved' && (
          <span className="field-hint" data-testid="minutes-readonly-reason">
            {readOnlyReason}
          </span>
        )}
        {!readOnly && (
          <button type="button" className="button primary small" data-testid="minutes-save" disabled={!canSave} onClick={() => save(section)}>
            {status === 'conflict' ? t('minutes.editor.keepMine') : t('minutes.editor.save')}
          </button>
        )}
      </div>
    </div>
  );
}

function statusText(t: TFunction, status: DraftStatus, error: ClientErrorCode | null): string {
  switch (status) {
    case 'saved':
      return t('minutes.editor.saved');
    case 'unsaved':
      return t('minutes.editor.unsaved');
    case 'saving':
      return t('minutes.editor.saving');
    case 'conflict':
      return t('minutes.editor.conflictStatus');
    case 'failed':
      return t('minutes.editor.failed', { reason: error === null ? '' : t(`errors.${error}`) });
  }
}

/**
 * The other secretary's text next to mine: keep mine (saved over theirs, the button under my
 * text box), take theirs (drops my typing, so it asks first), or pull theirs into my box to
 * merge by hand and then save.
 */
function ConflictView({ section, label, room, readOnly }: { section: SectionKey; label: string; room: RoomText; readOnly: boolean }) {
  const { t } = useTranslation();
  const { drafts, change } = useDrafts();
  const mine = drafts[section]?.text ?? '';
  const headingId = useId();
  return (
    <div className="section-conflict" role="group" aria-labelledby={headingId} data-testid="minutes-conflict">
      <p id={headingId} className="conflict-title" role="alert">
        {t('minutes.editor.conflictTitle', { section: label })}
      </p>
      <p className="field-hint">{t('minutes.editor.conflictBody')}</p>
      <p className="conflict-label">{t('minutes.editor.theirs')}</p>
      <div className="conflict-theirs" data-testid="minutes-conflict-theirs">
        {room.text === '' ? <span className="muted-text">{t('minutes.editor.emptyText')}</span> : room.text}
      </div>
      {!readOnly && (
        <div className="row-actions">
          <button
            type="button"
            className="button small"
            data-testid="minutes-conflict-append"
            onClick={() => change(section, { type: 'typed', text: mine === '' ? room.text : `${mine}\n\n${room.text}`, room })}
          >
            {t('minutes.editor.appendTheirs')}
          </button>
          <ConfirmButton
            className="button small"
            data-testid="minutes-conflict-take-theirs"
            confirm={t('minutes.editor.confirmTakeTheirs')}
            onConfirm={() => change(section, { type: 'takeTheirs', room })}
          >
            {t('minutes.editor.takeTheirs')}
          </ConfirmButton>
        </div>
      )}
    </div>
  );
}
