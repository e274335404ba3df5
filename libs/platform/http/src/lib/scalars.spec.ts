import fc from 'fast-check';
import { DateTime } from 'luxon';
import { GraphQLError } from 'graphql';
import { DateScalar, DateTimeScalar, isIsoDateTime, isLocalDate, parseIsoInstant } from './scalars';

const digits = (length: number) =>
  fc
    .array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length })
    .map((d) => d.join(''));

/** Strings shaped like ISO date-times, with every field allowed to be out of range. */
const isoShaped = fc
  .record({
    year: fc.oneof(fc.integer({ min: 1900, max: 2100 }).map(String), digits(4)),
    month: fc.oneof(
      fc.integer({ min: 1, max: 12 }).map((n) => String(n).padStart(2, '0')),
      digits(2),
    ),
    day: fc.oneof(
      fc.integer({ min: 1, max: 31 }).map((n) => String(n).padStart(2, '0')),
      digits(2),
    ),
    hour: digits(2),
    minute: digits(2),
    second: fc.option(digits(2), { nil: undefined }),
    fraction: fc.option(fc.integer({ min: 1, max: 3 }).chain(digits), { nil: undefined }),
    offset: fc.oneof(
      fc.constant('Z'),
      fc.tuple(fc.constantFrom('+', '-'), digits(2), digits(2)).map(([s, h, m]) => `${s}${h}:${m}`),
    ),
  })
  .map(
    ({ year, month, day, hour, minute, second, fraction, offset }) =>
      `${year}-${month}-${day}T${hour}:${minute}` +
      (second === undefined ? '' : `:${second}${fraction === undefined ? '' : `.${fraction}`}`) +
      offset,
  );

describe('DateTime and Date scalars', () => {
  it('accept exactly the ISO date-times luxon accepts, and read the same instant', () => {
    fc.assert(
      fc.property(isoShaped, (value) => {
        const luxon = DateTime.fromISO(value, { setZone: true });
        // Luxon lets offsets like +00:60 or +27:00 pass, and ISO's 24:00 (the end of a day);
        // these scalars do not: a booked time is a time of day, 00:00-23:59.
        const offset = /([+-])(\d{2}):(\d{2})$/.exec(value);
        const offsetOk = !offset || (Number(offset[2]) <= 23 && Number(offset[3]) <= 59);
        const endOfDay = /T24:/.test(value);
        expect(isIsoDateTime(value)).toBe(luxon.isValid && offsetOk && !endOfDay);
        if (!offsetOk || endOfDay) return;
        if (luxon.isValid) expect(parseIsoInstant(value)).toBe(luxon.toMillis());
        else expect(parseIsoInstant(value)).toBeNaN();
      }),
      { numRuns: 5_000, examples: [['0000-01-01T24:00+00:00'], ['2027-01-01T24:00:00Z']] },
    );
  });

  it('refuse what is not an instant with an offset', () => {
    for (const value of [
      '2027-03-29T09:00:00',
      '2027-03-29 09:00:00+02:00',
      '2027-02-29T09:00:00+01:00',
      '2027-03-29T24:00:00+02:00',
      'tomorrow',
      '',
    ]) {
      expect(isIsoDateTime(value)).toBe(false);
      expect(parseIsoInstant(value)).toBeNaN();
    }
    expect(parseIsoInstant('2028-02-29T09:00:00+01:00')).toBe(Date.parse('2028-02-29T08:00:00Z'));
    expect(parseIsoInstant('0099-01-01T00:00:00Z')).toBe(Date.parse('0099-01-01T00:00:00.000Z'));
  });

  it('accept exactly the real calendar days as dates', () => {
    fc.assert(
      fc.property(fc.tuple(digits(4), digits(2), digits(2)), ([y, m, d]) => {
        const value = `${y}-${m}-${d}`;
        expect(isLocalDate(value)).toBe(DateTime.fromISO(value, { zone: 'UTC' }).isValid);
      }),
      { numRuns: 5_000 },
    );
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2100-02-29')).toBe(false);
    expect(isLocalDate('2027-3-01')).toBe(false);
  });

  it('refuse days before 1900 or after 2200 as BAD_USER_INPUT, before any calendar work', () => {
    const date = new DateScalar();
    const dateTime = new DateTimeScalar();
    expect(date.parseValue('1900-01-01')).toBe('1900-01-01');
    expect(date.parseValue('2200-12-31')).toBe('2200-12-31');
    expect(dateTime.parseValue('2200-12-31T23:59:00+01:00')).toBe('2200-12-31T23:59:00+01:00');
    for (const [scalar, value] of [
      [date, '9999-12-31'],
      [date, '1899-12-31'],
      [date, '0001-01-01'],
      [dateTime, '9999-12-31T09:00:00+01:00'],
      [dateTime, '1850-06-01T09:00:00Z'],
    ] as const) {
      let refusal: unknown;
      try {
        scalar.parseValue(value);
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toBeInstanceOf(GraphQLError);
      expect((refusal as GraphQLError).extensions['code']).toBe('BAD_USER_INPUT');
      expect((refusal as GraphQLError).message).toMatch(/outside the days Samservice handles/);
    }
  });

  it('quote at most a few dozen characters of a refused value', () => {
    let message = '';
    try {
      new DateScalar().parseValue('x'.repeat(100_000));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/is not a date/);
    expect(message.length).toBeLessThan(120);
  });
});
