/** i18next: zh-CN by default, English on request, the choice remembered. Components translate with ./useTranslation.ts. */
import i18n from 'i18next';
import en from './en.js';
import zhCN, { type Messages } from './zh-CN.js';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}

/** Languages the interface speaks. */
export const LANGUAGES = ['zh-CN', 'en'] as const;

/** One of LANGUAGES. */
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'wsl.language';

/** A stored choice if it is one we speak, else Chinese. */
export function pickLanguage(stored: string | null): Language {
  return stored === 'en' ? 'en' : 'zh-CN';
}

function storedLanguage(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch (error) {
    // Storage can be disabled (private mode, policies); the default language still works.
    console.warn('language preference unavailable', error);
    return null;
  }
}

/** Switch the interface language and remember it. */
export async function setLanguage(language: Language): Promise<void> {
  await i18n.changeLanguage(language);
  document.documentElement.lang = language;
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch (error) {
    console.warn('could not remember the language', error);
  }
}

/** The language currently shown. */
export function currentLanguage(): Language {
  return pickLanguage(i18n.resolvedLanguage ?? null);
}

const initial = pickLanguage(storedLanguage());
document.documentElement.lang = initial;

i18n
  .init({
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    lng: initial,
    fallbackLng: 'zh-CN',
    supportedLngs: [...LANGUAGES],
    // Resources are bundled: initialize synchronously so the first render is translated.
    initAsync: false,
    // React escapes output itself.
    interpolation: { escapeValue: false },
  })
  .catch((error: unknown) => console.error('i18n init failed', error));

export default i18n;
