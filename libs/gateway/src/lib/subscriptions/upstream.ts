import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import WebSocket from 'ws';
import { ErrorCode } from '@samservice/platform/errors';
import { EventStream } from './event-stream';

/** The subgraph answered the subscription with errors of its own (relayed, formatted again). */
export class SubgraphRefusal extends Error {
  override name = 'SubgraphRefusal';
  constructor(readonly errors: readonly GraphQLFormattedError[]) {
    super(errors[0]?.message ?? 'refused by the subgraph');
  }
}

/** A subgraph's event as it comes: data, and errors formatted by the subgraph. */
export type RelayedResult = FormattedExecutionResult<Record<string, unknown>, unknown>;

/** How long a subgraph may take to acknowledge a connection. */
const ACK_TIMEOUT_MS = 10_000;
/** Attempts to connect again when a subgraph could not be reached before it acknowledged. */
const CONNECT_RETRIES = 2;
/** Events that may wait for a client that reads slowly; one more ends its subscription. */
const MAX_BUFFERED_EVENTS = 100;

export const UNREACHABLE_MESSAGE =
  'Part of Samservice is not reachable right now. Please try again in a moment.';

/** `http://host:port/graphql` → `ws://host:port/graphql` (https → wss). */
export function webSocketUrlOf(httpUrl: string): string {
  return httpUrl.replace(/^http(s?):/i, 'ws$1:');
}

/** What an upstream failure was, for the log line (never shown to the client). */
function reasonOf(error: unknown): string {
  const { code, reason, message } = (error ?? {}) as {
    code?: unknown;
    reason?: unknown;
    message?: unknown;
  };
  if (typeof code === 'number') return `closed ${code}${reason ? ` ${String(reason)}` : ''}`;
  if (typeof message === 'string' && message) return message;
  return 'connection failed';
}

export interface UpstreamOptions {
  /** `connection_init` of each new connection: the caller's identity, signed then. */
  connectionParams: () => Promise<Record<string, unknown>>;
  /** A subgraph could not be reached, or dropped the connection. */
  onUnreachable: (url: string, reason: string) => void;
}

/**
 * The upstream side of one client connection: a graphql-ws client per subgraph, opened on the
 * first subscription to it and closed with the client's connection, carrying the signed
 * identity of this one caller (a subgraph verifies it at `connection_init`, as it verifies
 * the header of an HTTP request). A subgraph that cannot be reached yet is tried twice more
 * (a restart takes about a second); a connection that drops after it was acknowledged ends
 * its subscriptions with SERVICE_UNAVAILABLE instead of resubscribing quietly, so the client
 * knows events may have been missed and subscribes again (and reads what it missed).
 */
export class UpstreamConnections {
  private readonly clients = new Map<string, Client>();

  constructor(private readonly options: UpstreamOptions) {}

  /** Forwards one subscription to the subgraph at `url`; its events, until either side ends it. */
  subscribe(
    url: string,
    payload: {
      query: string;
      operationName?: string | null;
      variables?: Record<string, unknown> | null;
    },
  ): EventStream<RelayedResult> {
    let unsubscribe: () => void = () => undefined;
    const stream = new EventStream<RelayedResult>(
      () => unsubscribe(),
      MAX_BUFFERED_EVENTS,
      () =>
        new GraphQLError(
          `This connection reads events more slowly than they come (more than ${MAX_BUFFERED_EVENTS} waited); the subscription was ended. Subscribe again.`,
          {
            extensions: {
              code: ErrorCode.LIMIT_REACHED,
              limit: 'bufferedEvents',
              max: MAX_BUFFERED_EVENTS,
            },
          },
        ),
    );
    unsubscribe = this.client(url).subscribe(payload, {
      next: (result) => stream.push(result),
      error: (error: unknown) => {
        if (Array.isArray(error)) {
          stream.fail(new SubgraphRefusal(error as GraphQLFormattedError[]));
          return;
        }
        this.options.onUnreachable(url, reasonOf(error));
        stream.fail(
          new GraphQLError(UNREACHABLE_MESSAGE, {
            extensions: { code: ErrorCode.SERVICE_UNAVAILABLE },
          }),
        );
      },
      complete: () => stream.end(),
    });
    return stream;
  }

  /** Closes every upstream connection (their subscriptions end with them). */
  async close(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    // A client still connecting to a subgraph that is down rejects its dispose: nothing to close.
    await Promise.allSettled(clients.map((client) => client.dispose()));
  }

  private client(url: string): Client {
    const known = this.clients.get(url);
    if (known) return known;
    // Acknowledged on the socket being tried: a failure then is a drop, not a failed connect.
    let acknowledged = false;
    const client = createClient({
      url: webSocketUrlOf(url),
      webSocketImpl: WebSocket,
      lazy: true,
      connectionParams: this.options.connectionParams,
      connectionAckWaitTimeout: ACK_TIMEOUT_MS,
      retryAttempts: CONNECT_RETRIES,
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, 250 * 2 ** retries)),
      shouldRetry: () => !acknowledged,
      on: {
        connecting: () => (acknowledged = false),
        connected: () => (acknowledged = true),
      },
    });
    this.clients.set(url, client);
    return client;
  }
}
