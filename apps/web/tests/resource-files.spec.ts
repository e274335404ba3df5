import en from '../src/i18n/en.json';
import sv from '../src/i18n/sv.json';

type Messages = { [key: string]: string | Messages };

function keys(messages: Messages, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keys(value, `${prefix}${key}.`),
  );
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string).sort();
}

function lookup(messages: Messages, key: string): string {
  return key
    .split('.')
    .reduce<string | Messages>((m, part) => (m as Messages)[part] as Messages, messages) as string;
}

describe('the resource files', () => {
  it('have the same keys in Swedish and English', () => {
    expect(keys(en as Messages).sort()).toEqual(keys(sv as Messages).sort());
  });

  it('use the same placeholders in both languages, and no text is empty', () => {
    for (const key of keys(sv as Messages)) {
      const swedish = lookup(sv as Messages, key);
      const english = lookup(en as Messages, key);
      expect([key, placeholders(english)]).toEqual([key, placeholders(swedish)]);
      expect([key, swedish.trim().length > 0, english.trim().length > 0]).toEqual([
        key,
        true,
        true,
      ]);
    }
  });
});
