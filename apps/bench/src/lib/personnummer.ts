import { luhnCheckDigit } from '@samservice/identity';

const FIRST_BIRTH_DATE = Date.UTC(1940, 0, 1);
const BIRTH_DAYS = 10_000; // 1940-01-01 .. 1967-05-19
const DAY_MS = 86_400_000;

/**
 * A made-up, valid personnummer for person `n` (12 digits with '-'): birth date from
 * 1940 to 1967, serial number and Luhn check digit computed. Distinct for n < 9,990,000.
 */
export function personnummer(n: number): string {
  const birth = new Date(FIRST_BIRTH_DATE + (n % BIRTH_DAYS) * DAY_MS);
  const serial = String(1 + (Math.floor(n / BIRTH_DAYS) % 999)).padStart(3, '0');
  const year = birth.getUTCFullYear();
  const month = String(birth.getUTCMonth() + 1).padStart(2, '0');
  const day = String(birth.getUTCDate()).padStart(2, '0');
  const nine = `${String(year % 100).padStart(2, '0')}${month}${day}${serial}`;
  return `${year}${month}${day}-${serial}${luhnCheckDigit(nine)}`;
}
