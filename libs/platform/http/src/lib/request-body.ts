import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { maskIdentityNumbersInText } from '@samservice/identity';
import { ErrorCode } from '@samservice/platform/errors';
import { pathOf } from '@samservice/platform/logging';

/** Apollo's code for a request that is not a GraphQL request at all (e.g. not JSON). */
export const BAD_REQUEST = 'BAD_REQUEST';

/** What body-parser (through http-errors) puts on the errors it raises for a body. */
interface BodyError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  type?: string;
  limit?: number;
}

/** The status of an error the HTTP layer raised about the request itself (4xx), if it is one. */
export function clientErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode, expose } = error as BodyError;
  const code = status ?? statusCode;
  return typeof code === 'number' && code >= 400 && code < 500 && expose === true
    ? code
    : undefined;
}

/** A GraphQL-shaped answer, as every other refusal: `{ errors: [{ message, extensions }] }`. */
export function sendGraphQLError(
  res: ServerResponse,
  status: number,
  message: string,
  extensions: Record<string, unknown>,
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  // The messages here are fixed texts, but none of them may ever echo an identity number.
  res.end(
    JSON.stringify({ errors: [{ message: maskIdentityNumbersInText(message), extensions }] }),
  );
}

/**
 * Answers an error the JSON body parser raised: a body larger than the limit is 413
 * PAYLOAD_TOO_LARGE, anything else it refuses (not JSON, an unknown charset, …) 400
 * BAD_REQUEST. Expected refusals of a client's request: answered, never logged as errors
 * (the request line records the status). False for any other error, which goes on to the
 * backstop.
 */
export function answerBodyError(
  error: unknown,
  res: ServerResponse,
  limitBytes = (error as BodyError | undefined)?.limit,
): boolean {
  const status = clientErrorStatus(error);
  if (status === undefined) return false;
  if (status === 413) {
    sendGraphQLError(
      res,
      413,
      `The request is larger than the ${limitBytes ?? 'number of'} bytes this endpoint reads. Send a shorter query, fewer or shorter variables, or split it into several requests.`,
      { code: ErrorCode.PAYLOAD_TOO_LARGE, limit: 'requestBytes', max: limitBytes },
    );
    return true;
  }
  sendGraphQLError(
    res,
    status,
    (error as BodyError).type === 'entity.parse.failed'
      ? 'The request body is not valid JSON. Send {"query": "…", "variables": {…}} with content-type application/json.'
      : 'The request body could not be read. Send {"query": "…", "variables": {…}} as UTF-8 JSON with content-type application/json.',
    { code: BAD_REQUEST },
  );
  return true;
}

/**
 * An Express error handler for what the body parser before it refused. The parser runs
 * before the request logger, so the refusal gets its own line, at the request lines' level
 * (info): path and status, never the query string or the body.
 */
export function bodyErrorHandler(limitBytes: number, logger?: Pick<Logger, 'info'>) {
  return (
    error: unknown,
    req: IncomingMessage,
    res: ServerResponse,
    next: (error?: unknown) => void,
  ): void => {
    if (!answerBodyError(error, res, limitBytes)) return next(error);
    logger?.info(
      {
        req: { method: req.method, url: pathOf(req.url) },
        res: { statusCode: res.statusCode },
        limitBytes,
      },
      'request body refused',
    );
  };
}
