import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';

export interface SubscriptionClientOptions {
  /** A bearer token, sent in `connectionParams.authorization` as browsers do. */
  token?: string;
  /** Headers of the WebSocket upgrade request (what a server-side client can send). */
  headers?: Record<string, string>;
  connectionParams?: Record<string, unknown>;
}

/**
 * A real graphql-ws client of `graphqlUrl` (`http://…/graphql`, the same address as POST),
 * as an outside client would open one. It does not retry: a refusal's close code is the
 * outcome of the subscription that met it.
 */
export function subscriptionClient(
  graphqlUrl: string,
  options: SubscriptionClientOptions = {},
): Client {
  const { headers } = options;
  const webSocketImpl = headers
    ? class extends WebSocket {
        constructor(address: string | URL, protocols?: string | string[]) {
          super(address, protocols, { headers });
        }
      }
    : WebSocket;
  return createClient({
    url: graphqlUrl.replace(/^http/, 'ws'),
    webSocketImpl,
    retryAttempts: 0,
    connectionParams: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.connectionParams,
    },
  });
}

/** How a subscription ended: the events it got, and its error (GraphQL errors or a close). */
export interface SubscriptionOutcome {
  results: FormattedExecutionResult[];
  error?: unknown;
}

/** One running subscription: read its events one by one, stop it, or wait for its end. */
export interface RunningSubscription {
  /** The next event (or the end: rejects with the outcome when it ended without one). */
  next(): Promise<FormattedExecutionResult>;
  /** Completes it from the client's side. */
  stop(): void;
  /** Resolves when the server ended it (complete or error). */
  readonly ended: Promise<SubscriptionOutcome>;
}

export function subscribe(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): RunningSubscription {
  const results: FormattedExecutionResult[] = [];
  const waiting: Array<(result: FormattedExecutionResult | undefined) => void> = [];
  let read = 0;
  let finished: SubscriptionOutcome | undefined;
  let end: (outcome: SubscriptionOutcome) => void = () => undefined;
  const ended = new Promise<SubscriptionOutcome>((resolve) => (end = resolve));
  const finish = (outcome: SubscriptionOutcome) => {
    finished = outcome;
    end(outcome);
    for (const wake of waiting.splice(0)) wake(undefined);
  };
  const stop = client.subscribe(
    { query, variables },
    {
      next: (result) => {
        results.push(result as FormattedExecutionResult);
        waiting.shift()?.(result as FormattedExecutionResult);
      },
      error: (error) => finish({ results, error }),
      complete: () => finish({ results }),
    },
  );
  return {
    ended,
    stop,
    async next() {
      const index = read++;
      const result =
        results[index] ??
        (finished
          ? undefined
          : await new Promise<FormattedExecutionResult | undefined>((wake) => waiting.push(wake)));
      if (!result) throw Object.assign(new Error('the subscription ended'), finished);
      return result;
    },
  };
}

/** Runs a subscription to its end (for one the server refuses or completes). */
export function subscriptionOutcome(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<SubscriptionOutcome> {
  return subscribe(client, query, variables).ended;
}
