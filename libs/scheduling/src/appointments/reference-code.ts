import { randomInt } from 'node:crypto';

/** No 0/O, 1/I/L, 2/Z, 5/S, 8/B: easy to read over the phone and to type. */
const ALPHABET = 'ACDEFGHJKMNPQRTUVWXY345679';
const LENGTH = 8;

export function newReferenceCode(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** What a person typed, as stored: upper case, no spaces or hyphens; undefined if it cannot be a code. */
export function normalizeReference(input: string): string | undefined {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== LENGTH) return undefined;
  for (const char of code) if (!ALPHABET.includes(char)) return undefined;
  return code;
}
