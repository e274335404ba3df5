import fc from 'fast-check';
import {
  findIdentityNumbers,
  maskIdentityNumbersInText,
  maskNormalizedIdentityNumber,
  maskWrittenIdentityNumber,
} from './identity-number-text';
import {
  buildNumber,
  dateOfDayNumber,
  dayNumberOf,
  tenDigits,
  TestNumber,
  twelveDigits,
} from './test-numbers';

const FIRST_BIRTH = dayNumberOf({ year: 1900, month: 1, day: 1 });
const LAST_BIRTH = dayNumberOf({ year: 2030, month: 12, day: 31 });

const numbers: fc.Arbitrary<{ number: TestNumber; coordination: boolean }> = fc
  .record({
    birth: fc.integer({ min: FIRST_BIRTH, max: LAST_BIRTH }).map(dateOfDayNumber),
    serial: fc.integer({ min: 0, max: 999 }),
    coordination: fc.boolean(),
  })
  .map(({ birth, serial, coordination }) => ({
    number: buildNumber(birth, serial, coordination),
    coordination,
  }));

type Form = 'twelve' | 'ten';
const separators = fc.constantFrom('' as const, '-' as const, '+' as const);

/** A number in one written form, with its birth digits as written (day + 60 kept). */
const written = fc
  .record({ n: numbers, form: fc.constantFrom<Form>('twelve', 'ten'), separator: separators })
  .map(({ n, form, separator }) => {
    const text =
      form === 'twelve' ? twelveDigits(n.number, separator) : tenDigits(n.number.core, separator);
    const birthDigits =
      form === 'twelve' ? n.number.century + n.number.core.slice(0, 6) : n.number.core.slice(0, 6);
    return { text, birthDigits, lastFour: n.number.core.slice(6), separator };
  });

/** Text around a number that does not join it to a longer run of digits. */
const surroundings = fc.constantFrom(
  ['', ''],
  ['Variable "$input" got invalid value { personnummer: "', '" }'],
  ['citizen.personnummer: ', ' is not valid.'],
  ['pnr=', '&x=1'],
  ['(', ')'],
);

describe('masking identity numbers in text (responses)', () => {
  it('keeps the birth date as written and hides the last four digits, in any written form', () => {
    fc.assert(
      fc.property(written, surroundings, ({ text, birthDigits, lastFour, separator }, [a, b]) => {
        const masked = maskIdentityNumbersInText(`${a}${text}${b}`);
        expect(masked).toBe(`${a}${birthDigits}${separator === '+' ? '+' : '-'}****${b}`);
        expect(masked).toContain(birthDigits);
        expect(masked).not.toContain(text);
        expect(masked.slice(a.length + birthDigits.length)).not.toContain(lastFour);
      }),
      { numRuns: 2000 },
    );
  });

  it('masks the documented forms exactly', () => {
    expect(maskIdentityNumbersInText('19850709-1234')).toBe('19850709-****');
    expect(maskIdentityNumbersInText('198507091234')).toBe('19850709-****');
    expect(maskIdentityNumbersInText('850709-1234')).toBe('850709-****');
    expect(maskIdentityNumbersInText('121212+1212')).toBe('121212+****');
    expect(maskIdentityNumbersInText('p=19121212%2D1212')).toBe('p=19121212-****');
    expect(maskWrittenIdentityNumber('19701063-2391')).toBe('19701063-****');
    expect(maskNormalizedIdentityNumber('197010632391')).toBe('19701063-****');
  });

  it('masks numbers that fail the check digit too, and leaves ids, times and short numbers', () => {
    expect(maskIdentityNumbersInText('19121212-1213')).toBe('19121212-****');
    const untouched =
      'request 19121212-1212-4212-8212-121212121212 at 2027-03-29T09:00:00+02:00, 3 of 12345';
    expect(maskIdentityNumbersInText(untouched)).toBe(untouched);
    expect(maskIdentityNumbersInText('a 13-digit 1912121212120 run')).toBe(
      'a 13-digit 1912121212120 run',
    );
  });

  it('is idempotent: a masked text masks to itself', () => {
    fc.assert(
      fc.property(written, ({ text }) => {
        const once = maskIdentityNumbersInText(text);
        expect(maskIdentityNumbersInText(once)).toBe(once);
      }),
    );
  });
});

describe('finding identity numbers in text (the log scan)', () => {
  it('finds every valid number in any written form where it stands alone', () => {
    fc.assert(
      fc.property(written, surroundings, ({ text }, [a, b]) => {
        expect(findIdentityNumbers(`${a}${text}${b}`)).toEqual([
          { index: a.length, written: text },
        ]);
      }),
      { numRuns: 2000 },
    );
  });

  it('finds them after JSON and URL escapes, and URL-encoded', () => {
    expect(findIdentityNumbers('{"msg":"line\\n191212121212"}')).toHaveLength(1);
    expect(findIdentityNumbers('"\\u0022191212121212\\u0022"')).toHaveLength(1);
    expect(findIdentityNumbers('/x?pnr%3D19121212%2D1212')).toEqual([
      { index: 9, written: '19121212%2D1212' },
    ]);
    expect(findIdentityNumbers('pnr=121212-1212 and 701063-2391')).toHaveLength(2);
  });

  it('skips what is not a valid number standing alone', () => {
    for (const text of [
      '19121212-1213', // check digit
      '19121312-1212', // month 13
      '191212121212x', // inside a longer run
      'x191212121212',
      '91912121212121',
      '19121212-1212-4212-8212-121212121212', // a UUID's groups
      '0e5a1d2c-3b4f-4a6e-9c8d-191212121212',
      '19121212-****',
      '[redacted-id]',
      '2027-03-29T09:00:00+02:00',
    ]) {
      expect(findIdentityNumbers(text)).toEqual([]);
    }
  });

  it('knows 29 February: valid in a leap year only', () => {
    const leap = buildNumber({ year: 2000, month: 2, day: 29 }, 123);
    expect(findIdentityNumbers(twelveDigits(leap, '-'))).toHaveLength(1);
    // 1900 was not a leap year; the same digits with century 19 are no date.
    expect(findIdentityNumbers(`19${leap.core}`)).toEqual([]);
    // Without a century any century that has the date will do.
    expect(findIdentityNumbers(tenDigits(leap.core, '-'))).toHaveLength(1);
  });
});
