import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ValidationFailedError } from '../../../../libs/domain/src';

/**
 * Which failed constraint explains a field best: presence first, then its type or form, then its
 * bounds. class-validator runs a property's decorators in an order of its own (the last written
 * first), so `stopAtFirstError` would report "must be shorter than 1000 characters" for a reason
 * that is missing; all constraints are run instead and the most telling one is reported.
 */
const PRESENCE = ['isNotEmpty', 'isDefined', 'whitelistValidation'];
const FORM = [
  'isString', 'isInt', 'isNumber', 'isBoolean', 'isObject', 'isArray', 'isIn', 'isEnum',
  'isDateOnly', 'matches', 'isEmail', 'isIp', 'isUuid', 'nestedValidation',
];
const rank = (constraint: string) => {
  const presence = PRESENCE.indexOf(constraint);
  if (presence >= 0) return presence;
  const form = FORM.indexOf(constraint);
  return form >= 0 ? PRESENCE.length + form : PRESENCE.length + FORM.length;
};

function reason(e: ValidationError, field: string): string | null {
  const constraints = Object.entries(e.constraints ?? {});
  if (constraints.length === 0) return null;
  constraints.sort(([a], [b]) => rank(a) - rank(b));
  const [best, message] = constraints[0];
  // A field left out is "required", not "must be shorter than…" (unless a rule says more, e.g. isNotEmpty's own message).
  if (e.value === undefined && !PRESENCE.includes(best)) return `${field} is required`;
  return message;
}

/** Flattens class-validator's tree into `{field: 'websites[0].administrator.email', message}`, one reason per field. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): { field: string; message: string }[] {
  return errors.flatMap((e) => {
    const field = /^\d+$/.test(e.property) ? `${parent}[${e.property}]` : parent ? `${parent}.${e.property}` : e.property;
    const own = reason(e, field);
    return [...(own ? [{ field, message: own }] : []), ...flattenValidationErrors(e.children ?? [], field)];
  });
}

/** Whitelist and forbid: unknown fields are refused, known ones validated and transformed. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new ValidationFailedError(flattenValidationErrors(errors)),
  });
}
