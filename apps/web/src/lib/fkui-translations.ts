import { TranslationService, type TranslationProviderInterface } from '@fkui/logic';
import { i18n } from '../i18n';

/** `{{ name }}`-style placeholders of FKUI's own default (Swedish) texts. */
function interpolate(text: string, args?: Record<string, unknown>): string {
  if (!args) return text;
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(args[name] ?? ''));
}

/**
 * FKUI's texts through vue-i18n: a key of ours (under `fkui.` in the resource files) in the
 * page's language, else FKUI's own Swedish default. So English pages get English component
 * texts for every component we use, and a missing key shows Swedish rather than nothing.
 */
export const fkuiTranslations: TranslationProviderInterface = {
  get currentLanguage() {
    return i18n.global.locale.value;
  },
  async changeLanguage(language: string) {
    i18n.global.locale.value = language as 'sv' | 'en';
  },
  translate(key, defaultValueOrArgs, args) {
    const defaultValue = typeof defaultValueOrArgs === 'string' ? defaultValueOrArgs : key;
    const values = typeof defaultValueOrArgs === 'object' ? defaultValueOrArgs : args;
    if (i18n.global.te(key)) return i18n.global.t(key, values ?? {});
    return interpolate(defaultValue, values);
  },
};

export function useFkuiTranslations(): void {
  TranslationService.changeProvider(fkuiTranslations);
}
