import type { JWTPayload } from 'jose';
import { ROLES, type Principal, type Role } from './principal';

/**
 * Claims a bearer token must carry (documented in docs/security.md). Standard OIDC/OAuth
 * claims where they exist (`sub`, `iss`, `aud`, `exp`, `client_id` of RFC 9068, `roles`),
 * the Swedish OIDC profile's claim for the personal identity number, and namespaced
 * private claims for what only Samservice knows.
 */
export const CLAIMS = {
  roles: 'roles',
  personalIdentityNumber: 'https://id.oidc.se/claim/personalIdentityNumber',
  clientId: 'client_id',
  offices: 'https://samservice.se/claims/offices',
  adminOffices: 'https://samservice.se/claims/admin_offices',
  competences: 'https://samservice.se/claims/competences',
  agency: 'https://samservice.se/claims/agency',
} as const;

export class InvalidClaimsError extends Error {
  override name = 'InvalidClaimsError';
}

function stringArray(payload: JWTPayload, claim: string): string[] {
  const value = payload[claim];
  if (value === undefined) return [];
  if (
    !Array.isArray(value) ||
    !value.every((item) => typeof item === 'string' && item.length > 0)
  ) {
    throw new InvalidClaimsError(`claim ${claim} must be an array of strings`);
  }
  return value as string[];
}

function requiredString(payload: JWTPayload, claim: string): string {
  const value = payload[claim];
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidClaimsError(`claim ${claim} is required`);
  }
  return value;
}

function roleOf(payload: JWTPayload): Role {
  const roles = stringArray(payload, CLAIMS.roles).filter((role): role is Role =>
    (ROLES as readonly string[]).includes(role),
  );
  if (roles.length !== 1) {
    throw new InvalidClaimsError('the token must carry exactly one Samservice role in "roles"');
  }
  return roles[0] as Role;
}

/** Turns the verified claims of a bearer token into the principal the subgraphs see. */
export function principalFromClaims(payload: JWTPayload): Principal {
  const subject = requiredString(payload, 'sub');
  const role = roleOf(payload);
  switch (role) {
    case 'citizen': {
      const personnummer = requiredString(payload, CLAIMS.personalIdentityNumber);
      if (!/^\d{12}$/.test(personnummer)) {
        throw new InvalidClaimsError(`claim ${CLAIMS.personalIdentityNumber} must be 12 digits`);
      }
      return { role, subject, personnummer };
    }
    case 'staff': {
      const offices = stringArray(payload, CLAIMS.offices);
      const adminOffices = stringArray(payload, CLAIMS.adminOffices);
      if (offices.length === 0)
        throw new InvalidClaimsError(`claim ${CLAIMS.offices} is required for staff`);
      return {
        role,
        subject,
        offices,
        adminOffices,
        competences: stringArray(payload, CLAIMS.competences),
      };
    }
    case 'agency':
      return {
        role,
        subject,
        clientId: requiredString(payload, CLAIMS.clientId),
        agency: requiredString(payload, CLAIMS.agency),
      };
    case 'admin':
      return { role, subject };
  }
}

/** The claims of a token for `principal`: the inverse of `principalFromClaims`. */
export function claimsForPrincipal(
  principal: Exclude<Principal, { role: 'anonymous' }>,
): JWTPayload {
  const base: JWTPayload = { sub: principal.subject, [CLAIMS.roles]: [principal.role] };
  switch (principal.role) {
    case 'citizen':
      return { ...base, [CLAIMS.personalIdentityNumber]: principal.personnummer };
    case 'staff':
      return {
        ...base,
        [CLAIMS.offices]: principal.offices,
        [CLAIMS.adminOffices]: principal.adminOffices,
        [CLAIMS.competences]: principal.competences,
      };
    case 'agency':
      return { ...base, [CLAIMS.clientId]: principal.clientId, [CLAIMS.agency]: principal.agency };
    case 'admin':
      return base;
  }
}
