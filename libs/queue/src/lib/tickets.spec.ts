import fc from 'fast-check';
import { TicketAgency, ticketLetters, ticketNumber } from './tickets';

const state = (id: string, code = id): TicketAgency => ({ id, code, level: 'STATE' });

describe('ticket letters', () => {
  it('gives a municipality K and every other agency the first letter of its code', () => {
    const letters = ticketLetters([
      state('fk', 'FK'),
      state('skv', 'SKV'),
      state('pm', 'PM'),
      state('af', 'AF'),
      state('migr', 'MIGR'),
      { id: 'lulea', code: '2580', level: 'MUNICIPALITY' },
      { id: 'rn', code: 'RN', level: 'REGION' },
    ]);
    expect(Object.fromEntries(letters)).toEqual({
      fk: 'F',
      skv: 'S',
      pm: 'P',
      af: 'A',
      migr: 'M',
      lulea: 'K',
      rn: 'R',
    });
  });

  it('resolves a collision in order of code: the next unused letter of the code, then of A–Z', () => {
    const letters = ticketLetters([state('skv', 'SKV'), state('sfv', 'SFV'), state('ss', 'SS')]);
    // SFV < SKV < SS: SFV keeps S, SKV takes K, SS has no letter left of its own and takes A.
    expect(Object.fromEntries(letters)).toEqual({ sfv: 'S', skv: 'K', ss: 'A' });
  });

  it("never lets another agency's fallback take a preferred letter", () => {
    const letters = ticketLetters([
      state('sk', 'SK'),
      state('skv', 'SKV'),
      { id: 'kommun', code: 'UMEA', level: 'MUNICIPALITY' },
      state('u', 'U'),
    ]);
    // In one pass in code order SKV would take K (its next letter) before the kommun (UMEA)
    // comes; preferences are claimed first, so the kommun keeps K and SKV takes V.
    expect(Object.fromEntries(letters)).toEqual({ sk: 'S', skv: 'V', kommun: 'K', u: 'U' });
  });

  it('counts Å, Ä and Ö as A and O, and skips digits and punctuation', () => {
    const letters = ticketLetters([state('a', 'ÖV'), state('b', '1-ÅK')]);
    expect(Object.fromEntries(letters)).toEqual({ a: 'O', b: 'A' });
  });

  it('gives a second municipality a letter of its code', () => {
    const letters = ticketLetters([
      { id: 'm1', code: 'MALMO', level: 'MUNICIPALITY' },
      { id: 'm2', code: 'LUND', level: 'MUNICIPALITY' },
    ]);
    expect(Object.fromEntries(letters)).toEqual({ m2: 'K', m1: 'M' });
  });

  it('refuses more than 26 agencies and duplicate ids', () => {
    const many = Array.from({ length: 27 }, (_, i) => state(`a${i}`, `X${i}`));
    expect(() => ticketLetters(many)).toThrow(RangeError);
    expect(() => ticketLetters(many.slice(0, 26))).not.toThrow();
    expect(() => ticketLetters([state('fk', 'FK'), state('fk', 'FKX')])).toThrow(RangeError);
  });

  it('is unique, upper-case A–Z and independent of the input order for any 1–26 agencies', () => {
    const agencies = fc
      .uniqueArray(
        fc.record({
          code: fc.stringMatching(/^[A-ZÅÄÖ0-9]{1,5}$/),
          level: fc.constantFrom('STATE', 'REGION', 'MUNICIPALITY'),
        }),
        { minLength: 1, maxLength: 26, selector: (a) => a.code },
      )
      .map((rows) => rows.map((row, i) => ({ id: `agency-${i}`, ...row })));
    fc.assert(
      fc.property(agencies, (list) => {
        const letters = ticketLetters(list);
        const reversed = ticketLetters([...list].reverse());
        expect(letters.size).toBe(list.length);
        expect(new Set(letters.values()).size).toBe(list.length);
        for (const letter of letters.values()) expect(letter).toMatch(/^[A-Z]$/);
        expect(Object.fromEntries(reversed)).toEqual(Object.fromEntries(letters));
      }),
    );
  });
});

describe('ticket numbers', () => {
  it('has at least three digits', () => {
    expect(ticketNumber('F', 1)).toBe('F001');
    expect(ticketNumber('F', 42)).toBe('F042');
    expect(ticketNumber('F', 999)).toBe('F999');
    expect(ticketNumber('F', 1000)).toBe('F1000');
  });

  it.each([
    ['f', 1],
    ['FK', 1],
    ['F', 0],
    ['F', 1.5],
    ['F', -3],
  ])('refuses letter %p with sequence %p', (letter, sequence) => {
    expect(() => ticketNumber(letter, sequence)).toThrow(RangeError);
  });
});
