import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloFederationDriver, type ApolloFederationDriverConfig } from '@nestjs/apollo';
import type { DynamicModule } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { Logger } from 'pino';
import type { AppConfig } from '@samservice/platform/config';
import { formatGraphQLError } from '@samservice/platform/errors';
import { APP_LOGGER } from '@samservice/platform/logging';
import { requestBoundLogger } from './request-logger';
import { apolloArmor } from './request-limits';

/**
 * The GraphQL server of a subgraph: Apollo Federation 2, schema generated from the code
 * (code-first), errors through the one backstop formatter, no stack traces, no landing page,
 * a depth limit of its own, and in production no introspection and no field suggestions.
 * (`_service { sdl }`, which `npm run supergraph` reads, is a field, not introspection.)
 */
export function subgraphGraphQLModule(config: AppConfig): DynamicModule {
  return GraphQLModule.forRootAsync<ApolloFederationDriverConfig>({
    driver: ApolloFederationDriver,
    inject: [APP_LOGGER],
    useFactory: (logger: Logger) => {
      const errorOptions = requestBoundLogger(logger);
      const armor = apolloArmor('subgraph', { isProduction: config.isProduction });
      return {
        autoSchemaFile: { federation: 2 },
        sortSchema: true,
        playground: false,
        graphiql: false,
        introspection: !config.isProduction,
        includeStacktraceInErrorResponses: false,
        context: ({ req }: { req: unknown }) => ({ req }),
        formatError: (formatted, error) => formatGraphQLError(formatted, error, errorOptions),
        validationRules: armor.validationRules,
        parseOptions: armor.parseOptions,
        allowBatchedHttpRequests: armor.allowBatchedHttpRequests,
        // Query plans and timings stay inside; the gateway does not ask for traces. No HTTP
        // caching of answers either (personal, changing by the second), so no cache-control
        // hints computed for every field resolved.
        plugins: [
          ApolloServerPluginInlineTraceDisabled(),
          ApolloServerPluginCacheControlDisabled(),
          ...armor.plugins,
        ],
      };
    },
  });
}
