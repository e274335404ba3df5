import { calendarFile, escapeText, foldLine, utcStamp } from '../src/lib/booking/ics';

describe('the .ics writer (RFC 5545)', () => {
  it('escapes backslash, semicolon, comma and newlines in text', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('folds lines longer than 75 octets with CRLF and a space, never inside a character', () => {
    const line = `SUMMARY:${'å'.repeat(100)}`;
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(new TextEncoder().encode(part).length).toBeLessThanOrEqual(75);
    for (const part of parts.slice(1)) expect(part.startsWith(' ')).toBe(true);
    expect(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line);
    expect(foldLine('SHORT:x')).toBe('SHORT:x');
  });

  it('writes the event in UTC (Z), the same instant as the office-local time on the page', () => {
    expect(utcStamp('2027-03-29T09:00:00+02:00')).toBe('20270329T070000Z');
    const text = calendarFile({
      uid: 'ABC123@samservice',
      start: '2027-03-29T09:00:00+02:00',
      end: '2027-03-29T09:30:00+02:00',
      summary: 'Id-kort – Servicekontor Örebro',
      location: 'Drottninggatan 1, 702 10 Örebro',
      description: 'Bokningsnummer: ABC123\nTa med pass',
      stamp: new Date('2027-03-01T07:00:00Z'),
    });
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n')).toEqual(
      expect.arrayContaining([
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'BEGIN:VEVENT',
        'UID:ABC123@samservice',
        'DTSTAMP:20270301T070000Z',
        'DTSTART:20270329T070000Z',
        'DTEND:20270329T073000Z',
        'LOCATION:Drottninggatan 1\\, 702 10 Örebro',
        'DESCRIPTION:Bokningsnummer: ABC123\\nTa med pass',
        'END:VEVENT',
        'END:VCALENDAR',
      ]),
    );
    // No bare LF anywhere: every line ends with CRLF.
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });
});
