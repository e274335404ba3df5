import type { Logger } from 'pino';
import type { AppConfig } from '@samservice/platform/config';
import { createLogger } from '@samservice/platform/logging';

/** Logger of the launcher and command-line tools (same redaction as the services). */
export function processLogger(config: AppConfig, service = 'launcher'): Logger {
  return createLogger({ service, ...config.log });
}
