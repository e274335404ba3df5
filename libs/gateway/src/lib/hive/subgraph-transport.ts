import type { GatewayConfig } from '@graphql-hive/gateway-runtime';
import { GraphQLError, print, type DocumentNode, type ExecutionResult } from 'graphql';
import {
  ANONYMOUS,
  IDENTITY_HEADER,
  type InternalIdentitySigner,
  type Principal,
} from '@samservice/platform/auth';
import { REQUEST_ID_HEADER } from '@samservice/platform/logging';
import { fetchPost, nodeHttpPost, type SubgraphClient } from './subgraph-client';

/** What the Hive gateway knows about each request (its server context, built before Hive runs). */
export interface HiveRequestContext {
  principal: Principal;
  clientAddress?: string;
  requestId: string;
}

/** The part of an execution request (of @graphql-tools/utils) this transport reads. */
interface SubgraphExecutionRequest {
  document: DocumentNode;
  variables?: Record<string, unknown>;
  operationName?: string;
  context?: Partial<HiveRequestContext>;
}

/** The part of Hive's transport payload this transport reads. */
interface TransportPayload {
  subgraphName: string;
  transportEntry: { location?: string };
}

type Transports = NonNullable<GatewayConfig['transports']>;

/** A subgraph could not be reached (refused, reset, timed out): SERVICE_UNAVAILABLE to the client. */
export class SubgraphUnreachableError extends Error {
  override name = 'SubgraphUnreachableError';

  constructor(
    readonly subgraph: string,
    readonly reason: string,
  ) {
    super(`subgraph "${subgraph}" is not reachable (${reason})`);
  }
}

/** A subgraph answered with something that is not a GraphQL answer: logged, INTERNAL_SERVER_ERROR. */
export class SubgraphResponseError extends Error {
  override name = 'SubgraphResponseError';
}

interface WireError {
  message?: unknown;
  path?: unknown;
  extensions?: unknown;
}

function toGraphQLError(error: WireError): GraphQLError {
  return new GraphQLError(typeof error.message === 'string' ? error.message : 'Subgraph error', {
    path: Array.isArray(error.path) ? (error.path as Array<string | number>) : undefined,
    extensions:
      typeof error.extensions === 'object' && error.extensions !== null
        ? (error.extensions as Record<string, unknown>)
        : undefined,
  });
}

/**
 * Hive's transport to the subgraphs: the operation posted as JSON (with Node's fetch, as the
 * Apollo gateway's AuthenticatedDataSource does, or node:http), carrying the identity the
 * gateway signed for the caller and the request id; the client's own headers are not passed
 * on. Subgraph errors keep their extensions; a subgraph that cannot be reached is a
 * SubgraphUnreachableError. (Hive's stock HTTP transport, `@graphql-mesh/transport-http`, is
 * not a dependency here, and would need `onFetch` hooks for the same headers.)
 */
export function samserviceTransports(
  signer: InternalIdentitySigner,
  client: SubgraphClient = 'fetch',
): Transports {
  const post = client === 'http' ? nodeHttpPost() : fetchPost;
  const printed = new WeakMap<DocumentNode, string>();
  const queryOf = (document: DocumentNode) => {
    let query = printed.get(document);
    if (query === undefined) {
      query = print(document);
      printed.set(document, query);
    }
    return query;
  };

  const getSubgraphExecutor = ({ subgraphName, transportEntry }: TransportPayload) => {
    const url = transportEntry.location;
    if (!url) throw new Error(`subgraph "${subgraphName}" has no URL`);
    return async (request: SubgraphExecutionRequest): Promise<ExecutionResult> => {
      const context = request.context ?? {};
      const headers = {
        'content-type': 'application/json',
        accept: 'application/json',
        [IDENTITY_HEADER]: await signer.sign(context.principal ?? ANONYMOUS, context.clientAddress),
        [REQUEST_ID_HEADER]: context.requestId ?? 'gateway',
      };
      const body = JSON.stringify({
        query: queryOf(request.document),
        variables: request.variables,
        operationName: request.operationName,
      });
      let status: number;
      let text: string;
      try {
        ({ status, text } = await post(url, headers, body));
      } catch (error) {
        const cause =
          (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
        throw new SubgraphUnreachableError(subgraphName, cause ?? (error as Error).name);
      }
      let parsed: { data?: Record<string, unknown> | null; errors?: WireError[] } | undefined;
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch {
        parsed = undefined;
      }
      if (status >= 200 && status < 300 && parsed && ('data' in parsed || 'errors' in parsed)) {
        return {
          data: parsed.data,
          ...(parsed.errors?.length ? { errors: parsed.errors.map(toGraphQLError) } : {}),
        };
      }
      // A request the subgraph refuses as a whole (e.g. a variable that is not a valid Date):
      // HTTP 400 with a classified GraphQL error, relayed as it is, for the whole operation
      // (no path, no data), as the Apollo gateway does.
      const first = parsed?.errors?.[0];
      if (
        status === 400 &&
        typeof first?.message === 'string' &&
        typeof (first.extensions as Record<string, unknown> | undefined)?.['code'] === 'string'
      ) {
        const code = (first.extensions as Record<string, string>)['code'];
        throw new GraphQLError(first.message, { extensions: { code } });
      }
      throw new SubgraphResponseError(
        `subgraph "${subgraphName}" answered HTTP ${status} without a GraphQL answer`,
      );
    };
  };

  return { http: { getSubgraphExecutor } } as unknown as Transports;
}
