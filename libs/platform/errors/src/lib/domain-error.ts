import { ErrorCode } from './error-codes';

/**
 * An error the caller can act on. Thrown by services and resolvers; turned into a GraphQL
 * error with `extensions.code` by `formatGraphQLError`. Never carries personal data.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
    // An expected refusal, not a fault: where it was thrown helps nobody, and formatting a
    // (source-mapped) stack for every refused booking under a rush costs real CPU.
    this.stack = `DomainError: ${message}`;
  }

  static badInput(message: string, field?: string): DomainError {
    return new DomainError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});
  }

  static notFound(message: string): DomainError {
    return new DomainError(ErrorCode.NOT_FOUND, message);
  }

  static unauthenticated(message = 'Sign in to do this.'): DomainError {
    return new DomainError(ErrorCode.UNAUTHENTICATED, message);
  }

  static forbidden(message = 'You are not allowed to do this.'): DomainError {
    return new DomainError(ErrorCode.FORBIDDEN, message);
  }

  static conflict(message: string): DomainError {
    return new DomainError(ErrorCode.CONFLICT, message);
  }
}
