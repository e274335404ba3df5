import type { DataSource } from 'typeorm';
import { QueryFailedError } from 'typeorm';
import { DomainError } from '@samservice/platform/errors';
import { AgenciesService } from './agencies.service';
import type { AgencyEntity } from './agency.entity';

describe('AgenciesService: what the database refuses', () => {
  // No change of name or level the service lets through breaks a constraint today; the
  // database is made to refuse the row, as it would a change the service layer missed.
  it('a changed agency: BAD_USER_INPUT naming the field', async () => {
    const violation = new QueryFailedError('UPDATE "directory"."agency" …', [], {
      code: '23505',
      constraint: 'uq_agency_code',
    } as unknown as Error);
    const repository = {
      findOneBy: async () =>
        ({ id: '0e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a', code: 'FK', name: 'FK' }) as AgencyEntity,
      save: async () => {
        throw violation;
      },
    };
    const agencies = new AgenciesService({
      getRepository: () => repository,
    } as unknown as DataSource);
    const error = await agencies
      .update('0e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a', { name: 'Försäkringskassan' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('BAD_USER_INPUT');
    expect((error as DomainError).extensions).toEqual({ field: 'code' });
  });

  it("an agency's limit the database refuses: BAD_USER_INPUT naming maxActiveBookingsPerCitizen", async () => {
    const violation = new QueryFailedError('UPDATE "directory"."agency" …', [], {
      code: '23514',
      constraint: 'ck_agency_max_active_bookings',
    } as unknown as Error);
    let saved: AgencyEntity | undefined;
    const repository = {
      findOneBy: async () =>
        ({
          id: '0e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a',
          code: 'FK',
          name: 'FK',
          maxActiveBookings: 3,
        }) as AgencyEntity,
      save: async (row: AgencyEntity) => {
        saved = row;
        throw violation;
      },
    };
    const agencies = new AgenciesService({
      getRepository: () => repository,
    } as unknown as DataSource);
    const error = await agencies
      .update('0e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a', { maxActiveBookingsPerCitizen: 60 })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(saved?.maxActiveBookings).toBe(60);
    expect((error as DomainError).code).toBe('BAD_USER_INPUT');
    expect((error as DomainError).extensions).toEqual({ field: 'maxActiveBookingsPerCitizen' });
    expect((error as DomainError).message).toMatch(/^maxActiveBookingsPerCitizen: .*1 to 50/);
  });
});
