import { formatLogScan, scanLogText } from './log-scan';

const line = (service: string, msg: string) =>
  JSON.stringify({ level: 30, service, requestId: '19121212-1212-4212-8212-121212121212', msg });

describe('the scan of captured log lines', () => {
  it('finds a valid identity number in any line, with the line number and the service', () => {
    const text = [
      line('gateway', 'request completed'),
      line('scheduling', 'booked for 19121212-1212'),
      'a line that is not JSON 811228-9874',
      line('directory', 'ok'),
      '',
    ].join('\n');
    const scan = scanLogText('booking.log', text);
    expect(scan.lines).toBe(4);
    expect(scan.leaks).toEqual([
      { file: 'booking.log', line: 2, service: 'scheduling', masked: '19121212-****' },
      { file: 'booking.log', line: 3, service: '?', masked: '811228-****' },
    ]);
  });

  it('passes masked numbers, UUIDs, invalid numbers and numbers inside longer runs', () => {
    const text = [
      line('gateway', 'pnr [redacted-id] and 19121212-**** and 19121212-1213'),
      line('gateway', 'id x191212121212 or 1912121212120'),
    ].join('\n');
    expect(scanLogText('a.log', text).leaks).toEqual([]);
  });

  it('reports masked numbers only, with where to find them', () => {
    const { leaks } = scanLogText('a.log', line('test', 'x 191212121212'));
    const report = formatLogScan({ files: 2, lines: 10, bytes: 2048, leaks }, '/tmp/logs');
    expect(report).toContain('/tmp/logs/a.log:1 (test): 19121212-****');
    expect(report).not.toContain('191212121212');
    expect(formatLogScan({ files: 1, lines: 3, bytes: 10, leaks: [] }, '/tmp/logs')).toMatch(
      /^Log scan: 1 file\(s\), 3 line\(s\) .*: no identity number\.$/,
    );
  });
});
