import { registerDecorator, type ValidationOptions } from 'class-validator';
import { isIsoDate } from '../../../../../libs/domain/src';

/** A calendar date `YYYY-MM-DD` that exists. */
export function IsDateOnly(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isDateOnly',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a date YYYY-MM-DD', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isIsoDate(value) },
    });
}

export const PROVINCE_CODE = /^CN-[A-Z]{2}$/;
