import type { IsoDate, IsoInstant } from './types';

const DAY_MS = 86_400_000;
/** Mainland China is UTC+8 all year (no daylight saving). */
const CHINA_OFFSET_MS = 8 * 3_600_000;

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The calendar date in mainland China at an instant. */
export function chinaDate(instant: IsoInstant): IsoDate {
  return new Date(Date.parse(instant) + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Adds calendar months, clamping to the month's last day (2026-01-31 + 1 month = 2026-02-28). */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, lastDay));
  return first.toISOString().slice(0, 10);
}

export function addDurationMs(instant: IsoInstant, ms: number): IsoInstant {
  return new Date(Date.parse(instant) + ms).toISOString();
}

export interface WorkingCalendar {
  holidays: string[];
  workdays: string[];
  /** The years the data covers (see calendar.ts); absent in snapshots taken before it was known. */
  years?: number[];
}

/** A mainland working day: a make-up working weekend day, or a weekday that is not a public holiday. */
export function isBusinessDay(date: IsoDate, calendar: WorkingCalendar): boolean {
  if (calendar.workdays.includes(date)) return true;
  if (calendar.holidays.includes(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * The instant `days` mainland business days after `from`: the end (23:59:59 China time) of the
 * `days`-th working day after the day of `from`.
 */
export function addBusinessDays(from: IsoInstant, days: number, calendar: WorkingCalendar): IsoInstant {
  let date = chinaDate(from);
  let left = days;
  while (left > 0) {
    date = addDays(date, 1);
    if (isBusinessDay(date, calendar)) left -= 1;
  }
  return new Date(Date.parse(`${date}T23:59:59.000Z`) - CHINA_OFFSET_MS).toISOString();
}

/** Parses `24h`, `90m`, `30s`, `1500ms`, `2d` or a bare number of milliseconds. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!match) throw new Error(`'${text}' is not a duration (use e.g. 24h, 90m, 30s, 1500ms)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS }[(match[2] ?? 'ms') as 'ms'];
  const ms = Math.round(Number(match[1]) * unit);
  if (ms <= 0) throw new Error(`'${text}' must be longer than zero`);
  return ms;
}
