import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { BAD_REQUEST } from '@samservice/platform/http';

/**
 * Apollo Server plugin: a document that names no operation to run (an `operationName` it
 * lacks, or several operations and no `operationName`) is refused with 400 BAD_REQUEST once
 * parsed and validated. Apollo Gateway's executor would throw on it, which Apollo Server
 * answers as an HTTP 500.
 */
export function operationRequired(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (operation) return;
          throw new GraphQLError(
            request.operationName
              ? `The document has no operation named "${request.operationName.slice(0, 100)}".`
              : 'The document has several operations: name the one to run in operationName.',
            { extensions: { code: BAD_REQUEST, http: { status: 400 } } },
          );
        },
      };
    },
  };
}
