import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const DIR = path.join(__dirname, '../src/i18n');
const read = (file: string) => JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as Messages;

/** The frame's pair and every area's (`<area>.sv.json` with `<area>.en.json`), merged. */
function all(language: 'sv' | 'en'): Messages {
  const merged: Messages = { ...read(`${language}.json`) };
  for (const file of readdirSync(DIR)) {
    if (file.endsWith(`.${language}.json`)) Object.assign(merged, read(file));
  }
  return merged;
}
const sv = all('sv');
const en = all('en');

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
  it('come in pairs: every Swedish file has its English one', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
    for (const file of files.filter((f) => f.endsWith('sv.json')))
      expect(files).toContain(file.replace(/sv\.json$/, 'en.json'));
  });

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
