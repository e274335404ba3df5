import { DomainError } from '@samservice/platform/errors';
import { agencyLimitReached, parseAgencyLimitDetail } from './booking-limits';

describe('the agency limit refusal', () => {
  it('reads the DETAIL the booking functions write', () => {
    expect(
      parseAgencyLimitDetail('{"count": 2, "limit": 2, "agencyName": "Skatteverket"}'),
    ).toEqual({ count: 2, limit: 2, agencyName: 'Skatteverket' });
    expect(
      parseAgencyLimitDetail(
        '{"part": 1, "count": 0, "limit": 1, "agencyName": "Skatteverket", "partsOfAgency": 2}',
      ),
    ).toEqual({ part: 1, count: 0, limit: 1, agencyName: 'Skatteverket', partsOfAgency: 2 });
  });

  it('is not fooled by another DETAIL (the service limit writes a bare count)', () => {
    for (const detail of [
      undefined,
      '',
      '2',
      '0:2',
      'null',
      '{"count": "2", "limit": 2, "agencyName": "X"}',
      '{"count": 2, "limit": 2.5, "agencyName": "X"}',
      '{"count": 2, "limit": 2}',
      '{"count": 2, "limit": 2, "agencyName": "X", "part": "1"}',
      '{"count": 2, "limit": 2, "agencyName": "X", "partsOfAgency": null}',
    ])
      expect(parseAgencyLimitDetail(detail)).toBeUndefined();
  });

  it('names the agency, its limit and the way out, with scope AGENCY', () => {
    const error = agencyLimitReached({ count: 1, limit: 1, agencyName: 'Skatteverket' });
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe('LIMIT_REACHED');
    expect(error.message).toBe(
      'Skatteverket allows one active booking per person at a time, across all its services, and you already have 1 active booking with Skatteverket. Cancel one of them and you can book this.',
    );
    expect(error.extensions).toEqual({ scope: 'AGENCY', agency: 'Skatteverket', limit: 1 });
  });

  it('a joint visit: names the part that does not fit, and that nothing was booked', () => {
    const error = agencyLimitReached(
      { count: 2, limit: 3, agencyName: 'Försäkringskassan', part: 0, partsOfAgency: 2 },
      { part: 1, serviceName: 'Bostadsbidrag' },
    );
    expect(error.message).toBe(
      'Försäkringskassan allows 3 active bookings per person at a time, across all its services: you already have 2 active bookings with Försäkringskassan, and this visit has 2 parts with Försäkringskassan, so part 2 ("Bostadsbidrag") is one too many. Cancel one of your bookings with Försäkringskassan, or leave one of its services out of the visit, and you can book it; nothing was booked.',
    );
    expect(error.extensions).toEqual({
      scope: 'AGENCY',
      agency: 'Försäkringskassan',
      limit: 3,
      part: 1,
    });
  });

  it('a joint visit with more parts of one agency than it allows, and nothing booked before', () => {
    const error = agencyLimitReached(
      { count: 0, limit: 1, agencyName: 'Skatteverket', part: 1, partsOfAgency: 2 },
      { part: 1, serviceName: 'Id-kort' },
    );
    expect(error.message).toBe(
      'Skatteverket allows one active booking per person at a time, across all its services: this visit has 2 parts with Skatteverket, so part 2 ("Id-kort") is one too many. Leave one of its services out of the visit and you can book it; nothing was booked.',
    );
  });
});
