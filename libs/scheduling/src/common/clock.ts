import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@samservice/platform/config';

/**
 * The one place scheduling reads the time: tests pin it with FIXED_NOW; CLOCK_OFFSET_SECONDS
 * (or the launcher's demo clock) shifts a running clock, and FIXED_NOW wins over it.
 */
@Injectable()
export class Clock {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  now(): number {
    return this.config.fixedNow ?? Date.now() + (this.config.clockOffsetMs ?? 0);
  }
}
