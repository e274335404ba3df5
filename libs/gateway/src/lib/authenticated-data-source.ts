import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import {
  IDENTITY_HEADER,
  InternalIdentitySigner,
  ANONYMOUS,
  type Principal,
} from '@samservice/platform/auth';
import { REQUEST_ID_HEADER } from '@samservice/platform/logging';

export interface GatewayContext {
  principal?: Principal;
  requestId?: string;
}

/**
 * Forwards an operation to a subgraph with the caller's identity signed by the gateway
 * and the request id for log correlation. The client's own headers are not passed on.
 */
export class AuthenticatedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly signer: InternalIdentitySigner,
  ) {
    super({ url });
  }

  override async willSendRequest(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<void> {
    const context = (options.context ?? {}) as GatewayContext;
    const requestId = context.requestId ?? 'gateway';
    options.request.http?.headers.set(
      IDENTITY_HEADER,
      await this.signer.sign(context.principal ?? ANONYMOUS, requestId),
    );
    options.request.http?.headers.set(REQUEST_ID_HEADER, requestId);
  }
}
