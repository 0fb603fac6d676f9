/**
 * The organiser's settings of a consultation's public comments (群众留言): when the public may
 * comment (from, until), the background text above the form, the themes staff tag comments
 * with, and the words that hold a comment for review. A consultation whose comments were never
 * set is offered a window from now until seven days after the meeting, saved only on 保存.
 */
import { useEffect, useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { COMMENT_LIMITS, type CommentSettings } from '../../../../signaling/comments/model.js';
import type { RoomSummary } from '../../net/inviteApi.js';
import type { AdminContext } from './adminContext.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** `<input type="datetime-local">`'s value for an instant, in the browser's time zone. */
export function toLocalInput(epochMs: number | null): string {
  if (epochMs === null) return '';
  const d = new Date(epochMs);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The instant a datetime-local value names (browser time zone), or null when empty or unreadable. */
export function fromLocalInput(value: string): number | null {
  if (value === '') return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : null;
}

/** The window offered when comments were never set: from now until seven days after the meeting. */
export function defaultWindow(room: Pick<RoomSummary, 'startsAt' | 'endsAt'>, now: number): { opensAt: number; closesAt: number } {
  const meeting = room.endsAt ?? room.startsAt ?? now;
  return { opensAt: now, closesAt: Math.max(meeting, now) + 7 * DAY_MS };
}

const neverSet = (s: CommentSettings): boolean =>
  s.opensAt === null && s.closesAt === null && s.background === '' && s.themes.length === 0 && s.heldWords.length === 0;

/** The form for one consultation. */
export function CommentSettingsForm({ ctx, room }: { ctx: AdminContext; room: RoomSummary }) {
  const { t } = useTranslation();
  const [loaded, setLoaded] = useState<CommentSettings | null>(null);
  useEffect(() => {
    let alive = true;
    void ctx.run((api) => api.commentSettings(room.roomId)).then((settings) => alive && settings !== undefined && setLoaded(settings));
    return () => {
      alive = false;
    };
    // Once per consultation: the context is a new object on every render of the page.
  }, [room.roomId]);
  return (
    <section className="card-form no-print comment-settings" aria-labelledby="comment-settings-title" data-testid="comment-settings">
      <h2 id="comment-settings-title">{t('comments.settings.title')}</h2>
      {loaded === null ? <p className="muted-text">{t('comments.settings.loading')}</p> : <Fields ctx={ctx} room={room} initial={loaded} onSaved={setLoaded} />}
    </section>
  );
}

function Fields({ ctx, room, initial, onSaved }: { ctx: AdminContext; room: RoomSummary; initial: CommentSettings; onSaved: (s: CommentSettings) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const offered = neverSet(initial) ? defaultWindow(room, Date.now()) : initial;
  const [opensAt, setOpensAt] = useState(toLocalInput(offered.opensAt));
  const [closesAt, setClosesAt] = useState(toLocalInput(offered.closesAt));
  const [background, setBackground] = useState(initial.background);
  const [themes, setThemes] = useState<string[]>(initial.themes);
  const [theme, setTheme] = useState('');
  const [heldWords, setHeldWords] = useState(initial.heldWords.join('\n'));
  const [saved, setSaved] = useState(false);

  const opens = fromLocalInput(opensAt);
  const closes = fromLocalInput(closesAt);
  const backwards = opens !== null && closes !== null && closes <= opens;
  const newTheme = theme.trim();
  const themeOk = newTheme !== '' && [...newTheme].length <= COMMENT_LIMITS.theme && !themes.includes(newTheme) && themes.length < COMMENT_LIMITS.themes;

  const addTheme = (): void => {
    if (!themeOk) return;
    setThemes([...themes, newTheme]);
    setTheme('');
    setSaved(false);
  };
  const themeKey = (event: KeyboardEvent<HTMLInputElement>): void => {
    // Enter adds the tag rather than submitting the whole form.
    if (event.key !== 'Enter') return;
    event.preventDefault();
    addTheme();
  };
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (backwards || ctx.busy) return;
    const words = [...new Set(heldWords.split('\n').map((w) => w.trim()).filter((w) => w !== ''))];
    const input = { opensAt: opens, closesAt: closes, background: background.trim(), themes, heldWords: words };
    void ctx.run((api) => api.saveCommentSettings(room.roomId, input)).then((stored) => {
      if (stored === undefined) return;
      onSaved(stored);
      setSaved(true);
    });
  };
  const changed = <T,>(set: (v: T) => void) => (v: T): void => {
    set(v);
    setSaved(false);
  };

  return (
    <form onSubmit={submit}>
      <p className="field-hint">{t('comments.settings.hint')}</p>
      <div className="two-fields">
        <span>
          <label htmlFor={`${id}-opens`}>{t('comments.settings.opensAt')}</label>
          <input id={`${id}-opens`} type="datetime-local" data-testid="comment-settings-opens" value={opensAt} onChange={(e) => changed(setOpensAt)(e.target.value)} />
        </span>
        <span>
          <label htmlFor={`${id}-closes`}>{t('comments.settings.closesAt')}</label>
          <input
            id={`${id}-closes`}
            type="datetime-local"
            data-testid="comment-settings-closes"
            value={closesAt}
            aria-invalid={backwards}
            aria-describedby={backwards ? `${id}-backwards` : undefined}
            onChange={(e) => changed(setClosesAt)(e.target.value)}
          />
        </span>
      </div>
      {backwards && (
        <p id={`${id}-backwards`} className="field-error" role="alert">
          {t('comments.settings.closesBeforeOpen')}
        </p>
      )}
      <label htmlFor={`${id}-background`}>{t('comments.settings.background')}</label>
      <textarea id={`${id}-background`} rows={5} data-testid="comment-settings-background" value={background} onChange={(e) => changed(setBackground)(e.target.value)} />
      <p className={[...background.trim()].length > COMMENT_LIMITS.background ? 'field-error' : 'field-hint'}>
        {t('comments.form.count', { count: [...background.trim()].length, max: COMMENT_LIMITS.background })}
      </p>
      <span className="field-label" id={`${id}-themes`}>
        {t('comments.settings.themes')}
      </span>
      <ul className="chips" aria-labelledby={`${id}-themes`} data-testid="comment-settings-themes">
        {themes.map((name) => (
          <li key={name} className="chip theme on">
            <bdi dir="auto">{name}</bdi>{' '}
            <button
              type="button"
              className="chip-remove"
              aria-label={t('comments.settings.removeTheme', { theme: name })}
              onClick={() => changed(setThemes)(themes.filter((x) => x !== name))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <div className="inline-field">
        <label htmlFor={`${id}-theme`} className="visually-hidden">
          {t('comments.settings.themeInput')}
        </label>
        <input id={`${id}-theme`} data-testid="comment-settings-theme" placeholder={t('comments.settings.themeInput')} value={theme} onChange={(e) => setTheme(e.target.value)} onKeyDown={themeKey} />
        <button type="button" className="button small" data-testid="comment-settings-add-theme" disabled={!themeOk} onClick={addTheme}>
          {t('comments.settings.addTheme')}
        </button>
      </div>
      <label htmlFor={`${id}-words`}>{t('comments.settings.heldWords')}</label>
      <textarea id={`${id}-words`} rows={4} data-testid="comment-settings-words" value={heldWords} onChange={(e) => changed(setHeldWords)(e.target.value)} />
      <button type="submit" className="button primary" data-testid="comment-settings-save" disabled={backwards || ctx.busy} aria-busy={ctx.busy}>
        {t('comments.settings.save')}
      </button>
      <p role="status" className="field-hint" data-testid="comment-settings-status">
        {saved ? t('comments.settings.saved') : ''}
      </p>
    </form>
  );
}
