import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import {
  IDENTITY_HEADER,
  InternalIdentitySigner,
  ANONYMOUS,
  type Principal,
} from '@samservice/platform/auth';
import { REQUEST_ID_HEADER } from '@samservice/platform/logging';

type FetcherResponse = Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0];

export interface GatewayContext {
  principal?: Principal;
  requestId?: string;
  clientAddress?: string;
}

/**
 * Forwards an operation to a subgraph with the caller's identity signed by the gateway
 * and the request id for log correlation. The client's own headers are not passed on.
 */
export class AuthenticatedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly signer: InternalIdentitySigner,
    // Not the default make-fetch-happen, whose proxy agent builds an Error stack trace on
    // every request: node:http by default (subgraphFetcher).
    fetcher: RemoteGraphQLDataSource['fetcher'],
  ) {
    super({ url, fetcher });
  }

  /**
   * A subgraph answers a request it refuses as a whole (e.g. a variable that is not a valid
   * Date) with HTTP 400 and GraphQL errors, and one it has no room for with HTTP 503. Relay
   * those errors as they are (a classified BAD_USER_INPUT, a retryable SERVICE_UNAVAILABLE),
   * rather than as a failed fetch.
   */
  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    const body = (await response
      .clone()
      .json()
      .catch(() => undefined)) as
      { errors?: Array<{ message?: string; extensions?: Record<string, unknown> }> } | undefined;
    const first = body?.errors?.[0];
    const code = first?.extensions?.['code'];
    if (response.status === 400 && first?.message && typeof code === 'string') {
      return new GraphQLError(first.message, { extensions: { code } });
    }
    // A subgraph refusing for overload (its admission gate): a retryable answer, with its hint.
    if (response.status === 503 && first?.message && code === 'SERVICE_UNAVAILABLE') {
      const retryAfterSeconds = first.extensions?.['retryAfterSeconds'];
      return new GraphQLError(first.message, {
        extensions: {
          code,
          ...(typeof retryAfterSeconds === 'number' ? { retryAfterSeconds } : {}),
        },
      });
    }
    return super.errorFromResponse(response);
  }

  override async willSendRequest(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<void> {
    const context = (options.context ?? {}) as GatewayContext;
    const requestId = context.requestId ?? 'gateway';
    options.request.http?.headers.set(
      IDENTITY_HEADER,
      await this.signer.sign(context.principal ?? ANONYMOUS, context.clientAddress),
    );
    options.request.http?.headers.set(REQUEST_ID_HEADER, requestId);
  }
}
