import { addDays, chinaDate, type WorkingCalendar } from './dates';
import type { IsoDate, IsoInstant } from './types';

/**
 * The mainland working calendar, as data the rules can carry in a case's configuration snapshot.
 *
 * Sources (the `chinese-days` package, read by libs/config at boot, and whole years from
 * config/rules.json) are merged here into one flat calendar that knows which years it covers.
 * Deterministic and I/O-free: the workflow bundle imports this file, never the package itself.
 */

/** One year of the State Council's schedule: public holidays and make-up working weekend days. */
export interface CalendarYear {
  holidays: IsoDate[];
  workdays: IsoDate[];
}

/** Years by their number (`"2027"`), each complete: a year here replaces that year of earlier sources. */
export type CalendarYears = Record<string, CalendarYear>;

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** Groups dated entries (`{'2026-10-01': …}`, as chinese-days publishes them) by year. */
export function calendarYearsFrom(data: { holidays: Record<string, unknown>; workdays: Record<string, unknown> }): CalendarYears {
  const years: CalendarYears = {};
  const year = (date: string): CalendarYear => (years[date.slice(0, 4)] ??= { holidays: [], workdays: [] });
  for (const date of Object.keys(data.holidays)) year(date).holidays.push(date);
  for (const date of Object.keys(data.workdays)) year(date).workdays.push(date);
  return years;
}

/**
 * Merges sources, later ones replacing whole years of earlier ones, keeping the years from
 * `fromYear` on (a case's snapshot needs no past years: its deadlines only ever lie ahead).
 */
export function buildWorkingCalendar(sources: CalendarYears[], fromYear = 0): WorkingCalendar {
  const merged: CalendarYears = {};
  for (const source of sources) Object.assign(merged, source);
  const years = Object.keys(merged)
    .map(Number)
    .filter((y) => y >= fromYear)
    .sort((a, b) => a - b);
  return {
    holidays: years.flatMap((y) => [...merged[String(y)].holidays].sort()),
    workdays: years.flatMap((y) => [...merged[String(y)].workdays].sort()),
    years,
  };
}

/** Whether the calendar has data for the year of `date`. A snapshot without `years` predates this: all years count. */
export function isCovered(date: IsoDate, calendar: WorkingCalendar): boolean {
  return !calendar.years || calendar.years.includes(Number(date.slice(0, 4)));
}

/** A mainland working day: a make-up working weekend day, or a weekday that is not a public holiday. */
function isWorkingDay(date: IsoDate, holidays: ReadonlySet<string>, workdays: ReadonlySet<string>): boolean {
  if (workdays.has(date)) return true;
  if (holidays.has(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

export interface BusinessDeadline {
  /** The end (23:59:59 China time) of the `days`-th working day after the day of `from`. */
  due: IsoInstant;
  /** Some day counted lies in a year the calendar has no data for: counted Monday to Friday. */
  estimated: boolean;
}

/** `days` mainland business days after `from`, and whether the count left the calendar's data. */
export function businessDeadline(from: IsoInstant, days: number, calendar: WorkingCalendar): BusinessDeadline {
  const holidays = new Set(calendar.holidays);
  const workdays = new Set(calendar.workdays);
  let date = chinaDate(from);
  let left = days;
  let estimated = false;
  while (left > 0) {
    date = addDays(date, 1);
    if (!isCovered(date, calendar)) estimated = true;
    if (isWorkingDay(date, holidays, workdays)) left -= 1;
  }
  return { due: new Date(Date.parse(`${date}T23:59:59.000Z`) - CHINA_OFFSET_MS).toISOString(), estimated };
}

/**
 * The instant `days` business days before `due` (a reminder's lead): the start (00:00 China
 * time) of the `days`-th working day before the day of `due`.
 */
export function businessDaysBefore(due: IsoInstant, days: number, calendar: WorkingCalendar): IsoInstant {
  const holidays = new Set(calendar.holidays);
  const workdays = new Set(calendar.workdays);
  let date = chinaDate(due);
  let left = days;
  while (left > 0) {
    date = addDays(date, -1);
    if (isWorkingDay(date, holidays, workdays)) left -= 1;
  }
  return new Date(Date.parse(`${date}T00:00:00.000Z`) - CHINA_OFFSET_MS).toISOString();
}

/**
 * Mainland business days from the day of `now` to the day of `due` (both China time): the working
 * days after today up to and including the due day; 0 when due today, negative when overdue (the
 * working days since the due day, up to and including today). Answers an officer's "how many
 * business days are left", which no calendar package counts against a merged State Council schedule.
 */
export function businessDaysLeft(now: IsoInstant, due: IsoInstant, calendar: WorkingCalendar): number {
  const holidays = new Set(calendar.holidays);
  const workdays = new Set(calendar.workdays);
  const today = chinaDate(now);
  const dueDay = chinaDate(due);
  const [from, to, sign] = today <= dueDay ? [today, dueDay, 1] : [dueDay, today, -1];
  let count = 0;
  for (let date = addDays(from, 1); date <= to; date = addDays(date, 1)) {
    if (isWorkingDay(date, holidays, workdays)) count += 1;
  }
  return sign * count;
}
