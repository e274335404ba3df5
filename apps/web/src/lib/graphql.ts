import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/vue';
import { createClient as createWsClient } from 'graphql-ws';
import { ref, type Ref } from 'vue';

/** The gateway is this page's origin (`npm start` serves both), over HTTP and WebSocket. */
const wsUrl = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/graphql`;

/**
 * Reconnects soon after a lost connection (a lobby display must come back quickly): 0.5, 1,
 * 2, 4, then every 5 s, each with up to 0.5 s of jitter so displays do not all come at once.
 */
async function retryWait(retries: number): Promise<void> {
  const wait = Math.min(500 * 2 ** retries, 5_000) + Math.random() * 500;
  await new Promise((resolve) => setTimeout(resolve, wait));
}

/**
 * Whether the WebSocket is up: 'idle' before it is first needed, then 'connected' or
 * 'closed' (lost; graphql-ws tries again on its own). `connections` counts the connections
 * made, so a page can tell a reconnect from the first connection.
 */
export const webSocketState: Ref<'idle' | 'connected' | 'closed'> = ref('idle');
export const webSocketConnections = ref(0);

const ws = createWsClient({
  url: wsUrl,
  lazy: true,
  retryAttempts: Infinity,
  retryWait,
  // graphql-ws retries only on close events by default, but a browser that cannot reach the
  // server reports an error event first: without this, the first failed attempt while the
  // network is down would end every subscription for good.
  shouldRetry: () => true,
  on: {
    connected: () => {
      webSocketConnections.value += 1;
      webSocketState.value = 'connected';
    },
    closed: () => {
      webSocketState.value = 'closed';
    },
  },
});

/**
 * One GraphQL client for the pages: queries and mutations over HTTP POST with the session
 * cookie (a citizen signed in with e-ID), subscriptions over graphql-ws. No cache between
 * pages for personal data: every page asks afresh (`network-only` where it matters).
 */
export function createGraphQLClient(token?: () => string | undefined): Client {
  return new Client({
    url: '/graphql',
    // POST always: the gateway's CSRF protection refuses a GET without a preflight header,
    // and answers with personal data must not sit in URLs (logs, history).
    preferGetMethod: false,
    fetchOptions: () => {
      const bearer = token?.();
      const headers: Record<string, string> = bearer ? { authorization: `Bearer ${bearer}` } : {};
      return { credentials: 'same-origin', headers };
    },
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
}

export { ws as graphqlWebSocket };
