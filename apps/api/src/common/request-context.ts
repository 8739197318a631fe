import { createParamDecorator, ParseUUIDPipe, type ExecutionContext } from '@nestjs/common';
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

export const CaseIdPipe = new ParseUUIDPipe({
  exceptionFactory: () => new ValidationFailedError([{ field: 'id', message: 'id must be a case id (UUID)' }]),
});

/** `If-Match: 7`, `"7"` or `W/"7"`: the version an amendment was made against. */
export function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '' || value.trim() === '*') return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value.trim());
  if (!match) throw new ValidationFailedError([{ field: 'If-Match', message: 'If-Match must be the case version, e.g. "7"' }]);
  return Number(match[1]);
}
