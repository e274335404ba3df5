import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import type { GqlContextType } from '@nestjs/graphql';
import type { Logger } from 'pino';
import { currentLogger } from '@samservice/platform/logging';
import { ErrorCode, INTERNAL_ERROR_MESSAGE } from '@samservice/platform/errors';
import type { ServerResponse } from 'node:http';
import { answerBodyError } from './request-body';

interface HttpResponse {
  status(code: number): { json(body: unknown): void };
}

/**
 * Last line for plain HTTP routes (health, readiness): known HTTP errors keep their status,
 * a client error of the HTTP layer (a body too large or unreadable, should one get past the
 * parser's own handler) is answered GraphQL-shaped with its 4xx status, and anything else is
 * logged and answered with a code and a message, never a stack trace.
 * GraphQL errors are left to the GraphQL formatter.
 */
@Catch()
export class BackstopExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<GqlContextType>() === 'graphql') return exception;
    const response = host.switchToHttp().getResponse<HttpResponse>();
    if (exception instanceof HttpException) {
      response.status(exception.getStatus()).json(exception.getResponse());
      return undefined;
    }
    if (answerBodyError(exception, response as unknown as ServerResponse)) return undefined;
    currentLogger(this.logger).error({ err: exception }, 'unexpected error on an HTTP route');
    response
      .status(500)
      .json({ code: ErrorCode.INTERNAL_SERVER_ERROR, message: INTERNAL_ERROR_MESSAGE });
    return undefined;
  }
}
