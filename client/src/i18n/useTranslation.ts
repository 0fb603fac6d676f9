/**
 * The translate function for a component, and a new render when the language changes.
 *
 * Why not react-i18next's hook: its `useTranslation` does a good deal of work on every render
 * of every component (option objects, a "namespace loaded?" check against the resource store,
 * and on mount a copy of the whole i18next instance). With ~170 components using it, a
 * profile of a join (bench/join.ts) had 42 of the 110 ms the room's components took in it,
 * on the page's main thread, where the browser's offer/answer for the first picture waits.
 * Our resources are bundled and there is one namespace, so all a component needs is the
 * current language's `t`, made once per language.
 */
import type { TFunction } from 'i18next';
import { useSyncExternalStore } from 'react';
import i18n from './index.js';

let current: { language: string; t: TFunction } | null = null;

/** The current language's translate function, the same object until the language changes. */
function currentT(): TFunction {
  const language = i18n.language;
  if (current?.language !== language) current = { language, t: i18n.getFixedT(language) };
  return current.t;
}

function onLanguageChange(notify: () => void): () => void {
  i18n.on('languageChanged', notify);
  return () => i18n.off('languageChanged', notify);
}

/** `const { t } = useTranslation()`: the component renders again when the language changes. */
export function useTranslation(): { t: TFunction } {
  return { t: useSyncExternalStore(onLanguageChange, currentT) };
}
