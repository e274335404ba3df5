import fc from 'fast-check';
import { formatIdentityNumber, parseIdentityNumber } from './identity-number';
import {
  ageOn,
  buildNumber,
  dateOfDayNumber,
  dayNumberOf,
  isoOf,
  referenceCheckDigit,
  tenDigits,
  TestDate,
  TestNumber,
  twelveDigits,
} from './test-numbers';

const FIRST_BIRTH = dayNumberOf({ year: 1900, month: 1, day: 1 });
const FIRST_TODAY = dayNumberOf({ year: 1990, month: 1, day: 1 });
const LAST_TODAY = dayNumberOf({ year: 2099, month: 12, day: 31 });

interface Case {
  today: TestDate;
  birth: TestDate;
  number: TestNumber;
  coordination: boolean;
}

// A caller's today and a real birth date from 1900 up to and including that today: every such
// person is under 200, so even the 10-digit form names them unambiguously.
const cases: fc.Arbitrary<Case> = fc
  .integer({ min: FIRST_TODAY, max: LAST_TODAY })
  .chain((today) =>
    fc.record({
      today: fc.constant(dateOfDayNumber(today)),
      birth: fc.integer({ min: FIRST_BIRTH, max: today }).map(dateOfDayNumber),
      serial: fc.integer({ min: 0, max: 999 }),
      coordination: fc.boolean(),
    }),
  )
  .map(({ today, birth, serial, coordination }) => ({
    today,
    birth,
    coordination,
    number: buildNumber(birth, serial, coordination),
  }));

/** Every way a citizen may write this number on `today`. */
function acceptedForms({ today, birth, number }: Case): string[] {
  const centenarian = ageOn(birth, today) >= 100;
  const forms = [
    twelveDigits(number, ''),
    twelveDigits(number, '-'),
    ` ${twelveDigits(number, '-')}\t`,
    tenDigits(number.core, centenarian ? '+' : '-'),
  ];
  if (centenarian) forms.push(twelveDigits(number, '+'));
  else forms.push(tenDigits(number.core, ''), ` ${tenDigits(number.core, '')} `);
  return forms;
}

describe('identity numbers (properties)', () => {
  it('parses every accepted form of a valid number to the same value', () => {
    fc.assert(
      fc.property(cases, (testCase) => {
        const today = isoOf(testCase.today);
        const expected = {
          ok: true,
          value: {
            normalized: testCase.number.century + testCase.number.core,
            kind: testCase.coordination ? 'SAMORDNINGSNUMMER' : 'PERSONNUMMER',
            birthDate: isoOf(testCase.birth),
          },
        };
        for (const form of acceptedForms(testCase)) {
          expect(parseIdentityNumber(form, today)).toEqual(expected);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("refuses '+' in the 12-digit form for everyone under 100", () => {
    fc.assert(
      fc.property(cases, (testCase) => {
        fc.pre(ageOn(testCase.birth, testCase.today) < 100);
        const result = parseIdentityNumber(
          twelveDigits(testCase.number, '+'),
          isoOf(testCase.today),
        );
        expect(result).toEqual(expect.objectContaining({ ok: false, problem: 'FORMAT' }));
      }),
      { numRuns: 500 },
    );
  });

  it('detects every single-digit change of the 10-digit core', () => {
    fc.assert(
      fc.property(cases, (testCase) => {
        const today = isoOf(testCase.today);
        const { century, core } = testCase.number;
        const separator = ageOn(testCase.birth, testCase.today) >= 100 ? '+' : '-';
        const writeBoth = (changedCore: string) => [
          `${century}${tenDigits(changedCore, '-')}`,
          tenDigits(changedCore, separator),
        ];
        for (let position = 0; position < 10; position++) {
          for (let digit = 0; digit <= 9; digit++) {
            if (String(digit) === core[position]) continue;
            const changed = core.slice(0, position) + digit + core.slice(position + 1);
            // The same change with the check digit recomputed: when that is a valid number, the
            // date survived the change and only the check digit can have caught it.
            const recomputed = changed.slice(0, 9) + referenceCheckDigit(changed.slice(0, 9));
            const [changedForms, recomputedForms] = [writeBoth(changed), writeBoth(recomputed)];
            changedForms.forEach((form, index) => {
              const result = parseIdentityNumber(form, today);
              expect(result.ok).toBe(false);
              if (position === 9 || parseIdentityNumber(recomputedForms[index], today).ok) {
                expect(result).toEqual(expect.objectContaining({ problem: 'CHECKSUM' }));
              }
            });
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips formatIdentityNumber through parseIdentityNumber in both styles', () => {
    fc.assert(
      fc.property(cases, (testCase) => {
        const today = isoOf(testCase.today);
        const parsed = parseIdentityNumber(twelveDigits(testCase.number, ''), today);
        if (!parsed.ok) throw new Error(parsed.message);
        for (const style of [12, 10] as const) {
          const text = formatIdentityNumber(parsed.value, style, today);
          expect(text).toMatch(style === 12 ? /^[0-9]{8}-[0-9]{4}$/ : /^[0-9]{6}[-+][0-9]{4}$/);
          expect(parseIdentityNumber(text, today)).toEqual(parsed);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
