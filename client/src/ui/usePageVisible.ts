/**
 * Whether the page is visible: false while its tab is in the background, the phone is locked or
 * another app is in front (the Page Visibility API).
 */
import { useSyncExternalStore } from 'react';

function subscribe(changed: () => void): () => void {
  document.addEventListener('visibilitychange', changed);
  return () => document.removeEventListener('visibilitychange', changed);
}

const visible = (): boolean => document.visibilityState !== 'hidden';

/** The page is visible now (re-renders when that changes). */
export function usePageVisible(): boolean {
  return useSyncExternalStore(subscribe, visible, () => true);
}
