import chineseDays from 'chinese-days';
import { chineseDaysYears, mainlandCalendar } from '../../config/src/calendar-source';
import { buildWorkingCalendar, businessDaysBefore, businessDaysLeft, businessDeadline, isCovered } from './calendar';
import { chinaDate } from './dates';

/** Noon China time on a date: the instant a case moves on that day. */
const at = (date: string) => `${date}T04:00:00.000Z`;
const dueDate = (from: string, days: number, calendar = mainlandCalendar(undefined, 2025)) => {
  const { due, estimated } = businessDeadline(at(from), days, calendar);
  return { date: chinaDate(due), estimated };
};

describe('the mainland working calendar (chinese-days + config/rules.json)', () => {
  it('knows the years the package publishes, and no later ones', () => {
    const calendar = mainlandCalendar(undefined, 2025);
    expect(calendar.years).toContain(2025);
    expect(calendar.years).toContain(2026);
    expect(isCovered('2026-12-31', calendar)).toBe(true);
    expect(isCovered('2027-01-01', calendar)).toBe(false);
    expect(calendar.holidays.every((d) => d >= '2025')).toBe(true);
  });

  it('skips the Spring Festival and counts its make-up Saturdays (2026)', () => {
    expect(dueDate('2026-02-13', 1)).toEqual({ date: '2026-02-14', estimated: false }); // Saturday worked
    expect(dueDate('2026-02-14', 1)).toEqual({ date: '2026-02-24', estimated: false }); // 15th–23rd off
    expect(dueDate('2026-02-26', 2)).toEqual({ date: '2026-02-28', estimated: false }); // Fri 27th, Sat 28th worked
  });

  it('skips National Day and counts its make-up days (2026)', () => {
    expect(dueDate('2026-09-19', 1)).toEqual({ date: '2026-09-20', estimated: false }); // Sunday worked
    expect(dueDate('2026-09-30', 1)).toEqual({ date: '2026-10-08', estimated: false }); // 1st–7th off
    expect(dueDate('2026-10-09', 1)).toEqual({ date: '2026-10-10', estimated: false }); // Saturday worked
    // A province's 20-day MIIT review across the holiday.
    expect(dueDate('2026-09-21', 20)).toEqual({ date: '2026-10-26', estimated: false }); // Mid-Autumn 25th–27th, 1st–7th off, Sat 10th worked
  });

  it('past the data, counts Monday to Friday and says the deadline is estimated', () => {
    // chinese-days 1.5.7 has no 2027: it calls New Year's Day a working day.
    expect(chineseDays.isWorkday('2027-01-01')).toBe(true);
    expect(dueDate('2026-12-31', 1)).toEqual({ date: '2027-01-01', estimated: true });
    expect(dueDate('2028-03-02', 2)).toEqual({ date: '2028-03-06', estimated: true }); // over a weekend
    expect(dueDate('2026-12-29', 1)).toEqual({ date: '2026-12-30', estimated: false });
  });

  it('a year from config/rules.json wins over the package, whole', () => {
    const calendar = mainlandCalendar({ years: { '2027': { holidays: ['2027-01-01'], workdays: [] } } }, 2025);
    expect(dueDate('2026-12-31', 1, calendar)).toEqual({ date: '2027-01-04', estimated: false });
    // Replacing a year the package knows replaces all of it: here National Day becomes ordinary days.
    const replaced = mainlandCalendar({ years: { '2026': { holidays: [], workdays: [] } } }, 2025);
    expect(dueDate('2026-09-30', 1, replaced)).toEqual({ date: '2026-10-01', estimated: false });
    expect(replaced.holidays).not.toContain('2026-02-16');
    expect(replaced.holidays).toContain('2025-10-01');
  });

  it('a snapshot taken before the calendar knew its years counts every year as covered (old histories replay the same)', () => {
    const legacy = { holidays: ['2027-01-01'], workdays: [] };
    expect(businessDeadline(at('2026-12-31'), 1, legacy)).toEqual({ due: '2027-01-04T15:59:59.000Z', estimated: false });
  });

  it('merges sources in order and keeps years from the one asked for', () => {
    const calendar = buildWorkingCalendar([chineseDaysYears(), { '2030': { holidays: ['2030-01-01'], workdays: [] } }], 2026);
    expect(calendar.years).toEqual([2026, 2030]);
    expect(calendar.holidays[0] >= '2026-01-01').toBe(true);
  });

  it('a reminder lead counts business days back from the deadline (start of that day, China time)', () => {
    const calendar = mainlandCalendar(undefined, 2025);
    const { due } = businessDeadline(at('2026-09-30'), 1, calendar); // 2026-10-08
    expect(businessDaysBefore(due, 1, calendar)).toBe('2026-09-29T16:00:00.000Z'); // 2026-09-30, the last working day before
  });

  it('counts the business days left to a deadline, negative once it has passed', () => {
    const calendar = mainlandCalendar(undefined, 2025);
    const endOf = (date: string) => `${date}T15:59:59.000Z`; // 23:59:59 China time
    expect(businessDaysLeft(at('2026-11-30'), endOf('2026-11-30'), calendar)).toBe(0); // due today
    expect(businessDaysLeft(at('2026-11-27'), endOf('2026-11-30'), calendar)).toBe(1); // Friday → Monday
    expect(businessDaysLeft(at('2026-09-30'), endOf('2026-10-09'), calendar)).toBe(2); // National Day off, Sat 10th not yet
    expect(businessDaysLeft(at('2026-12-02'), endOf('2026-11-30'), calendar)).toBe(-2);
    // 16:30 UTC on the 30th is already 1 December in China: the deadline passed yesterday.
    expect(businessDaysLeft('2026-11-30T16:30:00.000Z', endOf('2026-11-30'), calendar)).toBe(-1);
  });
});
