import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { map, type Observable } from 'rxjs';
import { FULL_PERSONAL_DATA_KEY, OWN_CASE_KEY } from './decorators';
import { FULL_DATA_ROLES, type AuthenticatedRequest } from './principal';

/** Fields that hold an ID number or a mobile number, wherever they sit in an answer. */
export const PERSONAL_FIELDS = new Set(['idNumber', 'mobile']);

/** `C01X00T47` → `C01X****47`: enough to tell two people apart, not enough to use the number. */
export function mask(value: string): string {
  const chars = Array.from(value);
  if (chars.length <= 6) return '****';
  return `${chars.slice(0, 4).join('')}****${chars.slice(-2).join('')}`;
}

/** A copy of `value` with every ID and mobile number masked; class instances (files, streams) pass as they are. */
export function maskPersonalData<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => maskPersonalData(v)) as T;
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = PERSONAL_FIELDS.has(key) && typeof v === 'string' ? mask(v) : maskPersonalData(v);
  }
  return out as T;
}

/**
 * Masks personal data in every answer, unless the route answers one case itself (@FullPersonalData)
 * and the caller is an officer, a supervisor, or the applicant who owns the case (which
 * @OwnCase has already checked). Lists, precheck and anything new are masked by default.
 */
@Injectable()
export class PersonalDataInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const targets = [context.getHandler(), context.getClass()];
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    const full =
      this.reflector.getAllAndOverride<boolean>(FULL_PERSONAL_DATA_KEY, targets) === true &&
      principal !== undefined &&
      (FULL_DATA_ROLES.includes(principal.role) ||
        (principal.role === 'applicant' && this.reflector.getAllAndOverride<boolean>(OWN_CASE_KEY, targets) === true));
    return full ? next.handle() : next.handle().pipe(map((body) => maskPersonalData(body)));
  }
}
