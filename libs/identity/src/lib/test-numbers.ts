// Test-only helpers (not exported from the library): build synthetic identity numbers with a
// correct check digit, so no test ever needs a real person's number. The check digit comes from
// an independent Luhn implementation, so the builders do not lean on the code under test.

export interface TestDate {
  year: number;
  month: number;
  day: number;
}

const MS_PER_DAY = 86_400_000;

export function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** Days since 1970-01-01, through Date.UTC as a reference independent of the library. */
export function dayNumberOf({ year, month, day }: TestDate): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return Math.round(date.getTime() / MS_PER_DAY);
}

export function dateOfDayNumber(dayNumber: number): TestDate {
  const date = new Date(dayNumber * MS_PER_DAY);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

export function isoOf({ year, month, day }: TestDate): string {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

export function ageOn(birth: TestDate, today: TestDate): number {
  const beforeBirthday =
    today.month < birth.month || (today.month === birth.month && today.day < birth.day);
  return today.year - birth.year - (beforeBirthday ? 1 : 0);
}

/** Classic Luhn validation read from the right: every second digit from the last is doubled. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let fromRight = 0; fromRight < digits.length; fromRight++) {
    let digit = Number(digits[digits.length - 1 - fromRight]);
    if (fromRight % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit = Math.floor(digit / 10) + (digit % 10);
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** The one digit that makes `nineDigits` + digit pass Luhn. */
export function referenceCheckDigit(nineDigits: string): number {
  for (let digit = 0; digit <= 9; digit++) {
    if (passesLuhn(nineDigits + digit)) return digit;
  }
  throw new Error(`No check digit for ${nineDigits}`);
}

export interface TestNumber {
  /** The two century digits. */
  century: string;
  /** YYMMDDNNNC, the day + 60 for a samordningsnummer. */
  core: string;
}

/** A number for `birth` with `serial` (0..999) and a correct check digit. */
export function buildNumber(birth: TestDate, serial: number, coordination = false): TestNumber {
  const yyyy = pad(birth.year, 4);
  const nine = `${yyyy.slice(2)}${pad(birth.month, 2)}${pad(birth.day + (coordination ? 60 : 0), 2)}${pad(serial, 3)}`;
  return { century: yyyy.slice(0, 2), core: nine + referenceCheckDigit(nine) };
}

/** The 10-digit core with its date and serial apart: 'YYMMDD' + separator + 'NNNC'. */
export function tenDigits(core: string, separator: '' | '-' | '+'): string {
  return `${core.slice(0, 6)}${separator}${core.slice(6)}`;
}

export function twelveDigits({ century, core }: TestNumber, separator: '' | '-' | '+'): string {
  return century + tenDigits(core, separator);
}
