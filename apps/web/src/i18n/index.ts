import { createI18n } from 'vue-i18n';
import en from './en.json';
import sv from './sv.json';

/**
 * The texts: sv.json/en.json for the frame, and one pair per area (`<area>.sv.json`,
 * `<area>.en.json`, each under its own top-level key), merged here. Every pair has the same
 * keys (tests/resource-files.spec.ts).
 */
const areas = import.meta.glob<{ default: Record<string, unknown> }>('./*.*.json', {
  eager: true,
});
function messagesOf(language: 'sv' | 'en', frame: typeof sv): typeof sv {
  const merged = { ...frame } as typeof sv & Record<string, unknown>;
  for (const [file, module] of Object.entries(areas)) {
    if (file.endsWith(`.${language}.json`)) Object.assign(merged, module.default);
  }
  return merged;
}

export const LANGUAGES = ['sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'samservice.language';

/** The language asked for in the address (?lang=en), else the one chosen before, else Swedish. */
export function initialLanguage(): Language {
  const asked = new URLSearchParams(window.location.search).get('lang');
  if (asked === 'sv' || asked === 'en') {
    // Kept for the rest of the visit, also after a sign-in's round trip to the e-ID.
    window.localStorage.setItem(STORAGE_KEY, asked);
    return asked;
  }
  const stored = window.localStorage.getItem(STORAGE_KEY);
  return stored === 'en' ? 'en' : 'sv';
}

export const i18n = createI18n<[typeof sv], Language, false>({
  legacy: false,
  locale: initialLanguage(),
  fallbackLocale: 'sv',
  messages: { sv: messagesOf('sv', sv), en: messagesOf('en', en) },
});

/** Switches the language of the page in place (the page and what was typed stay). */
export function setLanguage(language: Language): void {
  i18n.global.locale.value = language;
  window.localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
}
