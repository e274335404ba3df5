import { ValidationService } from '@fkui/logic';

/**
 * Our own field checks, registered with FKUI's validation: a personnummer or samordningsnummer
 * (10 or 12 digits, with or without - or +; the API checks the date and the control digit),
 * and a date written YYYY-MM-DD that exists and is not in the future.
 */
export const IDENTITY_NUMBER = /^(\d{2})?\d{6}[-+]?\d{4}$/;

export function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return (
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === m - 1 &&
    date.getUTCDate() === d &&
    y >= 1900 &&
    date.getTime() <= Date.now()
  );
}

export function registerBookingValidators(): void {
  ValidationService.registerValidator({
    name: 'identityNumber',
    validation: (value) => value.trim() === '' || IDENTITY_NUMBER.test(value.trim()),
  });
  ValidationService.registerValidator({
    name: 'isoDate',
    validation: (value) => value.trim() === '' || isIsoDate(value.trim()),
  });
}
