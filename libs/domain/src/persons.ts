import { addMonths, isIsoDate } from './dates';
import type { IsoDate, Person } from './types';

const compactId = (id: string) => id.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase();

/** Whether two people are the same, by ID type and number (DOMAIN.md): never by a flag alone. */
export function samePerson(a: Pick<Person, 'idType' | 'idNumber'>, b: Pick<Person, 'idType' | 'idNumber'>): boolean {
  return a.idType === b.idType && compactId(a.idNumber) === compactId(b.idNumber);
}

/** The birth date: given, or encoded in an 18-character mainland resident ID (digits 7–14, YYYYMMDD). */
export function birthDateOf(person: Pick<Person, 'birthDate' | 'idType' | 'idNumber'>): IsoDate | null {
  if (person.birthDate) return person.birthDate;
  if (person.idType !== 'RESIDENT_ID') return null;
  const match = /^\d{6}(\d{4})(\d{2})(\d{2})\d{3}[\dX]$/.exec(compactId(person.idNumber));
  if (!match) return null;
  const date = `${match[1]}-${match[2]}-${match[3]}`;
  return isIsoDate(date) ? date : null;
}

/** Under `age` on `today`: the birthday of that age (29 February → 28 February) has not come yet. */
export function isUnderAge(birthDate: IsoDate, today: IsoDate, age: number): boolean {
  return addMonths(birthDate, age * 12) > today;
}
