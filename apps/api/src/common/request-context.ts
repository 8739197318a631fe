import { createParamDecorator, type ExecutionContext, type PipeTransform } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/principal';
import { ValidationFailedError } from '../../../../libs/domain/src';

/**
 * Who is acting: the verified token's `sub` (the audit trail records it). The authorisation guard
 * lets no request without a principal reach a route that uses this.
 */
export const ActorName = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('ActorName used on a route without authentication');
  return principal.sub;
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A UUID path parameter, normalised to lower case: the workflow id (`Case:<id>`) is
 * case-sensitive, so `…/CASE-ID/submit` must reach the same workflow `…/case-id` reads.
 */
export class UuidParamPipe implements PipeTransform<string, string> {
  constructor(
    private readonly field: string,
    private readonly what: string,
  ) {}

  transform(value: string): string {
    if (typeof value !== 'string' || !UUID.test(value)) {
      throw new ValidationFailedError([{ field: this.field, message: `${this.field} must be ${this.what} (UUID)` }]);
    }
    return value.toLowerCase();
  }
}

export const CaseIdPipe = new UuidParamPipe('id', 'a case id');

/** `If-Match: 7`, `"7"` or `W/"7"`: the version an amendment was made against. */
export function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '' || value.trim() === '*') return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value.trim());
  if (!match) throw new ValidationFailedError([{ field: 'If-Match', message: 'If-Match must be the case version, e.g. "7"' }]);
  return Number(match[1]);
}
