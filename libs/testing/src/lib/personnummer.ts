import { luhnCheckDigit } from '@samservice/identity';

const DAY_MS = 86_400_000;
const BIRTH_DAYS = 10_000; // about 27 years of birth dates

/**
 * A made-up, valid personnummer for person `n` (12 digits with '-', e.g. 19800101-0016):
 * birth dates from 1 January of `firstBirthYear` on, serial number and Luhn check digit
 * computed, so no test needs a real person's number. Distinct for n < 9,990,000.
 */
export function syntheticPersonnummer(n: number, firstBirthYear = 1940): string {
  const birth = new Date(Date.UTC(firstBirthYear, 0, 1) + (n % BIRTH_DAYS) * DAY_MS);
  const serial = String(1 + (Math.floor(n / BIRTH_DAYS) % 999)).padStart(3, '0');
  const year = birth.getUTCFullYear();
  const month = String(birth.getUTCMonth() + 1).padStart(2, '0');
  const day = String(birth.getUTCDate()).padStart(2, '0');
  const nine = `${String(year % 100).padStart(2, '0')}${month}${day}${serial}`;
  return `${year}${month}${day}-${serial}${luhnCheckDigit(nine)}`;
}
