import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { maskIdentityNumbersInText } from '@samservice/identity';
import { DomainError } from './domain-error';
import { ErrorCode, GRAPHQL_REQUEST_ERROR_CODES, PUBLIC_ERROR_CODES } from './error-codes';

export interface ErrorLogger {
  error(obj: Record<string, unknown>, message: string): void;
}

interface HttpLikeException {
  getStatus(): number;
  getResponse(): unknown;
}

const STATUS_TO_CODE: Record<number, ErrorCode> = {
  400: ErrorCode.BAD_USER_INPUT,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  409: ErrorCode.CONFLICT,
};

export interface FormatErrorOptions {
  logger: ErrorLogger;
  requestId?: () => string | undefined;
  /** Recognise errors specific to one server (e.g. the gateway's unreachable subgraph). */
  classify?: (original: unknown) => { code: ErrorCode; message: string } | undefined;
}

/** Codes a thrown error may carry to the client as they are (the backstop's own are excluded). */
const CLASSIFIED_CODES: ReadonlySet<string> = new Set(
  [...PUBLIC_ERROR_CODES].filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR),
);

export const INTERNAL_ERROR_MESSAGE =
  'Something went wrong on our side. Please try again; if it keeps happening, contact support and quote the request id.';

function isHttpLikeException(error: unknown): error is HttpLikeException {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as HttpLikeException).getStatus === 'function' &&
    typeof (error as HttpLikeException).getResponse === 'function'
  );
}

function httpExceptionMessage(exception: HttpLikeException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : 'The request was refused.';
}

/**
 * The database could not be reached or had no connection to give in time: pg-pool's
 * connection timeout, PostgreSQL's "too many clients" (53300) or a server shutting down
 * (57P01-57P03), a dropped connection.
 */
export function databaseOverloaded(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === '53300' || code === '57P01' || code === '57P02' || code === '57P03') return true;
  const message = (error as { message?: unknown } | null)?.message;
  return (
    typeof message === 'string' &&
    /timeout exceeded when trying to connect|Connection terminated unexpectedly|remaining connection slots are reserved|too many clients already/i.test(
      message,
    )
  );
}

/**
 * Federation's `_entities` was asked for a type the subgraph does not resolve as an entity:
 * @apollo/subgraph's "no object or interface type of that name", or graphql-js placing a
 * non-entity object in `_Entity`.
 */
export function notAnEntity(error: unknown): boolean {
  const message = (error as { message?: unknown } | null)?.message;
  return (
    typeof message === 'string' &&
    (/^The _entities resolver tried to load an entity for type "[^"]*", but no object or interface type of that name was found in the schema$/.test(
      message,
    ) ||
      /^Runtime Object type "[^"]*" is not a possible type for "_Entity"\.$/.test(message))
  );
}

/**
 * PostgreSQL refused a text it cannot store: U+0000 (NUL) in a string (22021, "invalid byte
 * sequence for encoding UTF8: 0x00"), or a character the database's encoding lacks (22P05).
 * Only a client sends such a text: it is their input to correct, not a server error.
 */
export function unstorableText(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '22021' || code === '22P05';
}

/** A classified error's extensions without what would tell how the server works inside. */
function safeExtensions(formatted: GraphQLFormattedError): Record<string, unknown> {
  const {
    stacktrace: _stacktrace,
    exception: _exception,
    ...extensions
  } = formatted.extensions ?? {};
  return extensions;
}

/** Apollo wraps resolver errors; find the error that was actually thrown. */
function originalErrorOf(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5; depth++) {
    const inner = (current as { originalError?: unknown } | null)?.originalError;
    if (!inner || inner === current) break;
    current = inner;
  }
  return current;
}

/** Every string in an error's extensions, at any depth, with identity numbers masked. */
function maskedValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskIdentityNumbersInText(value);
  if (depth > 8 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => maskedValue(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, maskedValue(item, depth + 1)]),
  );
}

/**
 * The one mapping from thrown errors to what a client sees, used by every GraphQL server
 * (subgraphs and gateway) as Apollo's `formatError`. Known domain errors pass with their
 * code and message; anything unexpected is logged with the request id and answered with
 * a generic message. Stack traces never leave the process.
 *
 * Identity numbers never leave in an error: graphql-js quotes a refused variable's value in
 * its message (`Variable "$input" got invalid value { personnummer: "19121212-1212" }`), and
 * our own messages may quote input. Whatever is shaped like one, in the message or any string
 * of the extensions, keeps its birth date and loses its last four digits (`19121212-****`);
 * the request ids (UUIDs) are kept whole.
 */
export function formatGraphQLError(
  formatted: GraphQLFormattedError,
  error: unknown,
  options: FormatErrorOptions,
): GraphQLFormattedError {
  const answer = classifyGraphQLError(formatted, error, options);
  return {
    ...answer,
    message: maskIdentityNumbersInText(answer.message),
    ...(answer.extensions
      ? { extensions: maskedValue(answer.extensions) as Record<string, unknown> }
      : {}),
  };
}

function classifyGraphQLError(
  formatted: GraphQLFormattedError,
  error: unknown,
  options: FormatErrorOptions,
): GraphQLFormattedError {
  const original = originalErrorOf(error);
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
  const requestId = options.requestId?.();

  const classified = options.classify?.(original);
  if (classified) {
    return { ...base, message: classified.message, extensions: { code: classified.code } };
  }

  if (original instanceof DomainError) {
    return {
      ...base,
      message: original.message,
      extensions: { ...original.extensions, code: original.code },
    };
  }
  if (isHttpLikeException(original)) {
    const code = STATUS_TO_CODE[original.getStatus()];
    if (code) {
      return { ...base, message: httpExceptionMessage(original), extensions: { code } };
    }
  }
  const ownCode = original instanceof GraphQLError ? original.extensions?.['code'] : undefined;
  if (original !== error && typeof ownCode === 'string' && CLASSIFIED_CODES.has(ownCode)) {
    // Our own code thrown inside GraphQL's work, e.g. a scalar refusing a literal during
    // validation (which Apollo would label GRAPHQL_VALIDATION_FAILED): the thrower's code wins.
    return { ...base, extensions: { ...safeExtensions(formatted), code: ownCode } };
  }

  if (databaseOverloaded(original)) {
    // Admission keeps requests within the pool, so this is rare (another process holding
    // connections, a database restart); it is an answer to retry, not a server error.
    options.logger.error(
      { err: { type: (original as Error).name, message: (original as Error).message }, requestId },
      'database unavailable while answering a GraphQL request',
    );
    return {
      ...base,
      message: 'Samservice is very busy right now. Please try again in a few seconds.',
      extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, retryAfterSeconds: 5 },
    };
  }

  if (notAnEntity(original)) {
    // A crafted `_entities` call (only the gateway can send one, with its signed identity):
    // the caller's mistake, answered as such, not logged as a fault of ours.
    return {
      ...base,
      message: 'The representation names a type that is not an entity of this service.',
      extensions: { code: ErrorCode.BAD_USER_INPUT },
    };
  }

  if (unstorableText(original)) {
    return {
      ...base,
      message:
        'A text holds a character that cannot be stored (such as U+0000, NUL). Remove it and try again.',
      extensions: { code: ErrorCode.BAD_USER_INPUT },
    };
  }

  const code = formatted.extensions?.['code'];
  const relayedBackstop =
    code === ErrorCode.INTERNAL_SERVER_ERROR && formatted.message === INTERNAL_ERROR_MESSAGE;
  if (
    typeof code === 'string' &&
    (CLASSIFIED_CODES.has(code) || GRAPHQL_REQUEST_ERROR_CODES.has(code) || relayedBackstop)
  ) {
    // Already a safe, classified error (from GraphQL validation, or relayed by a subgraph).
    return { ...base, extensions: { ...safeExtensions(formatted), code } };
  }

  options.logger.error(
    {
      err:
        original instanceof Error
          ? { type: original.name, message: original.message, stack: original.stack }
          : original,
      path: formatted.path,
      requestId,
    },
    'unexpected error while answering a GraphQL request',
  );
  return {
    ...base,
    message: INTERNAL_ERROR_MESSAGE,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, ...(requestId ? { requestId } : {}) },
  };
}
