import { isoInZone } from '@samservice/calendar';
import { parseIdentityNumber } from '@samservice/identity';
import type { PersonalDataProtector } from '@samservice/platform/crypto';
import { DomainError } from '@samservice/platform/errors';

export interface CitizenIdentity {
  /** Keyed hash the appointment is guarded and found by. */
  key: string;
  /** Sealed identity number (absent for a visitor without one). */
  sealed: Buffer | null;
  birthDate: string | null;
  email: string | null;
}

const IDENTITY_PURPOSE = 'citizen';
const VISITOR_PURPOSE = 'visitor';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Today's date in Sweden, for telling the century of a 10-digit identity number. */
export function swedishToday(now: number): string {
  return isoInZone(now, 'Europe/Stockholm').slice(0, 10);
}

/** The keyed hash of a valid identity number, or undefined when it is not one. */
export function identityKey(
  protector: PersonalDataProtector,
  personnummer: string,
  now: number,
): string | undefined {
  const parsed = parseIdentityNumber(personnummer, swedishToday(now));
  return parsed.ok ? protector.hash(IDENTITY_PURPOSE, parsed.value.normalized) : undefined;
}

/**
 * Who the citizen is, for guarding overlaps and limits: the identity number (validated,
 * hashed, sealed), or for a visitor without one (moving to Sweden) birth date + e-mail.
 */
export function citizenIdentity(
  protector: PersonalDataProtector,
  citizen: { personnummer?: string | null; birthDate?: string | null; email?: string | null },
  now: number,
): CitizenIdentity {
  if (citizen.personnummer) {
    const parsed = parseIdentityNumber(citizen.personnummer, swedishToday(now));
    if (!parsed.ok)
      throw DomainError.badInput(`citizen.personnummer: ${parsed.message}`, 'citizen.personnummer');
    return {
      key: protector.hash(IDENTITY_PURPOSE, parsed.value.normalized),
      sealed: protector.encrypt(parsed.value.normalized),
      birthDate: parsed.value.birthDate,
      email: citizen.email ? normalizeEmail(citizen.email) : null,
    };
  }
  if (citizen.birthDate && citizen.email) {
    if (citizen.birthDate > swedishToday(now)) {
      throw DomainError.badInput(
        'citizen.birthDate: a birth date cannot be in the future.',
        'citizen.birthDate',
      );
    }
    const email = normalizeEmail(citizen.email);
    return {
      key: protector.hash(VISITOR_PURPOSE, `${citizen.birthDate}|${email}`),
      sealed: null,
      birthDate: citizen.birthDate,
      email,
    };
  }
  throw DomainError.badInput(
    'citizen: give a personnummer or samordningsnummer, or — if you have neither yet — your birth date and e-mail.',
    'citizen.personnummer',
  );
}
