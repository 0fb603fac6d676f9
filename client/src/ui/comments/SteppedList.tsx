/**
 * A list of comments shown a step at a time: the server sends the public up to 100 comments
 * (PUBLIC_PAGE_SIZE) and the staff up to 500 of each status (STAFF_PAGE_SIZE), and a page that
 * laid out every one of them, and did again at every live change (the staff's tab: at every
 * event of the meeting), was slow to open and to follow (bench/public-comments.ts).
 */
import { useState, type ReactNode } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';

/** Shown at first, and added by each 显示更多. */
export const COMMENTS_PER_STEP = 20;

/** The first COMMENTS_PER_STEP of `items` (in their order), then a 显示更多 button for the rest. */
export function SteppedList<T>({ items, className, testId, children }: { items: readonly T[]; className: string; testId?: string; children: (item: T) => ReactNode }) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(COMMENTS_PER_STEP);
  const hidden = Math.max(0, items.length - shown);
  return (
    <>
      <ul className={className} data-testid={testId}>
        {items.slice(0, shown).map(children)}
      </ul>
      {hidden > 0 && (
        <button type="button" className="button small" data-testid="comments-more" onClick={() => setShown(shown + COMMENTS_PER_STEP)}>
          {t('comments.more', { count: hidden })}
        </button>
      )}
    </>
  );
}
