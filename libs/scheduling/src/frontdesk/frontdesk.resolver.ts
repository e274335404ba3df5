import { Args, ID, Int, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { isoInZone } from '@samservice/calendar';
import { CurrentPrincipal, type Principal } from '@samservice/platform/auth';
import { DomainError } from '@samservice/platform/errors';
import { IsoDateTime, parseIsoInstant } from '@samservice/platform/http';
import { VisitNeed } from '../availability/needs';
import { AuditTrail } from '../audit/audit-trail';
import { SignedInCitizen } from '../my-data/signed-in-citizen';

/** Open tickets one citizen can hold at once are few; this bounds the list. */
const MY_TICKETS_LIMIT = 20;
import { DeskFacts } from './desk-facts';
import { FrontDeskEvents } from './frontdesk-events';
import {
  LobbyCallModel,
  OfficeQueueLengthModel,
  ParkReason,
  QueueRuleModel,
  ServiceOutcome,
  SetQueueRuleInput,
  TakeTicketInput,
  TicketChannel,
  TicketModel,
  TicketReceiptModel,
  TicketStatus,
  TransferPlacement,
} from './frontdesk.model';
import { FrontDeskService, type Receipt } from './frontdesk.service';
import type { TicketRow } from './tickets.sql';

/** Most calls a lobby display is given at once. */
const LOBBY_CALLS_MAX = 50;
const LOBBY_CALLS_DEFAULT = 12;
const QUEUE_MAX = 500;
const QUEUE_DEFAULT = 100;

function bounded(value: number | undefined | null, fallback: number, max: number, field: string) {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw DomainError.badInput(`${field}: a whole number from 1 to ${max}.`, field);
  }
  return n;
}

/**
 * The front desk's operations (contract: "Front desk"): kiosk, staff at the counters, the
 * ticket holder and the lobby display.
 */
@Resolver(() => TicketModel)
export class FrontDeskResolver {
  constructor(
    private readonly frontDesk: FrontDeskService,
    private readonly facts: DeskFacts,
    private readonly events: FrontDeskEvents,
    private readonly audit: AuditTrail,
    private readonly citizenKey: SignedInCitizen,
  ) {}

  /**
   * A ticket as the API shows it; `forStaff` adds the transfer note. `forAgency`: an agency's
   * client is not told whether the citizen has other parts of a joint visit.
   */
  private async model(row: TicketRow, forStaff: boolean, forAgency = false): Promise<TicketModel> {
    const office = await this.facts.office(row.officeId);
    const zone = office.timeZone;
    const estimate = await this.frontDesk.estimateOf(row);
    const known = estimate && Number.isFinite(estimate.waitMinutes);
    const atCounter = row.status === 'CALLED' || row.status === 'IN_SERVICE';
    return {
      id: row.id,
      number: row.number,
      status: TicketStatus[row.status],
      service: { id: row.serviceId },
      arrivedAt: isoInZone(row.arrivedAt.getTime(), zone),
      appointmentReference: row.appointmentReference,
      counterName: atCounter ? row.counterName : null,
      estimatedWaitMinutes: known ? estimate.band.low : null,
      estimatedWait: known
        ? { lowMinutes: estimate.band.low, highMinutes: estimate.band.high }
        : null,
      position: estimate ? estimate.position : null,
      channel: TicketChannel[row.channel],
      language: row.language,
      needs: row.needs.filter((n): n is VisitNeed => n in VisitNeed) as VisitNeed[],
      calledAt: row.calledAt ? isoInZone(row.calledAt.getTime(), zone) : null,
      callCount: row.callCount,
      transferCount: row.transferCount,
      note: forStaff ? row.note : null,
      remainingParts: forAgency ? null : row.nextAppointmentIds.length,
    };
  }

  private async receipt(receipt: Receipt, forStaff: boolean): Promise<TicketReceiptModel> {
    return {
      ticket: await this.model(receipt.ticket, forStaff),
      token: receipt.token,
      passesClosingTime: receipt.passesClosingTime,
    };
  }

  @Mutation(() => TicketReceiptModel, {
    description:
      'A walk-in ticket: at the kiosk (anonymous), by staff for the citizen, or remotely (a virtual ticket).',
  })
  async takeTicket(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: TakeTicketInput,
  ): Promise<TicketReceiptModel> {
    const receipt = await this.frontDesk.takeTicket(input, principal);
    return this.receipt(receipt, principal.role === 'staff');
  }

  @Mutation(() => TicketReceiptModel, {
    description:
      'An appointment arrives: its reference at the kiosk, or staff for the citizen. Anyone but staff of the office gets one NOT_FOUND for every reference that does not check in here and now (unknown, another office, another day, cancelled, too early, already checked in).',
  })
  async checkIn(
    @CurrentPrincipal() principal: Principal,
    @Args('reference') reference: string,
    @Args('officeId', {
      type: () => ID,
      nullable: true,
      description:
        "The kiosk's office: a booking at another office answers like an unknown reference.",
    })
    officeId?: string,
  ): Promise<TicketReceiptModel> {
    if (reference.length > 40)
      throw DomainError.badInput('reference: at most 40 characters.', 'reference');
    return this.receipt(
      await this.frontDesk.checkIn(reference, principal, officeId),
      principal.role === 'staff',
    );
  }

  @Query(() => TicketModel, {
    nullable: true,
    description:
      "The holder's own ticket (status, number, estimated wait); null for an unknown token.",
  })
  async ticket(@Args('token') token: string): Promise<TicketModel | null> {
    const row = await this.frontDesk.byToken(token);
    return row ? this.model(row, false) : null;
  }

  @Query(() => [TicketModel], {
    description:
      "A citizen signed in with e-ID: their open tickets (taken with their identity number, or their appointment's check-in), newest first.",
  })
  async myTickets(@CurrentPrincipal() principal: Principal): Promise<TicketModel[]> {
    const key = this.citizenKey.of(principal);
    const rows = await this.frontDesk.openTicketsOf(key, MY_TICKETS_LIMIT);
    return Promise.all(rows.map((row) => this.model(row, false)));
  }

  @Mutation(() => TicketModel, {
    description: 'The holder leaves the queue (e.g. a virtual ticket no longer needed).',
  })
  async cancelTicket(@Args('token') token: string): Promise<TicketModel> {
    return this.model(await this.frontDesk.cancelByToken(token), false);
  }

  @Query(() => TicketModel, {
    description: 'One ticket of the office, for its staff (only services they are trained for).',
  })
  async queueTicket(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<TicketModel> {
    const row = await this.frontDesk.ticketForStaff(id, principal);
    await this.audit.record(principal, 'queueTicket', [
      { officeId: row.officeId, ticketId: row.id },
    ]);
    return this.model(row, true);
  }

  @Query(() => [TicketModel], {
    description:
      'The waiting queue of an office, for its staff: waiting then parked tickets in call order, only of services they are trained for (an admin sees all, an agency its own).',
  })
  async officeQueue(
    @CurrentPrincipal() principal: Principal,
    @Args('officeId', { type: () => ID }) officeId: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
  ): Promise<TicketModel[]> {
    const rows = await this.frontDesk.queue(
      officeId,
      principal,
      bounded(first, QUEUE_DEFAULT, QUEUE_MAX, 'first'),
    );
    await this.audit.record(
      principal,
      'officeQueue',
      rows.map((row) => ({ officeId: row.officeId, ticketId: row.id })),
    );
    const agency = principal.role === 'agency';
    return Promise.all(rows.map((row) => this.model(row, !agency, agency)));
  }

  @Query(() => OfficeQueueLengthModel, {
    description: 'Waiting tickets per service the caller serves at the office.',
  })
  async officeQueueLength(
    @CurrentPrincipal() principal: Principal,
    @Args('officeId', { type: () => ID }) officeId: string,
  ): Promise<OfficeQueueLengthModel> {
    return this.frontDesk.queueLengths(officeId, principal);
  }

  @Query(() => [LobbyCallModel], {
    description:
      'Recent calls at an office, newest first, for the lobby display (public; nothing personal).',
  })
  async lobbyCalls(
    @Args('officeId', { type: () => ID }) officeId: string,
    @Args('limit', { type: () => Int, nullable: true }) limit?: number,
  ): Promise<LobbyCallModel[]> {
    const office = await this.facts.office(officeId);
    const calls = await this.frontDesk.lobbyCalls(office.id, {
      limit: bounded(limit, LOBBY_CALLS_DEFAULT, LOBBY_CALLS_MAX, 'limit'),
    });
    return calls.map((c) => ({
      ticketNumber: c.ticketNumber,
      counterName: c.counterName,
      calledAt: isoInZone(c.calledAt.getTime(), office.timeZone),
      recall: c.recall,
    }));
  }

  @Subscription(() => LobbyCallModel, {
    description:
      "Every new call at the office as it happens, over graphql-ws at the gateway's /graphql. With `after` (the time of the last call a display showed), the calls it missed come first, oldest first.",
    resolve: (call: LobbyCallModel) => call,
  })
  async lobbyCallMade(
    @Args('officeId', { type: () => ID }) officeId: string,
    @Args('after', { type: () => IsoDateTime, nullable: true }) after?: string,
  ): Promise<AsyncIterableIterator<LobbyCallModel>> {
    const office = await this.facts.office(officeId);
    const since = after === undefined || after === null ? undefined : parseIsoInstant(after);
    if (since !== undefined && Number.isNaN(since)) {
      throw DomainError.badInput('after: an ISO-8601 date-time with offset.', 'after');
    }
    return this.lobbyStream(office.id, office.timeZone, since);
  }

  private async *lobbyStream(
    officeId: string,
    zone: string,
    since: number | undefined,
  ): AsyncIterableIterator<LobbyCallModel> {
    const controller = new AbortController();
    // Listening first, then reading what was missed: a call made in between comes twice at
    // most, and the second time is skipped by its event id.
    const live = this.events.notices(officeId, controller.signal);
    try {
      let lastId = 0;
      if (since !== undefined) {
        for (const call of await this.frontDesk.lobbyCalls(officeId, {
          limit: LOBBY_CALLS_MAX,
          after: since,
        })) {
          lastId = Math.max(lastId, call.id);
          yield {
            ticketNumber: call.ticketNumber,
            counterName: call.counterName,
            calledAt: isoInZone(call.calledAt.getTime(), zone),
            recall: call.recall,
          };
        }
      }
      for await (const [notice] of live) {
        if (notice.kind !== 'CALLED' && notice.kind !== 'RECALLED') continue;
        if (notice.eventId <= lastId || !notice.ticketNumber || !notice.counterName) continue;
        yield {
          ticketNumber: notice.ticketNumber,
          counterName: notice.counterName,
          calledAt: isoInZone(Date.parse(notice.at), zone),
          recall: notice.kind === 'RECALLED',
        };
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    } finally {
      controller.abort();
    }
  }

  @Subscription(() => OfficeQueueLengthModel, {
    description:
      "The office's queue lengths (services the caller serves) each time the queue changes: staff only.",
    resolve: (value: OfficeQueueLengthModel) => value,
  })
  async officeQueueChanged(
    @CurrentPrincipal() principal: Principal,
    @Args('officeId', { type: () => ID }) officeId: string,
  ): Promise<AsyncIterableIterator<OfficeQueueLengthModel>> {
    // Refused here, before anything is sent, when the caller may not see the queue.
    const first = await this.frontDesk.queueLengths(officeId, principal);
    return this.queueStream(first, principal);
  }

  private async *queueStream(
    first: OfficeQueueLengthModel,
    principal: Principal,
  ): AsyncIterableIterator<OfficeQueueLengthModel> {
    const controller = new AbortController();
    const live = this.events.notices(first.officeId, controller.signal);
    try {
      yield first;
      for await (const _notice of live) {
        void _notice;
        yield await this.frontDesk.queueLengths(first.officeId, principal);
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    } finally {
      controller.abort();
    }
  }

  @Mutation(() => TicketModel, {
    nullable: true,
    description:
      "Staff at a counter (the caller is the staff member whose subject is the token's sub): the next citizen this counter may serve now and the caller is competent for; null when nobody such is waiting. Two callers never get the same ticket.",
  })
  async callNext(
    @CurrentPrincipal() principal: Principal,
    @Args('counterId', { type: () => ID }) counterId: string,
    @Args('idempotencyKey', { type: () => String, nullable: true }) idempotencyKey?: string,
  ): Promise<TicketModel | null> {
    const row = await this.frontDesk.callNext(counterId, idempotencyKey, principal);
    return row ? this.model(row, true) : null;
  }

  @Mutation(() => TicketModel, {
    description:
      'Calls one waiting ticket to this counter, out of turn (e.g. a citizen back from parking).',
  })
  async callTicket(
    @CurrentPrincipal() principal: Principal,
    @Args('ticketId', { type: () => ID }) ticketId: string,
    @Args('counterId', { type: () => ID }) counterId: string,
  ): Promise<TicketModel> {
    return this.model(await this.frontDesk.callTicket(ticketId, counterId, principal), true);
  }

  @Mutation(() => TicketModel, {
    description:
      'Calls the same citizen again (shown again on the display); at most FRONTDESK_NO_SHOW_CALLS times.',
  })
  async recallTicket(
    @CurrentPrincipal() principal: Principal,
    @Args('ticketId', { type: () => ID }) ticketId: string,
  ): Promise<TicketModel> {
    return this.model(await this.frontDesk.recall(ticketId, principal), true);
  }

  @Mutation(() => TicketModel)
  async startService(
    @CurrentPrincipal() principal: Principal,
    @Args('ticketId', { type: () => ID }) ticketId: string,
  ): Promise<TicketModel> {
    return this.model(await this.frontDesk.startService(ticketId, principal), true);
  }

  @Mutation(() => TicketModel, {
    description:
      "Ends the service with its outcome and the services delivered (default: the ticket's own). A joint visit with parts left goes on to its next part.",
  })
  async endService(
    @CurrentPrincipal() principal: Principal,
    @Args('ticketId', { type: () => ID }) ticketId: string,
    @Args('outcome', { type: () => ServiceOutcome, nullable: true }) outcome?: ServiceOutcome,
    @Args('deliveredServiceIds', { type: () => [ID], nullable: true })
    deliveredServiceIds?: string[],
  ): Promise<TicketModel> {
    return this.model(
      await this.frontDesk.endService(
        ticketId,
        principal,
        outcome ?? ServiceOutcome.RESOLVED,
        deliveredServiceIds,
      ),
      true,
    );
  }

  @Mutation(() => TicketModel, {
    description:
      'Hands the citizen to another service (of any agency) at the same office, keeping arrivedAt and number.',
  })
  async transferTicket(
    @CurrentPrincipal() principal: Principal,
    @Args('ticketId', { type: () => ID }) ticketId: string,
    @Args('serviceId', { type: () => ID }) serviceId: string,
    @Args('note', { type: () => String, nullable: true }) note?: string,
    @Args('placement', { type: () => TransferPlacement, nullable: true })
    placement?: TransferPlacement,
    @Args('staffId', { type: () => ID, nullable: true }) staffId?: string,
    @Args('counterId', { type: () => ID, nullable: true }) counterId?: string,
  ): Promise<TicketModel> {
    return this.model(
      await this.frontDesk.transfer(ticketId, principal, {
        serviceId,
        note,
        placement,
        staffId,
        counterId,
      }),
      true,
    );
  }

  @Mutation(() => TicketModel, {
    description: 'The citizen did not come after FRONTDESK_NO_SHOW_CALLS calls (default 3).',
  })
  async markNoShow(
    @CurrentPrincipal() principal: Principal,
    @Args('ticketId', { type: () => ID }) ticketId: string,
  ): Promise<TicketModel> {
    return this.model(await this.frontDesk.markNoShow(ticketId, principal), true);
  }

  @Mutation(() => TicketModel, { description: 'Sets a ticket aside; it keeps its place.' })
  async parkTicket(
    @CurrentPrincipal() principal: Principal,
    @Args('ticketId', { type: () => ID }) ticketId: string,
    @Args('reason', { type: () => ParkReason, nullable: true }) reason?: ParkReason,
  ): Promise<TicketModel> {
    return this.model(
      await this.frontDesk.park(ticketId, principal, reason ?? ParkReason.BACK_LATER),
      true,
    );
  }

  @Mutation(() => TicketModel, { description: 'A parked ticket back in the queue, at its place.' })
  async unparkTicket(
    @CurrentPrincipal() principal: Principal,
    @Args('ticketId', { type: () => ID }) ticketId: string,
  ): Promise<TicketModel> {
    return this.model(await this.frontDesk.unpark(ticketId, principal), true);
  }

  @Mutation(() => QueueRuleModel, {
    description:
      "An office admin's rule for one service's queue: target wait and daily contingent.",
  })
  async setQueueRule(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: SetQueueRuleInput,
  ): Promise<QueueRuleModel> {
    const rule = await this.frontDesk.setQueueRule(input, principal);
    return { officeId: input.officeId, service: { id: input.serviceId }, ...rule };
  }
}
