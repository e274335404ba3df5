import type { PinoLogger } from 'nestjs-pino';
import type { ErrorLogger } from '@samservice/platform/errors';

/**
 * Adapts nestjs-pino's request-bound logger for the error formatter: log lines carry the
 * request id, and the id can be quoted back to the caller.
 */
export function requestBoundLogger(logger: PinoLogger): {
  logger: ErrorLogger;
  requestId: () => string | undefined;
} {
  return {
    logger: { error: (obj, message) => logger.error(obj, message) },
    requestId: () => {
      const id = logger.logger.bindings()['requestId'];
      return typeof id === 'string' ? id : undefined;
    },
  };
}
