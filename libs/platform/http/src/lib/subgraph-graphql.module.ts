import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloFederationDriver, type ApolloFederationDriverConfig } from '@nestjs/apollo';
import type { DynamicModule } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { Logger } from 'pino';
import { formatGraphQLError } from '@samservice/platform/errors';
import { APP_LOGGER } from '@samservice/platform/logging';
import { requestBoundLogger } from './request-logger';

/**
 * The GraphQL server of a subgraph: Apollo Federation 2, schema generated from the code
 * (code-first), errors through the one backstop formatter, no stack traces, no landing page.
 */
export function subgraphGraphQLModule(): DynamicModule {
  return GraphQLModule.forRootAsync<ApolloFederationDriverConfig>({
    driver: ApolloFederationDriver,
    inject: [APP_LOGGER],
    useFactory: (logger: Logger) => {
      const errorOptions = requestBoundLogger(logger);
      return {
        autoSchemaFile: { federation: 2 },
        sortSchema: true,
        playground: false,
        graphiql: false,
        introspection: true,
        includeStacktraceInErrorResponses: false,
        context: ({ req }: { req: unknown }) => ({ req }),
        formatError: (formatted, error) => formatGraphQLError(formatted, error, errorOptions),
        // Query plans and timings stay inside; the gateway does not ask for traces.
        plugins: [ApolloServerPluginInlineTraceDisabled()],
      };
    },
  });
}
