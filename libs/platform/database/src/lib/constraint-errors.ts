import { DomainError } from '@samservice/platform/errors';

export interface ConstraintMessage {
  field: string;
  message: string;
}

interface PgError {
  code?: string;
  constraint?: string;
  driverError?: PgError;
}

const CONSTRAINT_VIOLATIONS = new Set(['23505', '23P01', '23503', '23514']);

/**
 * The database is the final judge of invariants (unique codes, no overlapping intervals,
 * an agency taking part in an office). Turns a violation of a known constraint into a
 * BAD_USER_INPUT naming the field; anything else is rethrown as it is.
 */
export function rethrowConstraintViolation(
  error: unknown,
  messages: Record<string, ConstraintMessage>,
): never {
  const pg = ((error as PgError)?.driverError ?? error) as PgError;
  if (pg?.code && CONSTRAINT_VIOLATIONS.has(pg.code) && pg.constraint) {
    const known = messages[pg.constraint];
    if (known) throw DomainError.badInput(known.message, known.field);
  }
  throw error;
}

export function isConstraintViolation(error: unknown, constraint: string): boolean {
  const pg = ((error as PgError)?.driverError ?? error) as PgError;
  return pg?.constraint === constraint;
}
