import type { Logger } from 'pino';
import type { ErrorLogger } from '@samservice/platform/errors';
import { currentLogger, currentRequestId } from '@samservice/platform/logging';

/**
 * Adapts the request-bound logger for the error formatter: log lines carry the request
 * id, and the id can be quoted back to the caller.
 */
export function requestBoundLogger(fallback: Logger): {
  logger: ErrorLogger;
  requestId: () => string | undefined;
} {
  return {
    logger: { error: (obj, message) => currentLogger(fallback).error(obj, message) },
    requestId: currentRequestId,
  };
}
