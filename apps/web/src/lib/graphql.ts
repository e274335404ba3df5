import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/vue';
import { createClient as createWsClient } from 'graphql-ws';

/** The gateway is this page's origin (`npm start` serves both), over HTTP and WebSocket. */
const wsUrl = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/graphql`;

const ws = createWsClient({ url: wsUrl, lazy: true, retryAttempts: Infinity });

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
