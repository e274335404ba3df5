import { Controller, Get, Inject, Module, type DynamicModule, type Provider } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  TerminusModule,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

export interface ReadinessChecksProvider {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Nest factory providers take any injected types
  inject?: any[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  useFactory: (...deps: any[]) => HealthIndicatorFunction[] | Promise<HealthIndicatorFunction[]>;
}

/**
 * `/health`: the process answers (liveness). `/ready`: what it depends on answers too
 * (the database for a subgraph, every subgraph for the gateway); 503 while not.
 */
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    @Inject(READINESS_CHECKS) private readonly readinessChecks: HealthIndicatorFunction[],
  ) {}

  @Get('health')
  @HealthCheck()
  liveness() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  readiness() {
    return this.health.check(this.readinessChecks);
  }
}

@Module({})
export class HealthModule {
  /** `checks` provides the readiness indicators; it may inject what it needs. */
  static forRoot(
    checks: ReadinessChecksProvider,
    imports: DynamicModule['imports'] = [],
  ): DynamicModule {
    return {
      module: HealthModule,
      imports: [
        TerminusModule.forRoot({ logger: false, errorLogStyle: 'json' }),
        ...(imports ?? []),
      ],
      controllers: [HealthController],
      providers: [{ ...checks, provide: READINESS_CHECKS } as Provider],
    };
  }
}
