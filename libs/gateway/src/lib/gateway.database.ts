import type { ServiceDatabase } from '@samservice/platform/database';
import { RateLimitEntity } from './rate-limit/rate-limit.entity';
import { RateLimit1796172076282 } from '../migrations/1796172076282-RateLimit';

export const GATEWAY_DATA_SOURCE = 'gateway';

/**
 * The gateway's part of the database: schema `gateway`, today only the request counts that
 * make rate limits hold across replicas. The gateway reads no other service's schema.
 */
export const gatewayDatabase: ServiceDatabase = {
  service: GATEWAY_DATA_SOURCE,
  schema: 'gateway',
  entities: [RateLimitEntity],
  migrations: [RateLimit1796172076282],
};
