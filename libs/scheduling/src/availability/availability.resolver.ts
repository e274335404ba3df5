import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { isoInZone as calendarIsoInZone } from '@samservice/calendar';
import { LocalDate } from '@samservice/platform/http';
import { availableSlots } from '@samservice/scheduling-engine';
import { AvailabilityService } from './availability.service';
import { VisitNeed } from './needs';
import { SlotModel } from './slot.model';

/** An instant in the office's local time with its offset, e.g. 2027-03-29T09:00:00+02:00. */
export function isoInZone(ms: number, zone: string): string {
  return calendarIsoInZone(ms, zone, { suppressMilliseconds: true });
}

@Resolver(() => SlotModel)
export class AvailabilityResolver {
  constructor(private readonly availability: AvailabilityService) {}

  @Query(() => [SlotModel], {
    description:
      'Free start times for one service at one office, office-local days from..to inclusive (at most 62 days). language (ISO 639-1) and needs narrow the counters and staff counted.',
  })
  async availableSlots(
    @Args('officeId', { type: () => ID }) officeId: string,
    @Args('serviceId', { type: () => ID }) serviceId: string,
    @Args('from', { type: () => LocalDate }) from: string,
    @Args('to', { type: () => LocalDate }) to: string,
    @Args('language', { type: () => String, nullable: true }) language?: string,
    @Args('needs', { type: () => [VisitNeed], nullable: true }) needs?: VisitNeed[],
  ): Promise<SlotModel[]> {
    const { office, input } = await this.availability.context({
      officeId,
      serviceId,
      from,
      to,
      language,
      needs,
    });
    if (!input) return [];
    return availableSlots(input).map((slot) => ({
      start: isoInZone(slot.start, office.timeZone),
      end: isoInZone(slot.end, office.timeZone),
      capacity: slot.capacity,
    }));
  }
}
