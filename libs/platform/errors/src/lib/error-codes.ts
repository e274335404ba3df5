/**
 * The small fixed set of `extensions.code` values clients can rely on (see DESIGN.md).
 * `INTERNAL_SERVER_ERROR` and `SERVICE_UNAVAILABLE` are the two codes of the backstop:
 * something failed on our side, the message says what the person can do.
 * `PAYLOAD_TOO_LARGE` is the one code of the HTTP layer: a request body larger than the
 * server reads (HTTP 413), refused before any of it is parsed. `RATE_LIMITED` is the
 * gateway's: the caller (its address, or its signed-in client) sent more requests in the
 * current window than it allows (HTTP 429 with `Retry-After` and `retryAfterSeconds`).
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  SLOT_UNAVAILABLE: 'SLOT_UNAVAILABLE',
  LIMIT_REACHED: 'LIMIT_REACHED',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  RATE_LIMITED: 'RATE_LIMITED',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes that GraphQL itself (parsing, validation, variable coercion) produces for bad requests. */
export const GRAPHQL_REQUEST_ERROR_CODES: ReadonlySet<string> = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

export const PUBLIC_ERROR_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));
