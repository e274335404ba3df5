import {
  formatIdentityNumber,
  IdentityNumber,
  isValidIdentityNumber,
  maskIdentityNumber,
  ParsedIdentity,
  parseIdentityNumber,
} from './identity-number';
import { buildNumber, tenDigits, twelveDigits } from './test-numbers';

const TODAY = '2026-11-24';

function parsed(input: string, today = TODAY): IdentityNumber {
  const result = parseIdentityNumber(input, today);
  if (!result.ok) throw new Error(`${input} on ${today}: ${result.problem} ${result.message}`);
  return result.value;
}

function problemOf(input: string, today = TODAY): string {
  const result: ParsedIdentity = parseIdentityNumber(input, today);
  return result.ok ? 'OK' : result.problem;
}

describe('parseIdentityNumber', () => {
  describe("Skatteverket's test number 121212-1212", () => {
    it.each([
      '19121212-1212',
      '191212121212',
      '121212+1212',
      '  19121212-1212\n',
      '\t121212+1212 ',
    ])('%p is born 1912-12-12', (input) => {
      expect(parsed(input)).toEqual({
        normalized: '191212121212',
        kind: 'PERSONNUMMER',
        birthDate: '1912-12-12',
      });
    });

    // The brief expected 1912 here too, but '-' and no separator mean "under 100 on today":
    // on 2026-11-24 the latest year ending in 12 that is not after today is 2012.
    it.each(['121212-1212', '1212121212'])('%p is born 2012-12-12 (under 100)', (input) => {
      expect(parsed(input)).toEqual({
        normalized: '201212121212',
        kind: 'PERSONNUMMER',
        birthDate: '2012-12-12',
      });
    });

    it("accepts '+' in the 12-digit form only for someone 100 or older", () => {
      expect(parsed('19121212+1212').normalized).toBe('191212121212');
      const under100 = parseIdentityNumber('20121212+1212', TODAY);
      expect(under100).toEqual({ ok: false, problem: 'FORMAT', message: expect.any(String) });
      expect(!under100.ok && under100.message).toMatch(/100 or older/);
    });

    it("counts the 100th birthday itself for '+' in the 12-digit form", () => {
      const hundredToday = buildNumber({ year: 1926, month: 11, day: 24 }, 42);
      const hundredTomorrow = buildNumber({ year: 1926, month: 11, day: 25 }, 42);
      expect(parsed(twelveDigits(hundredToday, '+')).birthDate).toBe('1926-11-24');
      expect(problemOf(twelveDigits(hundredTomorrow, '+'))).toBe('FORMAT');
      expect(parsed(twelveDigits(hundredTomorrow, '-')).birthDate).toBe('1926-11-25');
    });
  });

  it('reads a samordningsnummer (day + 60) and gives the real birth date', () => {
    const number = buildNumber({ year: 1990, month: 5, day: 17 }, 123, true);
    expect(number.core.slice(4, 6)).toBe('77');
    const expected = {
      normalized: `19${number.core}`,
      kind: 'SAMORDNINGSNUMMER',
      birthDate: '1990-05-17',
    };
    expect(parsed(twelveDigits(number, '-'))).toEqual(expected);
    expect(parsed(twelveDigits(number, ''))).toEqual(expected);
    expect(parsed(tenDigits(number.core, '-'))).toEqual(expected);
    expect(parsed(tenDigits(number.core, ''))).toEqual(expected);
  });

  it('reads samordningsnummer days 61 and 91 as the 1st and 31st', () => {
    const first = buildNumber({ year: 1985, month: 1, day: 1 }, 7, true);
    const last = buildNumber({ year: 1985, month: 1, day: 31 }, 7, true);
    expect(parsed(twelveDigits(first, '-')).birthDate).toBe('1985-01-01');
    expect(parsed(twelveDigits(last, '-')).birthDate).toBe('1985-01-31');
  });

  describe('CHECKSUM', () => {
    it('rejects a wrong last digit with a message a citizen can act on', () => {
      expect(parseIdentityNumber('19121212-1213', TODAY)).toEqual({
        ok: false,
        problem: 'CHECKSUM',
        message: 'The last digit does not match: check the number.',
      });
      expect(problemOf('121212-1211')).toBe('CHECKSUM');
      expect(problemOf('1212121219')).toBe('CHECKSUM');
    });

    it('rejects two swapped neighbouring digits of the serial', () => {
      expect(problemOf('19121212-2112')).toBe('CHECKSUM');
    });
  });

  describe('DATE', () => {
    it.each([
      ['30 February', { year: 1990, month: 2, day: 30 }],
      ['29 February 2023 (not a leap year)', { year: 2023, month: 2, day: 29 }],
      ['29 February 1900 (divisible by 100, not by 400)', { year: 1900, month: 2, day: 29 }],
      ['31 April', { year: 1990, month: 4, day: 31 }],
      ['day 32', { year: 1990, month: 1, day: 32 }],
      ['day 00', { year: 1990, month: 1, day: 0 }],
      ['month 00', { year: 1990, month: 0, day: 10 }],
      ['month 13', { year: 1990, month: 13, day: 10 }],
    ])('rejects %s even with a correct check digit', (_name, date) => {
      const number = buildNumber(date, 42);
      expect(problemOf(twelveDigits(number, '-'))).toBe('DATE');
    });

    it('accepts 29 February in the leap years 2024 and 2000', () => {
      expect(parsed(twelveDigits(buildNumber({ year: 2024, month: 2, day: 29 }, 42), '-'))).toEqual(
        expect.objectContaining({ birthDate: '2024-02-29' }),
      );
      expect(
        parsed(twelveDigits(buildNumber({ year: 2000, month: 2, day: 29 }, 42), '')).birthDate,
      ).toBe('2000-02-29');
    });

    it('checks 29 February against the century a 10-digit number resolves to', () => {
      const leapDay = buildNumber({ year: 2000, month: 2, day: 29 }, 42).core;
      expect(parsed(tenDigits(leapDay, '-')).birthDate).toBe('2000-02-29');
      // '+' on 2026 means 1900, which had no 29 February.
      expect(problemOf(tenDigits(leapDay, '+'))).toBe('DATE');
    });

    it('rejects samordningsnummer days 60 and 92 and a day + 60 that does not exist', () => {
      const day60 = buildNumber({ year: 1990, month: 5, day: 0 }, 1, true);
      const day92 = buildNumber({ year: 1990, month: 5, day: 32 }, 1, true);
      const february30 = buildNumber({ year: 1990, month: 2, day: 30 }, 1, true);
      expect(day92.core.slice(4, 6)).toBe('92');
      expect(problemOf(twelveDigits(day60, '-'))).toBe('DATE');
      expect(problemOf(twelveDigits(day92, '-'))).toBe('DATE');
      expect(problemOf(tenDigits(day92.core, '-'))).toBe('DATE');
      expect(problemOf(twelveDigits(february30, '-'))).toBe('DATE');
    });
  });

  describe('FUTURE', () => {
    it('rejects a 12-digit number born after today', () => {
      const tomorrow = buildNumber({ year: 2026, month: 11, day: 25 }, 42);
      expect(parseIdentityNumber(twelveDigits(tomorrow, '-'), TODAY)).toEqual({
        ok: false,
        problem: 'FUTURE',
        message: expect.stringMatching(/future/),
      });
      expect(problemOf(twelveDigits(buildNumber({ year: 2030, month: 1, day: 1 }, 42), ''))).toBe(
        'FUTURE',
      );
    });

    it('accepts someone born today', () => {
      const bornToday = buildNumber({ year: 2026, month: 11, day: 24 }, 42);
      expect(parsed(twelveDigits(bornToday, '-')).birthDate).toBe('2026-11-24');
      expect(parsed(tenDigits(bornToday.core, '-')).birthDate).toBe('2026-11-24');
    });
  });

  describe('FORMAT', () => {
    it.each([
      ['letters', '19121212-12A2'],
      ['letters only', 'abcdefghij'],
      ['11 digits', '12121212121'],
      ['9 digits', '121212121'],
      ['13 digits', '1912121212121'],
      ['7-digit form with separator', '1212121-212'],
      ['inner space', '121212 1212'],
      ['space around the hyphen', '121212 - 1212'],
      ['slash', '121212/1212'],
      ['en dash', '121212–1212'],
      ['two hyphens', '19121212--1212'],
      ['date hyphens', '1912-12-12-1212'],
      ['separator in the wrong place', '1912121-21212'],
      ['full-width digits', '１２１２１２-１２１２'],
      ['empty', ''],
      ['whitespace only', '   '],
    ])('rejects %s (%p)', (_name, input) => {
      expect(parseIdentityNumber(input, TODAY)).toEqual({
        ok: false,
        problem: 'FORMAT',
        message: 'Write the personal identity number as YYYYMMDD-NNNN or YYMMDD-NNNN.',
      });
    });

    it('rejects a value that is not a string at all (untyped callers)', () => {
      expect(problemOf(1212121212 as unknown as string)).toBe('FORMAT');
      expect(problemOf(undefined as unknown as string)).toBe('FORMAT');
    });
  });

  describe('century of the 10-digit form', () => {
    const onToday = (date: { year: number; month: number; day: number }) =>
      buildNumber(date, 42).core;

    it("'-': under 100, so a birthday later in the year than today is a century back", () => {
      expect(parsed(tenDigits(onToday({ year: 2026, month: 11, day: 24 }), '-')).birthDate).toBe(
        '2026-11-24',
      );
      expect(parsed(tenDigits(onToday({ year: 1926, month: 11, day: 25 }), '-')).birthDate).toBe(
        '1926-11-25',
      );
      expect(parsed(tenDigits(onToday({ year: 1927, month: 1, day: 1 }), '')).birthDate).toBe(
        '1927-01-01',
      );
    });

    it("'+': 100 or older, counting the 100th birthday itself", () => {
      expect(parsed(tenDigits(onToday({ year: 1926, month: 11, day: 24 }), '+')).birthDate).toBe(
        '1926-11-24',
      );
      // Turns 100 tomorrow, so '+' can only mean 200 years back.
      expect(parsed(tenDigits(onToday({ year: 1826, month: 11, day: 25 }), '+')).birthDate).toBe(
        '1826-11-25',
      );
    });

    it('counts a 29 February birthday from 1 March in a common year', () => {
      const leapDay = onToday({ year: 2000, month: 2, day: 29 });
      expect(parsed(tenDigits(leapDay, '-'), '2100-02-28').birthDate).toBe('2000-02-29');
      expect(parsed(tenDigits(leapDay, '+'), '2100-03-01').birthDate).toBe('2000-02-29');
      // On 2100-03-01 the person is 100: '-' would mean 2100, which has no 29 February.
      expect(problemOf(tenDigits(leapDay, '-'), '2100-03-01')).toBe('DATE');
      expect(problemOf(tenDigits(leapDay, '+'), '2100-02-28')).toBe('DATE');
    });
  });

  it.each(['2026-02-30', '26-11-24', '2026-11-24T00:00', '', '1900-01-01'])(
    'throws RangeError for an unusable today %p',
    (today) => {
      expect(() => parseIdentityNumber('121212-1212', today)).toThrow(RangeError);
    },
  );
});

describe('isValidIdentityNumber', () => {
  it('is true exactly when parsing succeeds', () => {
    expect(isValidIdentityNumber('19121212-1212', TODAY)).toBe(true);
    expect(isValidIdentityNumber('121212-1212', TODAY)).toBe(true);
    expect(isValidIdentityNumber('19121212-1213', TODAY)).toBe(false);
    expect(isValidIdentityNumber('20121212+1212', TODAY)).toBe(false);
    expect(isValidIdentityNumber('hello', TODAY)).toBe(false);
  });
});

describe('formatIdentityNumber', () => {
  const centenarian = parsed('19121212-1212');
  const child = parsed('121212-1212');

  it('writes the 12-digit form with a hyphen, whatever the age', () => {
    expect(formatIdentityNumber(centenarian, 12, TODAY)).toBe('19121212-1212');
    expect(formatIdentityNumber(child, 12, TODAY)).toBe('20121212-1212');
  });

  it("writes the 10-digit form with '+' from the 100th birthday on", () => {
    expect(formatIdentityNumber(centenarian, 10, TODAY)).toBe('121212+1212');
    expect(formatIdentityNumber(centenarian, 10, '2012-12-11')).toBe('121212-1212');
    expect(formatIdentityNumber(centenarian, 10, '2012-12-12')).toBe('121212+1212');
    expect(formatIdentityNumber(child, 10, TODAY)).toBe('121212-1212');
  });

  it('keeps the day + 60 of a samordningsnummer', () => {
    const number = buildNumber({ year: 1990, month: 5, day: 17 }, 123, true);
    const value = parsed(twelveDigits(number, ''));
    expect(formatIdentityNumber(value, 12, TODAY)).toBe(twelveDigits(number, '-'));
    expect(formatIdentityNumber(value, 10, TODAY)).toBe(tenDigits(number.core, '-'));
  });

  it('refuses a 10-digit form that would read back as another date', () => {
    expect(() => formatIdentityNumber(child, 10, '2000-01-01')).toThrow(RangeError);
    const ancient = parsed(twelveDigits(buildNumber({ year: 1820, month: 6, day: 1 }, 42), '-'));
    expect(() => formatIdentityNumber(ancient, 10, TODAY)).toThrow(RangeError);
    expect(formatIdentityNumber(ancient, 12, TODAY)).toBe(
      `18200601-${ancient.normalized.slice(8)}`,
    );
  });
});

describe('maskIdentityNumber', () => {
  it('shows the date as written and hides the last four', () => {
    expect(maskIdentityNumber(parsed('121212+1212'))).toBe('19121212-****');
    const number = buildNumber({ year: 1990, month: 5, day: 17 }, 123, true);
    expect(maskIdentityNumber(parsed(twelveDigits(number, '')))).toBe('19900577-****');
  });
});
