import fc from 'fast-check';
import { luhnCheckDigit } from './luhn';
import { passesLuhn } from './test-numbers';

describe('luhnCheckDigit', () => {
  it('gives 2 for the test number 121212-121?', () => {
    expect(luhnCheckDigit('121212121')).toBe(2);
  });

  it('gives the one digit that makes the ten digits pass classic Luhn validation', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{9}$/), (nine) => {
        const check = luhnCheckDigit(nine);
        for (let digit = 0; digit <= 9; digit++) {
          expect(passesLuhn(nine + digit)).toBe(digit === check);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it.each(['', '12121212', '1212121212', '12121212a', ' 121212121', '１２１２１２１２１'])(
    'refuses %p',
    (text) => {
      expect(() => luhnCheckDigit(text)).toThrow(RangeError);
    },
  );
});
