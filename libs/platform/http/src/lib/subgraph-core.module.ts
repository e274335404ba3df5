import {
  Module,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { TypeOrmHealthIndicator } from '@nestjs/terminus';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  INTERNAL_IDENTITY_VERIFIER,
  InternalIdentityVerifier,
  SubgraphIdentityMiddleware,
} from '@samservice/platform/auth';
import { AppConfigModule, type AppConfig } from '@samservice/platform/config';
import { DatabaseModule, type ServiceDatabase } from '@samservice/platform/database';
import { LoggingModule } from '@samservice/platform/logging';
import { HealthModule } from './health.module';
import { DateScalar, DateTimeScalar } from './scalars';
import { subgraphGraphQLModule } from './subgraph-graphql.module';
import { SubgraphSubscriptionServer } from './subgraph-subscriptions';

export interface SubgraphCoreOptions {
  config: AppConfig;
  database: ServiceDatabase;
  databaseUrl: string;
  /**
   * Serve the subgraph's `@Subscription()` fields over graphql-ws on its own `/graphql`
   * (`SubgraphSubscriptionServer`), for the gateway's subscription path. Off: no WebSocket.
   */
  subscriptions?: boolean;
}

/**
 * What every subgraph stands on: validated config, request logging, its own database
 * connection, the federated GraphQL server, health and readiness, and the check that
 * each GraphQL request was forwarded (and signed) by the gateway; with `subscriptions`, the
 * same over graphql-ws for its subscriptions.
 */
@Module({})
export class SubgraphCoreModule implements NestModule {
  static forRoot(options: SubgraphCoreOptions): DynamicModule {
    const { config, database } = options;
    return {
      module: SubgraphCoreModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule.forService({ service: database.service, ...config.log }),
        DatabaseModule.forService(database, options.databaseUrl, config.databasePoolSize),
        subgraphGraphQLModule(config),
        HealthModule.forRoot({
          inject: [TypeOrmHealthIndicator, getDataSourceToken(database.service)],
          useFactory: (db: TypeOrmHealthIndicator, connection: DataSource) => [
            () => db.pingCheck('database', { connection, timeout: 1_500 }),
          ],
        }),
      ],
      providers: [
        DateScalar,
        DateTimeScalar,
        ...(options.subscriptions ? [SubgraphSubscriptionServer] : []),
        {
          provide: INTERNAL_IDENTITY_VERIFIER,
          useFactory: () =>
            InternalIdentityVerifier.create({
              isProduction: config.isProduction,
              dataDir: config.dataDir,
              ...config.internalIdentity,
            }),
        },
      ],
      exports: [INTERNAL_IDENTITY_VERIFIER],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(SubgraphIdentityMiddleware).forRoutes('graphql');
  }
}
