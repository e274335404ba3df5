import type { DataSource } from 'typeorm';
import { QueryFailedError } from 'typeorm';
import { DomainError } from '@samservice/platform/errors';
import type { OfficeEntity } from './office.entity';
import { OfficesService } from './offices.service';

/**
 * No input the service layer lets through breaks an office constraint today, so the database
 * is made to refuse the row: what matters is that its refusal reaches the caller as bad input
 * naming the field, like every other directory change, not as an internal error.
 */
function refusingDatabase(constraint: string): DataSource {
  const violation = new QueryFailedError('INSERT INTO "directory"."office" …', [], {
    code: '23514',
    constraint,
  } as unknown as Error);
  const office = { id: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f', name: 'Servicekontor' };
  const repository = {
    findOneBy: async () => ({ ...office }) as OfficeEntity,
    create: (values: Partial<OfficeEntity>) => ({ ...values }) as OfficeEntity,
    save: async () => {
      throw violation;
    },
  };
  return {
    getRepository: () => repository,
    transaction: (work: (manager: unknown) => Promise<unknown>) => work(repository),
  } as unknown as DataSource;
}

async function refusal(change: Promise<unknown>): Promise<DomainError> {
  const error = await change.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('OfficesService: what the database refuses', () => {
  const input = {
    name: 'Servicekontor Nora',
    streetAddress: 'Prästgatan 1',
    postalCode: '713 80',
    municipality: 'Nora',
    timeZone: 'Europe/Stockholm',
    latitude: 59.52,
    longitude: 15.04,
  };

  it('a new office: BAD_USER_INPUT naming the field', async () => {
    const offices = new OfficesService(refusingDatabase('ck_office_coordinates'));
    const error = await refusal(offices.create(input));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.extensions).toEqual({ field: 'latitude' });
    expect(error.message).toMatch(/^latitude: /);
  });

  it('a changed office: BAD_USER_INPUT naming the field', async () => {
    const offices = new OfficesService(refusingDatabase('ck_office_eve_closing'));
    const error = await refusal(
      offices.update('6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f', { eveClosingTime: '12:00' }),
    );
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.extensions).toEqual({ field: 'eveClosingTime' });
    expect(error.message).toMatch(/^eveClosingTime: /);
  });
});
