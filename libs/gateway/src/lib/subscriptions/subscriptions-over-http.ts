import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, OperationTypeNode } from 'graphql';
import { BAD_REQUEST } from '@samservice/platform/http';

export const SUBSCRIPTIONS_OVER_HTTP_MESSAGE =
  'Subscriptions are served over graphql-ws at /graphql (a WebSocket to the same address); HTTP POST carries queries and mutations.';

/**
 * Apollo Server plugin: a subscription sent over HTTP POST is refused once its operation is
 * known, with 400 BAD_REQUEST and where to send it. Apollo Gateway would plan it and then
 * fail with a 500 ("Execution of subscriptions not supported by gateway").
 */
export function subscriptionsOverHttpRefused(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation === OperationTypeNode.SUBSCRIPTION) {
            throw new GraphQLError(SUBSCRIPTIONS_OVER_HTTP_MESSAGE, {
              extensions: { code: BAD_REQUEST, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
