import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@samservice/platform/config';

/** The one place scheduling reads the time; tests pin it with FIXED_NOW. */
@Injectable()
export class Clock {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  now(): number {
    return this.config.fixedNow ?? Date.now();
  }
}
