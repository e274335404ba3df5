export interface GraphQLError {
  message: string;
  path?: string[];
  extensions?: Record<string, unknown>;
}

export interface GraphQLResult<T> {
  status: number;
  data?: T | null;
  errors?: GraphQLError[];
  /** Wall time from sending the request to the parsed answer. */
  ms: number;
}

/** The code given to answers that never came (connection refused or reset, timeout). */
export const NETWORK_ERROR = 'NETWORK_ERROR';

/** Answers that ask to try again in a moment. */
const TRANSIENT = new Set(['SERVICE_UNAVAILABLE', NETWORK_ERROR]);

/** The `extensions.code` of the first error, or undefined when there is none. */
export function errorCode(result: GraphQLResult<unknown>): string | undefined {
  const first = result.errors?.[0];
  if (!first) return undefined;
  const code = first.extensions?.['code'];
  return typeof code === 'string' ? code : 'NO_CODE';
}

/**
 * A GraphQL client over Node's global `fetch`, whose undici agent keeps connections alive
 * and reuses them. Every request has a time limit, so no benchmark loop can hang on one.
 */
export class GraphQLClient {
  /** Setup and check requests retried after an answer that says "try again" (counted here). */
  transientRetries = 0;

  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  /**
   * `maxInFlight`: at most this many requests on the wire at once, the rest wait in line
   * (first come, first served) and their wait counts in their time: what a reverse proxy in
   * front of the gateway does with its bounded pool of keep-alive connections.
   */
  constructor(
    readonly url: string,
    private readonly timeoutMs = 60_000,
    private readonly maxInFlight = Number.POSITIVE_INFINITY,
    /** A bearer token sent with every request (staff at a counter). */
    private readonly token?: string,
  ) {}

  private async turn(): Promise<void> {
    if (this.inFlight < this.maxInFlight) {
      this.inFlight++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private done(): void {
    const next = this.waiting.shift();
    if (next)
      next(); // the slot passes straight on
    else this.inFlight--;
  }

  /** Never throws for a failed answer: network failures come back as NETWORK_ERROR. */
  async request<T>(
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<GraphQLResult<T>> {
    const started = performance.now();
    await this.turn();
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await response.text();
      const ms = performance.now() - started;
      try {
        const body = JSON.parse(text) as { data?: T | null; errors?: GraphQLError[] };
        return { status: response.status, data: body.data, errors: body.errors, ms };
      } catch {
        return {
          status: response.status,
          errors: [
            {
              message: `not JSON: ${text.slice(0, 200)}`,
              extensions: { code: 'HTTP_' + response.status },
            },
          ],
          ms,
        };
      }
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return {
        status: 0,
        errors: [
          {
            message: `${(error as Error).message}${cause ? ` (${cause})` : ''}`,
            extensions: { code: NETWORK_ERROR, cause },
          },
        ],
        ms: performance.now() - started,
      };
    } finally {
      this.done();
    }
  }

  /**
   * For setup steps and checks: the data, or an error naming the first problem. A
   * SERVICE_UNAVAILABLE or network failure is retried twice after a second (and counted).
   */
  async query<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    let result = await this.request<T>(query, variables);
    for (let retry = 1; retry <= 2 && TRANSIENT.has(errorCode(result) ?? ''); retry++) {
      this.transientRetries++;
      process.stdout.write(
        `(${errorCode(result)}: ${result.errors?.[0]?.message}; retrying in 1 s)\n`,
      );
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      result = await this.request<T>(query, variables);
    }
    if (result.errors?.length || !result.data) {
      throw new Error(
        `GraphQL request failed (HTTP ${result.status}): ${JSON.stringify(result.errors ?? result)}`,
      );
    }
    return result.data;
  }
}
