import { DomainError } from '@samservice/platform/errors';
import type { Principal, Role } from './principal';

/**
 * Authorisation checks resolvers call before delegating: anonymous callers get
 * UNAUTHENTICATED (sign in), signed-in callers without the right get FORBIDDEN.
 */
export function requireRole<R extends Role>(
  principal: Principal,
  ...roles: R[]
): asserts principal is Extract<Principal, { role: R }> {
  if (principal.role === 'anonymous') {
    throw DomainError.unauthenticated('Sign in to do this.');
  }
  if (!(roles as string[]).includes(principal.role)) {
    throw DomainError.forbidden(`This needs one of the roles: ${roles.join(', ')}.`);
  }
}
