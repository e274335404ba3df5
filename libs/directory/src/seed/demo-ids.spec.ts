import { DEMO_NAMESPACE, URL_NAMESPACE, demoId, uuidV5 } from './demo-ids';

describe('name-based UUIDs (version 5)', () => {
  it('match the RFC 4122 example and other implementations', () => {
    const DNS_NAMESPACE = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
    expect(uuidV5('www.example.com', DNS_NAMESPACE)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    // Python's uuid.uuid5(uuid.NAMESPACE_URL, …): UTF-8 names.
    expect(uuidV5('Servicekontor Örebro centrum/Disk 1', URL_NAMESPACE)).toBe(
      '62365b31-8725-550a-958a-3e113aa286e8',
    );
  });

  it('derive the demo namespace and ids, which must never change', () => {
    expect(uuidV5('https://samservice.example/demo-network', URL_NAMESPACE)).toBe(DEMO_NAMESPACE);
    expect(demoId('agency', 'FK')).toBe(uuidV5('agency/FK', DEMO_NAMESPACE));
    expect(demoId('agency', 'FK')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(demoId('agency', 'SKV')).not.toBe(demoId('agency', 'FK'));
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidV5('x', 'not-a-uuid')).toThrow(/not a UUID/);
  });
});
