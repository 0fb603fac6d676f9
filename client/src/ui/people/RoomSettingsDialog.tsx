/**
 * 会议设置: the chair changes the room's settings in one dialog, each with what it means in one
 * line, from a few sane choices rather than free numbers (a first-time chair picks, never types
 * "0" by mistake). Saving sends only what changed, in one room:settings; cancelling changes
 * nothing. The room lock stays a one-click button beside it (RoomControls).
 */
import type { TFunction } from 'i18next';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { DEFAULT_SECRET_GROUP_MIN } from '../../../../signaling/room/pollBreakdown.js';
import type { RoomSettings } from '../../../../signaling/room/state.js';
import { useRoomClient } from '../context.js';
import { Dialog } from '../Dialog.js';

/** The settings this dialog edits. */
type Editable = Pick<RoomSettings, 'defaultSpeechSeconds' | 'warningSeconds' | 'graceSeconds' | 'speechesPerVenue' | 'quorumPercent' | 'open' | 'floorOnly'> & {
  secretGroupMin: number;
};
const EDITABLE: ReadonlyArray<keyof Editable> = ['defaultSpeechSeconds', 'warningSeconds', 'graceSeconds', 'speechesPerVenue', 'quorumPercent', 'open', 'floorOnly', 'secretGroupMin'];

const SPEECH_CHOICES = [60, 120, 180, 300, 600];
const WARNING_CHOICES = [0, 15, 30, 60, 120];
const GRACE_CHOICES = [0, 10, 15, 30, 60];
const QUOTA_CHOICES = [null, 1, 2, 3, 4, 5, 6, 8, 10];
const QUORUM_CHOICES = [null, 50, 60, 67, 75, 100];
const GROUP_MIN_CHOICES = [3, 5, 8, 10];

/** The settings as the dialog edits them: a room created before secretGroupMin has the default. */
function editable(settings: RoomSettings): Editable {
  return { ...settings, secretGroupMin: secretGroupMinOf(settings) };
}

function secretGroupMinOf(settings: RoomSettings): number {
  return settings.secretGroupMin ?? DEFAULT_SECRET_GROUP_MIN;
}

/** What changed between the room's settings and the draft (empty: nothing to send). */
export function changedSettings(room: RoomSettings, draft: Editable): Partial<Editable> {
  const current = editable(room);
  const changed: Partial<Editable> = {};
  for (const key of EDITABLE) if (current[key] !== draft[key]) Object.assign(changed, { [key]: draft[key] });
  return changed;
}

/** The choices, plus the room's current value if it is not one of them (set when the room was created). */
function withCurrent<T extends number | null>(choices: readonly T[], current: T): T[] {
  if (choices.includes(current)) return [...choices];
  return [...choices, current].sort((a, b) => (a ?? -1) - (b ?? -1));
}

/** The dialog; `onClose` after saving or cancelling. */
export function RoomSettingsDialog({ settings, onClose }: { settings: RoomSettings; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const [draft, setDraft] = useState<Editable>(() => editable(settings));
  const [saving, setSaving] = useState(false);
  const set = <K extends keyof Editable>(key: K, value: Editable[K]): void => setDraft((d) => ({ ...d, [key]: value }));
  const duration = (s: number): string => (s % 60 === 0 ? t('settings.minutes', { count: s / 60 }) : t('settings.seconds', { count: s }));

  const save = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const changed = changedSettings(settings, draft);
    if (Object.keys(changed).length === 0) return onClose();
    setSaving(true);
    void client.act('room:settings', changed).then((ok) => {
      setSaving(false);
      if (ok) onClose();
    });
  };

  return (
    <Dialog title={t('settings.title')} onCancel={onClose} data-testid="room-settings-dialog">
      <form className="settings-form" onSubmit={save}>
        <p className="field-hint">{t('settings.intro')}</p>
        <fieldset>
          <legend>{t('settings.speaking')}</legend>
          <Choice
            label={t('settings.defaultSpeech')}
            hint={t('settings.defaultSpeechHint')}
            testId="settings-default-speech"
            value={draft.defaultSpeechSeconds}
            choices={withCurrent(SPEECH_CHOICES, settings.defaultSpeechSeconds)}
            show={duration}
            onChange={(v) => set('defaultSpeechSeconds', v ?? settings.defaultSpeechSeconds)}
          />
          <Choice
            label={t('settings.warning')}
            hint={t('settings.warningHint')}
            testId="settings-warning"
            value={draft.warningSeconds}
            choices={withCurrent(WARNING_CHOICES, settings.warningSeconds)}
            show={(s) => (s === 0 ? t('settings.warningNone') : duration(s))}
            onChange={(v) => set('warningSeconds', v ?? 0)}
          >
            {draft.warningSeconds >= draft.defaultSpeechSeconds && (
              <span className="field-hint warn" role="status" data-testid="settings-warning-too-long">
                {t('settings.warningTooLong')}
              </span>
            )}
          </Choice>
          <Choice
            label={t('settings.grace')}
            hint={t('settings.graceHint')}
            testId="settings-grace"
            value={draft.graceSeconds}
            choices={withCurrent(GRACE_CHOICES, settings.graceSeconds)}
            show={(s) => (s === 0 ? t('settings.graceNone') : duration(s))}
            onChange={(v) => set('graceSeconds', v ?? 0)}
          />
          <Choice
            label={t('settings.quota')}
            hint={t('settings.quotaHint')}
            testId="settings-quota"
            value={draft.speechesPerVenue}
            choices={withCurrent(QUOTA_CHOICES, settings.speechesPerVenue)}
            show={(n) => (n === null ? t('settings.quotaNone') : t('settings.quotaCount', { count: n }))}
            onChange={(v) => set('speechesPerVenue', v)}
          />
          <Toggle
            label={t('settings.floorOnly')}
            hint={t('settings.floorOnlyHint')}
            testId="settings-floor-only"
            checked={draft.floorOnly}
            onChange={(v) => set('floorOnly', v)}
          />
        </fieldset>
        <fieldset>
          <legend>{t('settings.attendance')}</legend>
          <Choice
            label={t('settings.quorum')}
            hint={t('settings.quorumHint')}
            testId="settings-quorum"
            value={draft.quorumPercent}
            choices={withCurrent(QUORUM_CHOICES, settings.quorumPercent)}
            show={(p) => quorumLabel(t, p)}
            onChange={(v) => set('quorumPercent', v)}
          />
          <Toggle label={t('settings.lobby')} hint={t('settings.lobbyHint')} testId="settings-lobby" checked={!draft.open} onChange={(v) => set('open', !v)} />
        </fieldset>
        <fieldset>
          <legend>{t('breakdown.settingSection')}</legend>
          <Choice
            label={t('breakdown.setting')}
            hint={t('breakdown.settingHint')}
            testId="settings-secret-group-min"
            value={draft.secretGroupMin}
            choices={withCurrent(GROUP_MIN_CHOICES, secretGroupMinOf(settings))}
            show={(n) => t('breakdown.settingCount', { count: n })}
            onChange={(v) => set('secretGroupMin', v)}
          />
        </fieldset>
        <div className="dialog-actions">
          <button type="button" className="button" data-testid="room-settings-cancel" onClick={onClose}>
            {t('dialog.cancel')}
          </button>
          <button type="submit" className="button primary" data-testid="room-settings-save" disabled={saving}>
            {t('settings.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The settings in one line under the chair's buttons, so what holds is seen without opening the dialog. */
export function SettingsSummary({ settings }: { settings: RoomSettings }) {
  const { t } = useTranslation();
  const duration = (s: number): string => (s % 60 === 0 ? t('settings.minutes', { count: s / 60 }) : t('settings.seconds', { count: s }));
  const quota = settings.speechesPerVenue;
  return (
    <p className="field-hint" data-testid="room-settings-summary">
      {t('settings.summary', {
        speech: duration(settings.defaultSpeechSeconds),
        warning: settings.warningSeconds === 0 ? t('settings.warningNone') : duration(settings.warningSeconds),
        grace: settings.graceSeconds === 0 ? t('settings.graceNone') : duration(settings.graceSeconds),
        quota: quota === null ? t('settings.quotaNone') : t('settings.quotaCount', { count: quota }),
        quorum: quorumLabel(t, settings.quorumPercent),
      })}
    </p>
  );
}

/** A quorum choice in words: 不设, 半数（50%）, 三分之二（67%）… */
export function quorumLabel(t: TFunction, percent: number | null): string {
  if (percent === null) return t('settings.quorumNone');
  if (percent === 50) return t('settings.quorumHalf');
  if (percent === 67) return t('settings.quorumTwoThirds');
  if (percent === 100) return t('settings.quorumAll');
  return t('settings.quorumPercent', { percent });
}

type ChoiceProps<T extends number | null> = {
  label: string;
  hint: string;
  testId: string;
  value: T;
  choices: T[];
  show: (value: T) => string;
  onChange: (value: T) => void;
  children?: ReactNode;
};

/** A labelled select over numbers (null: "none"), with its one-line meaning. */
function Choice<T extends number | null>({ label, hint, testId, value, choices, show, onChange, children }: ChoiceProps<T>) {
  const id = useId();
  const key = (v: T): string => (v === null ? 'none' : String(v));
  return (
    <div className="settings-field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        data-testid={testId}
        aria-describedby={`${id}-hint`}
        value={key(value)}
        onChange={(e) => {
          // Not find(): the "none" choice is null, which find() could not tell from no match.
          for (const c of choices) if (key(c) === e.target.value) return onChange(c);
        }}
      >
        {choices.map((c) => (
          <option key={key(c)} value={key(c)}>
            {show(c)}
          </option>
        ))}
      </select>
      <span id={`${id}-hint`} className="field-hint">
        {hint}
      </span>
      {children}
    </div>
  );
}

/** A labelled checkbox with its one-line meaning. */
function Toggle({ label, hint, testId, checked, onChange }: { label: string; hint: string; testId: string; checked: boolean; onChange: (v: boolean) => void }) {
  const id = useId();
  return (
    <div className="settings-field toggle-field">
      <label className="check">
        <input type="checkbox" data-testid={testId} aria-describedby={`${id}-hint`} checked={checked} onChange={(e) => onChange(e.target.checked)} />
        {label}
      </label>
      <span id={`${id}-hint`} className="field-hint">
        {hint}
      </span>
    </div>
  );
}
