import { resolve } from 'node:path';
import { loadRuleConfig } from '../../config/src/app-config';
import {
  addBusinessDays,
  addDays,
  addDurationMs,
  addMonths,
  chinaDate,
  isBusinessDay,
  isIsoDate,
  parseDuration,
  type WorkingCalendar,
} from './dates';

const CALENDAR: WorkingCalendar = loadRuleConfig(resolve(__dirname, '../../../config/rules.json')).calendar;

describe('isIsoDate', () => {
  it.each([
    ['2026-11-28', true],
    ['2028-02-29', true],
    ['2026-02-29', false],
    ['2026-13-01', false],
    ['2026-04-31', false],
    ['2026-00-10', false],
    ['2026-1-01', false],
    ['26-01-01', false],
    ['2026/01/01', false],
    ['2026-11-28T00:00:00Z', false],
    ['', false],
  ])('%s → %s', (value, valid) => {
    expect(isIsoDate(value)).toBe(valid);
  });
});

describe('chinaDate (UTC+8)', () => {
  it.each([
    ['2026-11-28T04:00:00.000Z', '2026-11-28'],
    ['2026-11-27T15:59:59.999Z', '2026-11-27'],
    ['2026-11-27T16:00:00.000Z', '2026-11-28'],
    ['2026-12-31T16:00:00.000Z', '2027-01-01'],
    ['2026-12-31T15:59:59.000Z', '2026-12-31'],
    ['2028-02-28T16:00:00.000Z', '2028-02-29'],
    ['2026-11-28T00:30:00+08:00', '2026-11-28'],
  ])('%s is %s in China', (instant, date) => {
    expect(chinaDate(instant)).toBe(date);
  });
});

describe('addDays', () => {
  it.each([
    ['2026-11-28', 30, '2026-12-28'],
    ['2026-11-28', 45, '2027-01-12'],
    ['2026-11-28', 90, '2027-02-26'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2026-11-28', 0, '2026-11-28'],
  ])('%s + %i days = %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });
});

describe('addMonths', () => {
  it.each([
    ['2026-11-28', 3, '2027-02-28'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2026-08-31', 6, '2027-02-28'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-01-15', -1, '2025-12-15'],
    ['2026-05-20', 0, '2026-05-20'],
    ['2026-05-20', 12, '2027-05-20'],
  ])('%s + %i months = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });
});

describe('addDurationMs', () => {
  it('adds milliseconds to an instant', () => {
    expect(addDurationMs('2026-11-28T04:00:00.000Z', 86_400_000)).toBe('2026-11-29T04:00:00.000Z');
  });
});

describe('parseDuration', () => {
  it.each([
    ['24h', 86_400_000],
    ['90m', 5_400_000],
    ['30s', 30_000],
    ['1500ms', 1_500],
    ['2d', 172_800_000],
    ['1.5h', 5_400_000],
    [' 10s ', 10_000],
    ['5000', 5_000],
  ])('%s = %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'abc', '24 hours', '1w', '-5m', '0s', '0', 'h', '1h30m', '5 MS'])("'%s' is not a duration", (text) => {
    expect(() => parseDuration(text)).toThrow(Error);
  });
});

describe('isBusinessDay (mainland calendar of config/rules.json)', () => {
  it.each([
    ['2026-11-27', 'a Friday', true],
    ['2026-11-28', 'a Saturday', false],
    ['2026-11-29', 'a Sunday', false],
    ['2026-11-30', 'a Monday', true],
    ['2026-10-01', 'National Day (Thursday)', false],
    ['2026-10-07', 'the last National Day holiday (Wednesday)', false],
    ['2026-10-08', 'the Thursday after National Day', true],
    ['2026-10-10', 'a make-up working Saturday', true],
    ['2026-09-20', 'a make-up working Sunday', true],
    ['2026-09-25', 'Mid-Autumn Festival (Friday)', false],
    ['2026-02-16', 'Spring Festival (Monday)', false],
    ['2026-02-14', 'the make-up Saturday before Spring Festival', true],
  ])('%s, %s: %s', (date, _, expected) => {
    expect(isBusinessDay(date, CALENDAR)).toBe(expected);
  });

  it('is plain Monday to Friday with an empty calendar', () => {
    const empty = { holidays: [], workdays: [] };
    expect(isBusinessDay('2026-10-01', empty)).toBe(true);
    expect(isBusinessDay('2026-10-10', empty)).toBe(false);
  });
});

describe('addBusinessDays (end of the n-th working day, China time)', () => {
  it.each([
    ['2026-09-30T02:00:00.000Z', 2, '2026-10-09T15:59:59.000Z', 'skips the National Day holiday 10-01..07'],
    ['2026-09-30T02:00:00.000Z', 1, '2026-10-08T15:59:59.000Z', 'the first working day after National Day'],
    ['2026-09-30T02:00:00.000Z', 3, '2026-10-10T15:59:59.000Z', 'the make-up Saturday 10-10 counts'],
    ['2026-10-09T02:00:00.000Z', 1, '2026-10-10T15:59:59.000Z', 'Friday + 1 is the make-up Saturday'],
    ['2026-10-10T02:00:00.000Z', 1, '2026-10-12T15:59:59.000Z', 'make-up Saturday + 1 is the Monday'],
    ['2026-11-28T04:00:00.000Z', 2, '2026-12-01T15:59:59.000Z', 'from a Saturday: Monday, Tuesday'],
    ['2026-11-27T02:00:00.000Z', 1, '2026-11-30T15:59:59.000Z', 'Friday + 1 is Monday'],
    ['2026-11-26T16:30:00.000Z', 1, '2026-11-30T15:59:59.000Z', 'counts from the China date (already Friday in China)'],
    ['2026-12-01T08:00:00.000Z', 20, '2026-12-29T15:59:59.000Z', '20 working days in December'],
    ['2026-12-30T02:00:00.000Z', 2, '2027-01-01T15:59:59.000Z', 'past the data (2027): Monday to Friday, estimated (calendar.spec.ts)'],
    ['2026-09-18T02:00:00.000Z', 1, '2026-09-20T15:59:59.000Z', 'Friday + 1 is the make-up Sunday 09-20'],
    ['2026-11-30T03:00:00.000Z', 0, '2026-11-30T15:59:59.000Z', 'zero days is the end of today'],
  ])('%s + %i business days = %s (%s)', (from, days, expected) => {
    expect(addBusinessDays(from, days, CALENDAR)).toBe(expected);
  });
});
