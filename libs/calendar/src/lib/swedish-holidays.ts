import {
  assertSupportedYear,
  formatDayNumber,
  fromDayNumber,
  isoWeekday,
  parseIsoDateOrThrow,
  toDayNumber,
} from './civil-date';

export type SpecialDayKind = 'PUBLIC_HOLIDAY' | 'DE_FACTO_HOLIDAY' | 'SHORT_EVE';

export interface SpecialDay {
  /** YYYY-MM-DD */
  date: string;
  kind: SpecialDayKind;
  nameSv: string;
  nameEn: string;
}

interface Occurrence {
  dayNumber: number;
  kind: SpecialDayKind;
  nameSv: string;
  nameEn: string;
}

interface YearTable {
  sorted: readonly SpecialDay[];
  byDate: ReadonlyMap<string, SpecialDay>;
}

const STRENGTH: Record<SpecialDayKind, number> = {
  PUBLIC_HOLIDAY: 3,
  DE_FACTO_HOLIDAY: 2,
  SHORT_EVE: 1,
};

const SATURDAY = 6;

// Holidays are asked for day by day over whole ranges; one table per year keeps that cheap.
// Bounded by the supported years, so it never needs evicting.
const tablesByYear = new Map<number, YearTable>();

/** Gregorian Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher) as YYYY-MM-DD. */
export function easterSunday(year: number): string {
  assertSupportedYear(year);
  return formatDayNumber(easterDayNumber(year));
}

/** Sweden's holidays, de-facto closed days and short eves of a year: sorted, one per date. */
export function swedishSpecialDays(year: number): SpecialDay[] {
  assertSupportedYear(year);
  return [...tableOf(year).sorted];
}

/** The special day on a YYYY-MM-DD date, if any. Throws on a malformed or nonexistent date. */
export function specialDayOn(date: string): SpecialDay | undefined {
  const dayNumber = parseIsoDateOrThrow(date, 'date');
  const { year } = fromDayNumber(dayNumber);
  assertSupportedYear(year);
  return tableOf(year).byDate.get(date);
}

function tableOf(year: number): YearTable {
  let table = tablesByYear.get(year);
  if (!table) {
    table = buildTable(year);
    tablesByYear.set(year, table);
  }
  return table;
}

function buildTable(year: number): YearTable {
  const strongestByDay = new Map<number, Occurrence>();
  for (const occurrence of occurrencesIn(year)) {
    const current = strongestByDay.get(occurrence.dayNumber);
    if (!current || STRENGTH[occurrence.kind] > STRENGTH[current.kind]) {
      strongestByDay.set(occurrence.dayNumber, occurrence);
    } else if (STRENGTH[occurrence.kind] === STRENGTH[current.kind]) {
      strongestByDay.set(occurrence.dayNumber, {
        ...current,
        nameSv: `${current.nameSv} / ${occurrence.nameSv}`,
        nameEn: `${current.nameEn} / ${occurrence.nameEn}`,
      });
    }
  }
  // Frozen because every caller shares these objects through the cache.
  const sorted = [...strongestByDay.values()]
    .sort((a, b) => a.dayNumber - b.dayNumber)
    .map(({ dayNumber, kind, nameSv, nameEn }) =>
      Object.freeze({ date: formatDayNumber(dayNumber), kind, nameSv, nameEn }),
    );
  return {
    sorted: Object.freeze(sorted),
    byDate: new Map(sorted.map((specialDay) => [specialDay.date, specialDay])),
  };
}

// Listed in the order of the law's enumeration, which is also the order names are joined in
// when two rules of equal strength share a date (e.g. 'Första maj / Kristi himmelsfärdsdag').
function occurrencesIn(year: number): Occurrence[] {
  const easter = easterDayNumber(year);
  const on = (month: number, day: number) => toDayNumber({ year, month, day });
  const midsummerDay = firstSaturdayFrom(on(6, 20));
  const allSaintsDay = firstSaturdayFrom(on(10, 31));
  const publicHoliday = (dayNumber: number, nameSv: string, nameEn: string): Occurrence => ({
    dayNumber,
    kind: 'PUBLIC_HOLIDAY',
    nameSv,
    nameEn,
  });
  const deFactoHoliday = (dayNumber: number, nameSv: string, nameEn: string): Occurrence => ({
    dayNumber,
    kind: 'DE_FACTO_HOLIDAY',
    nameSv,
    nameEn,
  });
  const shortEve = (dayNumber: number, nameSv: string, nameEn: string): Occurrence => ({
    dayNumber,
    kind: 'SHORT_EVE',
    nameSv,
    nameEn,
  });
  return [
    publicHoliday(on(1, 1), 'Nyårsdagen', "New Year's Day"),
    publicHoliday(on(1, 6), 'Trettondedag jul', 'Epiphany'),
    publicHoliday(easter - 2, 'Långfredagen', 'Good Friday'),
    publicHoliday(easter, 'Påskdagen', 'Easter Sunday'),
    publicHoliday(easter + 1, 'Annandag påsk', 'Easter Monday'),
    publicHoliday(on(5, 1), 'Första maj', 'May Day'),
    publicHoliday(easter + 39, 'Kristi himmelsfärdsdag', 'Ascension Day'),
    publicHoliday(easter + 49, 'Pingstdagen', 'Whit Sunday'),
    publicHoliday(on(6, 6), 'Sveriges nationaldag', 'National Day of Sweden'),
    publicHoliday(midsummerDay, 'Midsommardagen', 'Midsummer Day'),
    publicHoliday(allSaintsDay, 'Alla helgons dag', "All Saints' Day"),
    publicHoliday(on(12, 25), 'Juldagen', 'Christmas Day'),
    publicHoliday(on(12, 26), 'Annandag jul', 'Boxing Day'),
    deFactoHoliday(midsummerDay - 1, 'Midsommarafton', 'Midsummer Eve'),
    deFactoHoliday(on(12, 24), 'Julafton', 'Christmas Eve'),
    deFactoHoliday(on(12, 31), 'Nyårsafton', "New Year's Eve"),
    shortEve(on(1, 5), 'Trettondagsafton', 'Twelfth Night'),
    shortEve(easter - 3, 'Skärtorsdagen', 'Maundy Thursday'),
    shortEve(on(4, 30), 'Valborgsmässoafton', 'Walpurgis Night'),
    shortEve(easter + 38, 'Dag före Kristi himmelsfärdsdag', 'Day before Ascension Day'),
    shortEve(allSaintsDay - 1, 'Allhelgonaafton', "All Saints' Eve"),
  ];
}

function firstSaturdayFrom(dayNumber: number): number {
  return dayNumber + ((SATURDAY - isoWeekday(dayNumber) + 7) % 7);
}

function easterDayNumber(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return toDayNumber({ year, month, day });
}
