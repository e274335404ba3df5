import { DeskFacts } from './desk-facts';
import { FrontDeskEvents } from './frontdesk-events';
import { FrontDeskResolver } from './frontdesk.resolver';
import { FrontDeskService } from './frontdesk.service';
import { QueueEstimates } from './queue-estimates';

/**
 * The providers of the front desk, a separate module of the scheduling subgraph (docs/frontdesk.md): its
 * own tables, statements and rules, sharing scheduling's clock, directory views and
 * appointments (check-in changes an appointment and makes its ticket in one transaction).
 */
export const FRONT_DESK_PROVIDERS = [
  DeskFacts,
  FrontDeskEvents,
  QueueEstimates,
  FrontDeskService,
  FrontDeskResolver,
];
