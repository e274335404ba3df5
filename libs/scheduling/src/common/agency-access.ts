import type { Principal } from '@samservice/platform/auth';
import { DomainError } from '@samservice/platform/errors';

/**
 * Agency secrecy at the shared counter: staff see an agency's matters only when trained for
 * that agency (a competence for it, or for one of its services); admins see everything.
 */
export function trainedFor(principal: Principal, agencyCode: string | undefined): boolean {
  if (principal.role === 'admin') return true;
  if (principal.role !== 'staff' || agencyCode === undefined) return false;
  return principal.competences.some((c) => c === agencyCode || c.startsWith(`${agencyCode}/`));
}

/**
 * An agency's client acts for its own agency's services only (docs/security.md): it books,
 * holds, reads and changes those, never another agency's, whose appointments it could not
 * even list afterwards. Other callers pass.
 */
export function actsForAgency(principal: Principal, agencyCode: string | undefined): boolean {
  return principal.role !== 'agency' || agencyCode === principal.agency;
}

export function requireOwnAgency(
  principal: Principal,
  agencyCodes: ReadonlyArray<string | undefined>,
): void {
  if (principal.role !== 'agency') return;
  const foreign = agencyCodes.find((code) => code !== principal.agency);
  if (agencyCodes.length === 0 || foreign !== undefined) {
    throw DomainError.forbidden(
      `An agency's client books and changes its own agency's services only${foreign ? `; this service is ${foreign}'s` : ''}. The citizen, or staff at the office, can book it.`,
    );
  }
}
