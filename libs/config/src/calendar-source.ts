import chineseDays from 'chinese-days/dist/chinese-days.json';
import { buildWorkingCalendar, calendarYearsFrom, isIsoDate, type CalendarYears, type WorkingCalendar } from '../../domain/src';

/** The years of the State Council's schedule the chinese-days package publishes (holidays and make-up days). */
export function chineseDaysYears(): CalendarYears {
  return calendarYearsFrom(chineseDays);
}

/**
 * The `calendar` block of config/rules.json: `years` adds or replaces whole years of the package.
 * Answers the problems found (empty when valid).
 */
export function checkCalendarOverrides(block: unknown): string[] {
  const problems: string[] = [];
  const years = (block as { years?: unknown } | undefined)?.years;
  if (years === undefined) return problems;
  if (typeof years !== 'object' || years === null || Array.isArray(years)) return ['calendar.years must be an object of years'];
  for (const [year, value] of Object.entries(years)) {
    const y = value as Partial<CalendarYears[string]>;
    if (!/^\d{4}$/.test(year)) problems.push(`calendar.years.${year}: the key must be a year`);
    for (const key of ['holidays', 'workdays'] as const) {
      const dates = y?.[key];
      if (!Array.isArray(dates)) problems.push(`calendar.years.${year}.${key} must be a list`);
      else for (const d of dates) {
        if (typeof d !== 'string' || !isIsoDate(d) || !d.startsWith(year)) problems.push(`calendar.years.${year}.${key}: ${String(d)} is not a date of ${year}`);
      }
    }
  }
  return problems;
}

/** The package's years overridden by the configuration's, from `fromYear` on (a case's snapshot). */
export function mainlandCalendar(block: { years?: CalendarYears } | undefined, fromYear: number): WorkingCalendar {
  return buildWorkingCalendar([chineseDaysYears(), block?.years ?? {}], fromYear);
}
