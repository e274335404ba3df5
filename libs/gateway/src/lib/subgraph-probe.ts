import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_LOGGER } from '@samservice/platform/logging';
import { healthUrlOf, SUBGRAPH_NAMES, type SubgraphName, type SubgraphUrls } from './subgraphs';

export const SUBGRAPH_URLS = Symbol('SUBGRAPH_URLS');

export interface SubgraphStatus {
  name: SubgraphName;
  url: string;
  reachable: boolean;
  reason?: string;
}

/** Checks that each subgraph answers its liveness probe. */
@Injectable()
export class SubgraphProbe implements OnApplicationBootstrap {
  constructor(
    @Inject(SUBGRAPH_URLS) private readonly urls: SubgraphUrls,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  async probe(): Promise<SubgraphStatus[]> {
    return Promise.all(
      SUBGRAPH_NAMES.map(async (name) => {
        const url = this.urls[name];
        try {
          const response = await fetch(healthUrlOf(url), { signal: AbortSignal.timeout(1_500) });
          return response.ok
            ? { name, url, reachable: true }
            : { name, url, reachable: false, reason: `health check answered ${response.status}` };
        } catch (error) {
          const cause = (error as { cause?: { code?: string } }).cause?.code;
          return { name, url, reachable: false, reason: cause ?? (error as Error).name };
        }
      }),
    );
  }

  /** A subgraph that is down at start gets one clear line, not a stack trace. */
  async onApplicationBootstrap(): Promise<void> {
    for (const status of await this.probe()) {
      if (!status.reachable) {
        this.logger.warn(
          `subgraph "${status.name}" is not reachable at ${status.url} (${status.reason}); ` +
            'the gateway starts anyway, /ready stays false and its fields answer SERVICE_UNAVAILABLE until it is up',
        );
      }
    }
  }
}
