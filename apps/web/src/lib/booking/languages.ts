/** A language's name in the page's language, from its ISO 639-1 code ("ar" → "arabiska"). */
export function languageName(code: string, locale: string): string {
  try {
    const name = new Intl.DisplayNames([locale === 'en' ? 'en' : 'sv'], { type: 'language' }).of(
      code,
    );
    return name ?? code;
  } catch {
    return code;
  }
}
