import { randomBytes, randomInt } from 'node:crypto';

/** A small seeded generator (mulberry32): the same queue order in every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates, in place. */
export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Like a citizen key: 64 hex characters. */
export function randomCitizenKey(): string {
  return randomBytes(32).toString('hex');
}

/** The booking path's reference alphabet (no 0/O, 1/I/L, 2/Z, 5/S, 8/B). */
const REFERENCE_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY345679';

export function randomReference(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return code;
}
