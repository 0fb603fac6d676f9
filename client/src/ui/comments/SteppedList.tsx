/**
 * A list of comments shown a step at a time: the server sends the public 100 comments a page
 * (PUBLIC_PAGE_SIZE) and the staff up to 500 of each status (STAFF_PAGE_SIZE), and a page that
 * laid out every one of them, and did again at every live change (the staff's tab: at every
 * event of the meeting), was slow to open and to follow (bench/public-comments.ts). The public
 * list also asks the server for its next page when a step goes past what it holds (`more`).
 */
import { useState, type ReactNode } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';

/** Shown at first, and added by each 显示更多. */
export const COMMENTS_PER_STEP = 20;

export type SteppedListProps<T> = {
  /** What is held, in the order shown. */
  items: readonly T[];
  /** How many there are in all, held or not (the server's count); `items.length` when not given. */
  total?: number;
  /**
   * Called before a step shows the first `wanted`: a promise when it fetches more from the
   * server first (the step waits for it, the button disabled meanwhile, and is taken only if it
   * resolves true; the caller tells why not), null when there is no need or nothing more.
   */
  more?: (wanted: number) => Promise<boolean> | null;
  className: string;
  testId?: string;
  children: (item: T) => ReactNode;
};

/** The first COMMENTS_PER_STEP of `items` (in their order), then a 显示更多 button for the rest. */
export function SteppedList<T>({ items, total, more, className, testId, children }: SteppedListProps<T>) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(COMMENTS_PER_STEP);
  const [fetching, setFetching] = useState(false);
  const hidden = Math.max(0, Math.max(total ?? 0, items.length) - shown);
  const step = (): void => {
    const wanted = shown + COMMENTS_PER_STEP;
    const fetched = more?.(wanted) ?? null;
    if (fetched === null) {
      setShown(wanted);
      return;
    }
    setFetching(true);
    const done = (fetchedAll: boolean): void => {
      setFetching(false);
      if (fetchedAll) setShown(wanted);
    };
    fetched.then(done, () => done(false));
  };
  return (
    <>
      <ul className={className} data-testid={testId}>
        {items.slice(0, shown).map(children)}
      </ul>
      {hidden > 0 && (
        <button type="button" className="button small" data-testid="comments-more" disabled={fetching} aria-busy={fetching} onClick={step}>
          {fetching ? t('comments.loadingMore') : t('comments.more', { count: hidden })}
        </button>
      )}
    </>
  );
}
