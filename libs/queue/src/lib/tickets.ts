export interface TicketAgency {
  id: string;
  code: string;
  level: 'STATE' | 'REGION' | 'MUNICIPALITY' | string;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The letters A–Z of a code, in order; Å, Ä, Ö and other accented letters count as their base. */
function lettersOf(code: string): string[] {
  return [
    ...code
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toUpperCase(),
  ].filter((c) => c >= 'A' && c <= 'Z');
}

function preferredLetter(agency: TicketAgency): string | undefined {
  return agency.level === 'MUNICIPALITY' ? 'K' : lettersOf(agency.code)[0];
}

/**
 * The ticket letter of each agency of one office (agency id → letter), unique within the
 * input and independent of its order. Every agency's preferred letter (a municipality 'K' for
 * kommun, any other agency the first letter of its code) is claimed first, in order of code;
 * an agency whose preferred letter is already claimed then takes the first unused letter of
 * its code, else the first unused letter of A–Z. Claiming preferences before fallbacks keeps
 * a fallback from taking another agency's preferred letter (KV's V never steals the kommun's K).
 */
export function ticketLetters(agencies: readonly TicketAgency[]): Map<string, string> {
  if (agencies.length > ALPHABET.length)
    throw new RangeError(`at most 26 agencies can have ticket letters, got ${agencies.length}`);
  if (new Set(agencies.map((a) => a.id)).size !== agencies.length)
    throw new RangeError('agency ids must be unique');

  const ordered = [...agencies].sort((a, b) =>
    a.code < b.code ? -1 : a.code > b.code ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  const used = new Set<string>();
  const letters = new Map<string, string>();
  const losers: TicketAgency[] = [];
  for (const agency of ordered) {
    const preferred = preferredLetter(agency);
    if (preferred !== undefined && !used.has(preferred)) {
      used.add(preferred);
      letters.set(agency.id, preferred);
    } else losers.push(agency);
  }
  for (const agency of losers) {
    const letter = [...lettersOf(agency.code), ...ALPHABET].find((c) => !used.has(c));
    // Unreachable with at most 26 agencies; kept so a broken invariant cannot go unnoticed.
    if (letter === undefined) throw new RangeError('no ticket letter left');
    used.add(letter);
    letters.set(agency.id, letter);
  }
  return new Map(agencies.map((a) => [a.id, letters.get(a.id) as string]));
}

/** A ticket's printed number: the agency's letter and the sequence with at least 3 digits. */
export function ticketNumber(letter: string, sequence: number): string {
  if (!/^[A-Z]$/.test(letter))
    throw new RangeError(`a ticket letter is one of A–Z, got '${letter}'`);
  if (!Number.isSafeInteger(sequence) || sequence < 1)
    throw new RangeError(`a ticket sequence is a whole number from 1, got ${sequence}`);
  return `${letter}${String(sequence).padStart(3, '0')}`;
}
